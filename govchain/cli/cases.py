"""The command groups of the cases, generated from their specs, and ``govchain cases``.

Every registered case gets ``govchain <case>`` with one command per verb of its spec (verbs of
its other kinds of item in a sub-group: ``govchain logistics refund pay``), and ``show``,
``history``, ``list``, ``attach``, ``read``, ``batch``, its queries (``port at``) and, when it
anchors records in Merkle batches, ``<group> anchor|prove|verify``. A case adds its own
commands through the ``cli`` plug-in point of its spec.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from govchain.chain import labels
from govchain.cli.common import (
    App,
    done,
    from_option,
    json_option,
    pass_app,
    print_json,
    read_file,
    table,
)
from govchain.errors import InputError
from govchain.framework.casebase import registry
from govchain.framework.casebase.client import CaseClient
from govchain.framework.casebase.history import describe
from govchain.framework.casebase.spec import CaseSpec, Param, Verb, words
from govchain.inputs import parse_json, read_text

FilePath = click.Path(dir_okay=False, path_type=Path)


def _records(file: Path, counted: list[int]) -> Iterator[bytes]:
    """The non-blank lines of ``file`` as bytes, read as a stream (millions of tracking messages
    never sit in memory at once); ``counted[0]`` counts them. Lines break as bytes.splitlines
    breaks them."""
    try:
        with file.open("rb") as stream:
            for piece in stream:
                for line in piece.splitlines():
                    if line.strip():
                        counted[0] += 1
                        yield line
    except OSError as exc:
        raise InputError(f"Cannot read {file}: {exc.strerror}.") from None


def _a(noun: str) -> str:
    """``noun`` with its indefinite article: "an application", "a shipment"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def case_group(spec: CaseSpec) -> click.Group:
    group = click.Group(spec.name, help=spec.title)
    subgroups: dict[str, click.Group] = {}
    for kind in spec.kinds[1:]:
        subgroups[kind.name] = click.Group(
            kind.name,
            help=f"The {kind.name} of {_a(kind.parent)}."
            if kind.parent
            else f"Steps of {_a(kind.name)}, named by its {kind.label}.",
        )
        group.add_command(subgroups[kind.name])
    for verb in spec.verbs:
        subgroups.get(verb.kind, group).add_command(_verb_command(spec, verb))
    documents = (_attach, _read) if spec.documents else ()  # no document types: no such verbs
    for make in (_show, _history, _list, *documents, _batch):
        group.add_command(make(spec))
    group.add_command(_history(spec), "trail")
    for query in spec.queries:
        group.add_command(_query_command(spec, query.name, query.param, query.help))
    if spec.anchors is not None:
        group.add_command(_anchors_group(spec))
    if spec.cli:
        registry.load(spec.cli)(group)
    return group


def _client(app: App, spec: CaseSpec) -> CaseClient:
    return app.gc.case(spec.name)


def _metavar(spec: CaseSpec, kind: str | None = None) -> str:
    k = spec.kind(kind) if kind else spec.primary
    label = spec.kind(k.parent).label if k.parent else k.label
    return label.upper().replace(" ", "_")


def _option_name(name: str) -> str:
    return "--" + name.replace("_", "-")


def _param_option(param: Param) -> Callable[[Any], Any]:
    kind = click.Choice(param.choices, case_sensitive=False) if param.choices else str
    return click.option(
        _option_name(param.name),
        param.name,
        required=param.default is None,
        default=param.default,
        type=kind,
        help=param.help,
    )


def _filer_option(fn: Any) -> Any:
    return click.option("--filer", help="Whose item, when several filed the same reference.")(fn)


