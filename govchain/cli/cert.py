"""``govchain cert``: electronic certificates for clerks at the counter."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from govchain.chain import labels
from govchain.chain.roles import role_id
from govchain.cli.common import App, done, from_option, json_option, pass_app, print_json, table
from govchain.errors import InputError
from govchain.framework.certificates import openattestation as oa
from govchain.framework.certificates.batchfiles import issue_batch_into
from govchain.framework.certificates.documents import Draft, parse_time
from govchain.framework.certificates.registry import DocumentRef
from govchain.framework.certificates.verification import VerificationResult
from govchain.inputs import read_csv, read_json

#: Names that are options of `cert issue` (columns of `issue-batch`), never free fields.
RESERVED = {"holder": "--holder", "validFrom": "--valid-from", "validUntil": "--valid-until"}


@click.group()
def cert() -> None:
    """Issue, verify, revoke and redact electronic certificates (OpenAttestation v2)."""


@cert.command()
@json_option
@pass_app
def types(app: App, as_json: bool) -> None:
    """List certificate types and who may issue them."""
    gc = app.gc
    held = gc.directory.roles_by_participant()
    rows: list[dict[str, Any]] = []
    for ctype in gc.certificates.store.types():
        issuer, revoker = role_id(ctype.issuer_role), role_id(ctype.revoker_role)
        issuers = [labels.describe(a) for a, r in held.items() if issuer in r]
        revokers = [labels.describe(a) for a, r in held.items() if revoker in r]
        rows.append(
            {
                "code": ctype.code,
                "type": ctype.label,
                "title": ctype.title,
                "fields": list(ctype.info.fields) if ctype.info else [],
                "issuerRole": ctype.issuer_role,
                "issuers": issuers,
                "revokerRole": ctype.revoker_role,
                "revokers": revokers,
            }
        )
    if as_json:
        print_json(rows)
        return
    table(
        ["code", "type", "title", "issued by"],
        [[r["code"], r["type"].lower(), r["title"], "; ".join(r["issuers"]) or "-"] for r in rows],
    )


@cert.command()
@click.option("--type", "type_name", required=True, help="Certificate type (see `cert types`).")
@click.option("--field", "fields", multiple=True, metavar="NAME=VALUE", help="A field (repeat).")
@click.option(
    "--data",
    "data_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Fields from a JSON object or a one-row CSV file.",
)
@click.option("--holder", help="Holder's identifier (ID number, credit code): stored only hashed.")
@click.option("--valid-from", help="Start of validity (2026-11-22); default now.")
@click.option("--valid-until", help="End of validity; default from the type.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the certificate (.json).",
)
@from_option()
@json_option
@pass_app
def issue(
    app: App,
    type_name: str,
    fields: tuple[str, ...],
    data_file: Path | None,
    holder: str | None,
    valid_from: str | None,
    valid_until: str | None,
    out: Path,
    who: str,
    as_json: bool,
) -> None:
    """Issue one certificate and write it to --out."""
    values: dict[str, Any] = dict(_read_data_file(data_file)) if data_file else {}
    given = _parse_fields(fields)
    for name in given.keys() & RESERVED.keys():
        raise InputError(f"'{name}' is not a field: give it with {RESERVED[name]}.")
    values.update(given)
    draft = _draft(
        values,
        holder or values.get("holder"),
        valid_from or values.get("validFrom"),
        valid_until or values.get("validUntil"),
    )
    _check_writable(out)
    issuance = app.gc.certificates.publish(app.signer(who), type_name, [draft])
    document = issuance.documents[0]
    oa.save_document(document, out)
    ref = DocumentRef.of(document)
    done(
        f"Issued {app.gc.certificates.type(type_name).title} to {out}",
        issuance.receipt,
        as_json=as_json,
        extra={"file": str(out), "merkleRoot": "0x" + ref.root.hex()},
    )


@cert.command("issue-batch")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--type", "type_name", required=True, help="Certificate type (see `cert types`).")
@click.option(
    "--out-dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the certificates (one .json per row).",
)
@from_option()
@json_option
@pass_app
def issue_batch(
    app: App, csv_file: Path, type_name: str, out_dir: Path, who: str, as_json: bool
) -> None:
    """Issue one certificate per CSV row, all in one transaction.

    Columns are the type's fields, plus optional holder, validFrom, validUntil. Nothing is
    written unless the whole batch was issued.
    """
    rows = list(_read_csv(csv_file))
    if not rows:
        raise InputError(f"{csv_file} has no rows.")
    drafts = [
        _draft(
            dict(r),
            r.pop("holder", None),
            r.pop("validFrom", None),
            r.pop("validUntil", None),
            row=n,
        )
        for n, r in enumerate(rows, start=1)
    ]
    signer = app.signer(who)
    gc = app.gc
    with _progress(len(drafts), "Writing") as step:
        try:
            issued = issue_batch_into(
                gc.certificates, gc.journal, signer, type_name, drafts, out_dir, progress=step
            )
        except KeyboardInterrupt:
            _report_interrupted(gc, out_dir)
            raise
    roots = issued.roots
    under = f"root {roots[0]}" if len(roots) == 1 else f"{len(roots)} roots (one per validity)"
    done(
        f"Issued {issued.count} certificates under {under} into {out_dir}",
        issued.receipt,
        as_json=as_json,
        extra={
            "count": issued.count,
            "merkleRoot": roots[0],
            "merkleRoots": roots,
            "directory": str(out_dir),
        },
    )


@contextlib.contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr, shown only at a terminal and only once work starts."""
    bars: list[Any] = []

    def step(done: int) -> None:
        if not bars and sys.stderr.isatty():
            bars.append(click.progressbar(length=total, label=label, file=sys.stderr))
            bars[0].__enter__()
        if bars:
            bars[0].update(1)

    try:
        yield step
    finally:
        if bars:
            bars[0].__exit__(None, None, None)


