"""``govchain licence``: what the licensing case adds to its generated commands — issue or amend
a licence with its certificate in one step, and present a licence to a counterparty who checks it
(no keystore needed to check)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from govchain.cases.licence.client import LicensingClient, Presentation
from govchain.cli.common import App, done, from_option, json_option, pass_app, print_json
from govchain.errors import InputError
from govchain.files import write_atomic
from govchain.inputs import read_json

FilePath = click.Path(dir_okay=False, path_type=Path)


def extend(group: click.Group) -> None:
    for command in (certify, reissue, present, check):
        group.add_command(command)


def _client(app: App) -> LicensingClient:
    client = app.gc.case("licence")
    assert isinstance(client, LicensingClient)
    return client


def _fields(path: Path) -> dict[str, Any]:
    raw = read_json(path, "licence fields")
    if not isinstance(raw, dict):
        raise InputError(f"{path} must hold a JSON object of the licence's fields.")
    return raw


def _write_new(path: Path, data: Any) -> None:
    if path.exists():
        raise InputError(f"{path} already exists: choose another --out.")
    write_atomic(path, (json.dumps(data, indent=2) + "\n").encode())


@click.command()
@click.argument("credit_code")
@click.option("--enterprise", required=True, help="The enterprise's account.")
@click.option("--channel", required=True, type=click.Choice(["counter", "kiosk", "mobile", "web"]))
@click.option("--fields", "fields_file", required=True, type=FilePath, help="JSON of the fields.")
@click.option("--out", required=True, type=FilePath, help="Where to write the certificate.")
@from_option()
@json_option
@pass_app
def certify(
    app: App, credit_code: str, enterprise: str, channel: str, fields_file: Path, out: Path,
    who: str, as_json: bool,
) -> None:  # fmt: skip
    """Issue CREDIT_CODE's licence: its certificate into the store, and its record (one per
    enterprise, whichever terminal)."""
    if out.exists():
        raise InputError(f"{out} already exists: choose another --out.")
    document = _client(app).issue_licence(app.signer(who), credit_code,
                                          enterprise=app.address(enterprise), channel=channel,
                                          fields=_fields(fields_file))  # fmt: skip
    _write_new(out, document)
    done(f"Licence of {credit_code} issued ({channel}); certificate in {out}", as_json=as_json)


@click.command()
@click.argument("credit_code")
@click.option("--channel", required=True, type=click.Choice(["counter", "kiosk", "mobile", "web"]))
@click.option("--fields", "fields_file", required=True, type=FilePath, help="JSON of the fields.")
@click.option("--previous", type=FilePath, help="The certificate it supersedes (revoked).")
@click.option("--out", required=True, type=FilePath, help="Where to write the new certificate.")
@from_option()
@json_option
@pass_app
def reissue(
    app: App, credit_code: str, channel: str, fields_file: Path, previous: Path | None, out: Path,
    who: str, as_json: bool,
) -> None:  # fmt: skip
    """Amend CREDIT_CODE's licence: a new certificate and version; the previous one superseded."""
    if out.exists():
        raise InputError(f"{out} already exists: choose another --out.")
    old = read_json(previous, "previous certificate") if previous else None
    document = _client(app).amend_licence(app.signer(who), credit_code, channel=channel,
                                          fields=_fields(fields_file), previous=old)  # fmt: skip
    _write_new(out, document)
    done(f"Licence of {credit_code} amended ({channel}); certificate in {out}", as_json=as_json)


@click.command()
@click.argument("credit_code")
@click.option("--to", "counterparty", required=True, help="Who may rely on it (name or address).")
@click.option("--valid-for", default=3600, show_default=True, type=click.IntRange(1, 366 * 86400),
              help="Seconds the authorisation lasts.")  # fmt: skip
@click.option("--out", required=True, type=FilePath, help="Where to write the authorisation.")
@from_option()
@json_option
@pass_app
def present(
    app: App, credit_code: str, counterparty: str, valid_for: int, out: Path, who: str,
    as_json: bool,
) -> None:  # fmt: skip
    """Sign an expiring authorisation for COUNTERPARTY to rely on the licence (the enterprise)."""
    shown = _client(app).present(app.signer(who).account, credit_code, app.address(counterparty),
                                 valid_for=valid_for)  # fmt: skip
    _write_new(out, shown.as_dict())
    done(f"Authorisation for {counterparty} written to {out} (expires at {shown.expiry})",
         as_json=as_json)  # fmt: skip


@click.command()
@click.argument("authorisation", type=FilePath)
@click.option("--as", "counterparty", required=True, help="Who checks (the named counterparty).")
@click.option("--certificate", type=FilePath, help="The licence certificate shown with it.")
@json_option
@pass_app
def check(
    app: App, authorisation: Path, counterparty: str, certificate: Path | None, as_json: bool
) -> None:
    """Check a presented licence on chain (no keystore needed). Exit 0 only if valid."""
    shown = Presentation.from_dict(read_json(authorisation, "authorisation"))
    document = read_json(certificate, "certificate") if certificate else None
    result = _client(app).check(shown, app.address(counterparty), document)
    if as_json:
        print_json(result.as_dict())
    else:
        for failure in result.failures:
            click.echo(f"✗ {failure}")
        if result.ok:
            click.echo(f"✓ licence active, version {result.version}, authorised for {counterparty}")
            if result.document:
                click.echo("✓ certificate: this licence's current one, valid in the store")
        click.echo("VALID" if result.ok else "NOT VALID")
    if not result.ok:
        raise SystemExit(1)