def _verb_command(spec: CaseSpec, verb: Verb) -> click.Command:
    def command(
        app: App, reference: str, who: str, as_json: bool, filer: str | None = None, **kw: Any
    ) -> None:
        client = _client(app, spec)
        values = {}
        for param in verb.params:
            if param.name in kw:
                raw = kw[param.name]  # an address param may name several, comma-separated
                values[param.name] = (
                    ",".join(app.address(a) for a in raw.split(",")) if param.address else raw
                )
        note = verb.note
        if note is not None and kw.get(note.name) is not None:
            raw = kw[note.name]
            values[note.name] = read_file(Path(raw)) if note.kind in ("document", "public") else raw
        receipt = client.act(
            verb.code,
            app.signer(who),
            reference,
            filer=app.address(filer) if filer else None,
            **values,
        )
        owner = app.signer(who).address if verb.files else (app.address(filer) if filer else None)
        state = client.get(reference, verb.kind, filer=owner).state
        done(f"{reference}: {words(state)}", receipt, as_json, extra={"state": state})

    decorators: list[Callable[[Any], Any]] = [
        click.argument("reference", metavar=_metavar(spec, verb.kind))
    ]
    decorators += [
        _param_option(p) for p in verb.params if p.name not in verb.fixed and p.derive is None
    ]
    if verb.note is not None:
        note = verb.note
        kind = FilePath if note.kind in ("document", "public") else str
        shown = "FILE" if note.kind in ("document", "public") else "TEXT"
        decorators.append(
            click.option(
                _option_name(note.name),
                note.name,
                type=kind,
                metavar=shown,
                required=not note.optional,
                help=note.help,
            )
        )
    if not verb.files:
        decorators.append(_filer_option)
    decorators += [from_option(), json_option, pass_app]
    fn: Any = command
    for decorate in reversed(decorators):
        fn = decorate(fn)
    return click.command(verb.name.replace("_", "-"), help=verb.help)(fn)


def _kind_option(spec: CaseSpec) -> Callable[[Any], Any]:
    names = [k.name for k in spec.kinds]
    return click.option("--kind", type=click.Choice(names), default=names[0], help="Kind of item.")


def _show(spec: CaseSpec) -> click.Command:
    @click.command(
        "show",
        help=f"{_a(spec.primary.name).capitalize()}: its state, details, documents and history.",
    )
    @click.argument("reference", metavar=_metavar(spec))
    @_kind_option(spec)
    @_filer_option
    @json_option
    @pass_app
    def show(app: App, reference: str, kind: str, filer: str | None, as_json: bool) -> None:
        client = _client(app, spec)
        owner = app.address(filer) if filer else None
        record = client.get(reference, kind, filer=owner)
        related = _related(client, spec, reference, kind)
        documents = [d.as_dict() for d in client.documents(record.id, kind)]
        steps = [describe(spec, e) for e in client.history(record.id, kind)]
        if as_json:
            print_json(
                {
                    **record.as_dict(),
                    **related,
                    "documents": documents,
                    "history": [s.as_dict() for s in steps],
                }
            )
            return
        click.echo(f"{record.kind} {reference}: {words(record.state)}")
        click.echo(
            f"  filed by {labels.describe(record.filer)}, "
            f"updated {record.updated_at:%Y-%m-%d %H:%M} UTC"
        )
        for name, value in record.fields.items():
            shown = labels.describe(value) if _is_address(value) else spec.show(name, value)
            click.echo(f"  {name}: {shown}")
        for name, state in related.items():
            click.echo(f"  {name}: {words(state)}")
        for d in documents:
            click.echo(
                f"  document {words(d['type'])} {d['contentHash']} "
                f"by {labels.describe(d['uploader'])}"
            )
        for s in steps:
            by = f" by {labels.describe(s.by)}" if s.by else ""
            click.echo(f"  block {s.block:>6}  {s.what}{by}: {s.detail}")

    return show


def _related(client: CaseClient, spec: CaseSpec, reference: str, kind: str) -> dict[str, str]:
    """The state of the items keyed by this one (a shipment's refund), if any."""
    from govchain.framework.casebase.client import ItemNotFound

    out = {}
    for child in spec.kinds:
        if child.parent == kind:
            try:
                out[child.name] = client.get(reference, child.name).state
            except ItemNotFound:
                out[child.name] = "none"
            except InputError:  # several filers keyed one by this item (two courts' seizures)
                out[child.name] = "several"
    return out


def _history(spec: CaseSpec) -> click.Command:
    @click.command(
        "history", help=f"Everything that happened to {_a(spec.primary.name)} (from the index)."
    )
    @click.argument("reference", metavar=_metavar(spec))
    @_kind_option(spec)
    @_filer_option
    @json_option
    @pass_app
    def history(app: App, reference: str, kind: str, filer: str | None, as_json: bool) -> None:
        client = _client(app, spec)
        steps = [
            describe(spec, e)
            for e in client.history(reference, kind, filer=app.address(filer) if filer else None)
        ]
        if as_json:
            print_json([s.as_dict() for s in steps])
            return
        table(
            ["block", "what", "by", "detail"],
            [[s.block, s.what, labels.describe(s.by) if s.by else "", s.detail] for s in steps],
        )

    return history