def _report_interrupted(gc: Any, out_dir: Path) -> None:
    """Ctrl-C during issue-batch: say what is already on chain and how to settle it."""
    from govchain.framework import journal as wal
    from govchain.framework.certificates.batchfiles import KIND

    entry = wal.in_flight(gc.journal, KIND, "out_dir", str(out_dir.resolve()))
    if entry is None:
        click.echo("Nothing was issued.", err=True)
        return
    state = wal.outcome(gc.chain, entry, resend=False)
    on_chain = "is on chain" if state.landed else "was sent but is not mined yet"
    click.echo(
        f"The issuance of {entry.payload['count']} certificates {on_chain}; its documents wait "
        f"in {entry.payload['staging']}. Run `govchain resume` to finish it (or undo it if it "
        "never lands).",
        err=True,
    )


@cert.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@pass_app
def verify(app: App, file: Path, as_json: bool) -> None:
    """Verify a certificate: one line per check. Exit 0 only if every check passes."""
    document = oa.load_document(file)
    result = app.gc.certificates.verify(document)
    _print_result(result, as_json)
    if not result.valid:
        raise SystemExit(1)


def _print_result(result: VerificationResult, as_json: bool) -> None:
    if as_json:
        print_json(result.as_dict())
        return
    failed = [check for check in result.checks if not check.ok]
    if failed:
        click.echo(f"NOT VALID: {failed[0].name} — {failed[0].detail}")
    else:
        click.echo("VALID")
    # The failed checks first: the reason is what a reader looks for.
    for check in failed + [check for check in result.checks if check.ok]:
        click.echo(f"{'✓' if check.ok else '✗'} {check.name:<15} {check.detail}")


def _revocation_command(name: str, help_text: str, reasons: bool) -> Any:
    @cert.command(name, help=help_text)
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option(
        "--reason",
        required=reasons,
        hidden=not reasons,
        help="Reason (name or number, see the docs).",
    )
    @click.option(
        "--batch",
        "whole_batch",
        is_flag=True,
        help="Act on every certificate of this document's batch.",
    )
    @from_option()
    @json_option
    @pass_app
    def command(
        app: App, file: Path, reason: str | None, whole_batch: bool, who: str, as_json: bool
    ) -> None:
        document = oa.load_document(file)
        certs = app.gc.certificates
        signer = app.signer(who)
        if name == "revoke":
            receipt = certs.revoke(signer, document, reason or 1, whole_batch=whole_batch)
        elif name == "suspend":
            receipt = certs.suspend(signer, document, reason or 1, whole_batch=whole_batch)
        else:
            receipt = certs.reinstate(signer, document, whole_batch=whole_batch)
        what = "the whole batch of" if whole_batch else ""
        past = {"revoke": "Revoked", "suspend": "Suspended", "reinstate": "Reinstated"}[name]
        done(f"{past} {what} {file}".replace("  ", " "), receipt, as_json)

    return command