def _rows(app: App, spec: CaseSpec, rows: list[Any], as_json: bool) -> None:
    data = [
        {
            "id": "0x" + r.id.hex(),
            "kind": spec.kind(r.kind).name,
            "state": spec.kind(r.kind).state_name(r.state),
            "filer": r.filer,
            "block": r.created_block,
        }
        for r in rows
    ]
    if as_json:
        print_json(data)
        return
    table(
        ["id", "kind", "state", "filer", "filed in block"],
        [
            [
                d["id"][:18] + "…",
                d["kind"],
                words(d["state"]),
                labels.describe(d["filer"]),
                d["block"],
            ]
            for d in data
        ],
    )
    click.echo(f"{len(data)} item(s)")


def _list(spec: CaseSpec) -> click.Command:
    @click.command("list", help=f"Items of the {spec.name} case from the event index.")
    @_kind_option(spec)
    @click.option("--state", help="Only items in this state.")
    @click.option("--filer", help="Only items filed by this participant.")
    @json_option
    @pass_app
    def list_(app: App, kind: str, state: str | None, filer: str | None, as_json: bool) -> None:
        rows = _client(app, spec).items(
            kind, state=state, filer=app.address(filer) if filer else None
        )
        _rows(app, spec, rows, as_json)

    return list_


def _query_command(spec: CaseSpec, name: str, param: Param, help_text: str) -> click.Command:
    @click.command(name, help=help_text)
    @click.argument("value", metavar=param.name.upper())
    @json_option
    @pass_app
    def query(app: App, value: str, as_json: bool) -> None:
        _rows(app, spec, _client(app, spec).query(name, value), as_json)

    return query


def _attach(spec: CaseSpec) -> click.Command:
    types = [d.name for d in spec.documents]

    @click.command(
        "attach",
        help="Store a document encrypted to the item's parties and authorities; anchor its hash.",
    )
    @click.argument("reference", metavar=_metavar(spec))
    @click.argument("file", type=FilePath)
    @click.option("--type", "doc_type", required=True, type=click.Choice(types))
    @_filer_option
    @from_option()
    @json_option
    @pass_app
    def attach(
        app: App,
        reference: str,
        file: Path,
        doc_type: str,
        filer: str | None,
        who: str,
        as_json: bool,
    ) -> None:
        client = _client(app, spec)
        digest = client.attach(
            app.signer(who),
            reference,
            doc_type,
            read_file(file),
            filer=app.address(filer) if filer else None,
        )
        done(
            f"{reference}: {words(doc_type)} anchored",
            as_json=as_json,
            extra={"contentHash": "0x" + digest.hex()},
        )

    return attach


def _read(spec: CaseSpec) -> click.Command:
    @click.command(
        "read",
        help="Decrypt a document anchored for the item (its parties and the authorities only).",
    )
    @click.argument("reference", metavar=_metavar(spec))
    @click.argument("content_hash")
    @click.option("--out", required=True, type=FilePath, help="Where to write the document.")
    @_kind_option(spec)
    @_filer_option
    @from_option()
    @pass_app
    def read(
        app: App,
        reference: str,
        content_hash: str,
        out: Path,
        kind: str,
        filer: str | None,
        who: str,
    ) -> None:
        try:
            digest = bytes.fromhex(content_hash.removeprefix("0x"))
        except ValueError:
            raise InputError(f"'{content_hash}' is not a hash.") from None
        if out.exists():
            raise InputError(f"{out} already exists.")
        data = _client(app, spec).read(
            app.signer(who),
            reference,
            digest,
            kind=kind,
            filer=app.address(filer) if filer else None,
        )
        out.write_bytes(data)
        click.echo(f"✓ Wrote {out} (its hash matches the one anchored for {reference})")

    return read


def _batch(spec: CaseSpec) -> click.Command:
    verbs = [spec.method_of(v).replace("_", "-") for v in spec.verbs if v.batch]

    @click.command(
        "batch",
        help="Do one step for every item in FILE (one reference per line, optionally "
        "',note'); 200 per transaction.",
    )
    @click.argument("verb", type=click.Choice(verbs))
    @click.argument("file", type=FilePath)
    @from_option()
    @json_option
    @pass_app
    def batch(app: App, verb: str, file: Path, who: str, as_json: bool) -> None:
        try:
            lines = [line.strip() for line in read_file(file).decode().splitlines() if line.strip()]
        except UnicodeDecodeError:
            raise InputError(f"{file} is not a text file.") from None
        if not lines:
            raise InputError(f"{file} names no items.")
        split = [line.split(",", 1) for line in lines]
        notes = [p[1].strip() for p in split] if all(len(p) == 2 for p in split) else None
        receipts = _client(app, spec).batch(
            verb.replace("-", "_"), app.signer(who), [p[0].strip() for p in split], notes
        )
        done(
            f"{verb}: {len(lines)} item(s) in {len(receipts)} transaction(s)",
            as_json=as_json,
            extra={"count": len(lines), "transactions": len(receipts)},
        )

    return batch


def _anchors_group(spec: CaseSpec) -> click.Group:
    assert spec.anchors is not None
    noun = spec.anchors.noun
    group = click.Group(spec.anchors.group, help=spec.anchors.help)

    @group.command(
        "anchor", help=f"Anchor every line of FILE as a {noun} (one transaction per 65,536)."
    )
    @click.argument("file", type=FilePath)
    @from_option()
    @json_option
    @pass_app
    def anchor(app: App, file: Path, who: str, as_json: bool) -> None:
        counted = [0]
        records = _records(file, counted)
        first = next(records, None)  # an empty file is refused before any key is asked for
        if first is None:
            raise InputError(f"{file} holds no {noun}s.")
        ids = _client(app, spec).anchors.anchor(app.signer(who), itertools.chain([first], records))
        done(
            f"Anchored {counted[0]} {noun}s in {len(ids)} batch(es)",
            as_json=as_json,
            extra={"batches": ids, "records": counted[0]},
        )

    @group.command("prove", help=f"The proof of one {noun} (exactly as anchored).")
    @click.argument("record")
    @click.option("--out", type=FilePath, help="Write the proof here (JSON).")
    @pass_app
    def prove(app: App, record: str, out: Path | None) -> None:
        proof = _client(app, spec).anchors.prove(record.encode())
        text = json.dumps(proof.as_json(), indent=2)
        if out:
            out.write_text(text + "\n")
            click.echo(
                f"✓ Proof written to {out} (batch {proof.batch_id}, {len(proof.proof)} steps)"
            )
        else:
            click.echo(text)

    @group.command(
        "verify",
        help=f"Check a {noun} against the chain with its proof; exit 0 only if it is anchored.",
    )
    @click.argument("record")
    @click.option("--proof", "proof_file", required=True, type=FilePath)
    @pass_app
    def verify(app: App, record: str, proof_file: Path) -> None:
        from govchain.framework.batches import ItemProof

        try:
            raw = parse_json(read_text(proof_file, "Proof file"), f"Proof file {proof_file}")
            proof = ItemProof(
                int(raw["batchId"]),
                bytes.fromhex(raw["leaf"][2:]),
                tuple(bytes.fromhex(p[2:]) for p in raw["proof"]),
                bytes.fromhex(raw["root"][2:]),
            )
        except (ValueError, KeyError, TypeError, RecursionError):
            raise InputError(f"{proof_file} is not a proof.") from None
        if _client(app, spec).anchors.verify(record.encode(), proof):
            click.echo(f"✓ The {noun} is in batch {proof.batch_id} on chain")
        else:
            click.echo(f"✗ The {noun} does not match this proof and the chain")
            raise SystemExit(1)

    return group


def _is_address(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("0x") and len(value) == 42


@click.command("cases")
@json_option
@pass_app
def cases_cmd(app: App, as_json: bool) -> None:
    """The application cases on this deployment: contract, states, verbs, item counts."""
    rows: list[dict[str, Any]] = []
    for spec in registry.cases():
        record = app.gc.book.contracts.get(spec.contract)
        counts = _client(app, spec).counts() if record else {}
        rows.append(
            {
                "case": spec.number,
                "name": spec.name,
                "title": spec.title,
                "summary": spec.summary,
                "contract": spec.contract,
                "address": record.address if record else None,
                "kinds": {k.name: list(k.states) for k in spec.kinds},
                "verbs": [spec.method_of(v) for v in spec.verbs],
                "items": counts,
            }
        )
    if as_json:
        print_json(rows)
        return
    for r in rows:
        where = r["address"] or "not deployed"
        click.echo(f"{r['case']:>2}  {r['name']:<10} {r['contract']} at {where}")
        click.echo(f"    {r['summary'] or r['title']}")
        for kind, states in r["kinds"].items():
            n = r["items"].get(kind, {})
            shown = ", ".join(f"{words(s)} {n.get(s, 0)}" if n else words(s) for s in states)
            click.echo(f"    {kind}: {shown}")
        click.echo(f"    verbs: {', '.join(r['verbs'])}")