_revocation_command(
    "revoke",
    "Revoke a certificate (final). Reasons: superseded, "
    "issued_in_error, fraud, holder_request, court_order, deregistered.",
    True,
)
_revocation_command(
    "suspend",
    "Suspend a certificate (reversible). Reasons: "
    "under_investigation, court_order, holder_request, administrative.",
    True,
)
_revocation_command("reinstate", "Lift a certificate's suspension.", False)


@cert.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--field",
    "paths",
    multiple=True,
    required=True,
    help="Dot path of a field to hide, e.g. fields.address (repeat).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file (default: FILE with .redacted before .json).",
)
def hide(file: Path, paths: tuple[str, ...], out: Path | None) -> None:
    """Hide fields (selective disclosure); the result still verifies."""
    document = oa.load_document(file)
    redacted = oa.obfuscate(document, list(paths))
    target = out or file.with_name(file.stem + ".redacted.json")
    oa.save_document(redacted, target)
    click.echo(f"✓ Hid {', '.join(paths)}; wrote {target}")


@cert.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@json_option
def show(file: Path, as_json: bool) -> None:
    """Show a certificate's contents (without salts) and its signature."""
    document = oa.load_document(file)
    data = oa.get_data(document)
    ref = DocumentRef.of(document)
    hidden = oa.hidden_count(document)
    if as_json:
        print_json(
            {
                "data": data,
                "merkleRoot": "0x" + ref.root.hex(),
                "targetHash": "0x" + ref.target.hex(),
                "hiddenFields": hidden,
            }
        )
        return
    click.echo(f"{data.get('name', 'Document')} ({data.get('certificateType', '?')})")
    for key in ("id", "issuedOn", "validFrom", "validUntil"):
        if key in data:
            click.echo(f"  {key:<12} {data[key]}")
    for issuer in data.get("issuers", []):
        click.echo(f"  issuer       {issuer.get('name')} (store {issuer.get('documentStore')})")
    if "holder" in data:
        click.echo(f"  holder       {data['holder'].get('id')} (keyed hash)")
    for key, value in (data.get("fields") or {}).items():
        click.echo(f"  {key:<12} {value}")
    click.echo(f"  merkle root  0x{ref.root.hex()}")
    click.echo(f"  target hash  0x{ref.target.hex()}")
    if hidden:
        click.echo(f"  hidden       {hidden} field(s)")


# -- input helpers -----------------------------------------------------------------------------
def _parse_fields(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(f"'{pair}' is not NAME=VALUE.")
        out[name.strip()] = value
    return out


def _read_data_file(path: Path) -> dict[str, Any]:
    if path.suffix.lower() == ".csv":
        rows = list(_read_csv(path))
        if len(rows) != 1:
            raise InputError(f"{path} must hold exactly one row for `cert issue`.")
        return dict(rows[0])
    data = read_json(path, "Data file")
    if not isinstance(data, dict):
        raise InputError(f"{path} must hold a JSON object of fields.")
    return data


def _read_csv(path: Path) -> Iterator[dict[str, str]]:
    return read_csv(path)


def _draft(
    values: dict[str, Any],
    holder: str | None,
    valid_from: str | None,
    valid_until: str | None,
    row: int | None = None,
) -> Draft:
    values = {k: v for k, v in values.items() if k not in RESERVED}
    try:
        return Draft(
            fields=values,
            holder=holder or None,
            valid_from=parse_time(valid_from) if valid_from else None,
            valid_until=parse_time(valid_until) if valid_until else None,
        )
    except InputError as exc:
        raise InputError(f"Row {row}: {exc.message}" if row else exc.message) from None


def _check_writable(out: Path) -> None:
    if out.exists():
        raise InputError(f"{out} already exists: choose another --out.")
    if not out.parent.exists():
        raise InputError(f"The directory {out.parent} does not exist.")
