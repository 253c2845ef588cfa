"""``govchain port``: case 2, Jing-Jin-Ji port customs clearance (single window)."""

from __future__ import annotations

import csv
from pathlib import Path

import click

from govchain.cases.port import STATUS_NAMES, Filing
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
    transition_commands,
)
from govchain.errors import InputError

FilePath = click.Path(dir_okay=False, path_type=Path)


@click.group()
def port() -> None:
    """Customs declarations across Beijing, Tianjin and Hebei ports."""


@port.command()
@click.argument("number")
@click.option("--port", "port_code", required=True, help="Port where the goods are (CNTXG).")
@click.option("--region", required=True, help="Region the declaration is filed in.")
@click.option("--goods", required=True, type=FilePath, help="Goods documents (hash on chain).")
@from_option()
@json_option
@pass_app
def submit(
    app: App, number: str, port_code: str, region: str, goods: Path, who: str, as_json: bool
) -> None:
    """File declaration NUMBER (18 digits); the same number is never filed twice."""
    receipt = app.gc.port.submit(
        app.signer(who), Filing(number, port_code, region, read_file(goods))
    )
    done(f"Declaration {number} submitted", receipt, as_json)


@port.command("submit-batch")
@click.argument("csv_file", type=FilePath)
@from_option()
@json_option
@pass_app
def submit_batch(app: App, csv_file: Path, who: str, as_json: bool) -> None:
    """File every row of CSV_FILE (columns: number, port, region, goods) in batches of 200."""
    try:
        with csv_file.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise InputError(f"Cannot read {csv_file}: {exc.strerror}.") from None
    missing = {"number", "port", "region", "goods"} - set(rows[0] if rows else {})
    if not rows or missing:
        raise InputError(f"{csv_file} needs the columns number, port, region, goods.")
    filings = [Filing(r["number"], r["port"], r["region"], r["goods"].encode()) for r in rows]
    receipts = app.gc.port.submit_many(app.signer(who), filings)
    done(
        f"{len(filings)} declarations submitted in {len(receipts)} transaction(s)",
        as_json=as_json,
        extra={"count": len(filings), "transactions": len(receipts)},
    )


transition_commands(
    port,
    "number",
    [
        (
            "accept",
            "Customs of the filing region accepts the declaration.",
            lambda app, s, n: app.gc.port.accept(s, n),
        ),
        (
            "release",
            "Customs of the filing region releases the goods.",
            lambda app, s, n: app.gc.port.release(s, n),
        ),
        (
            "gate-out",
            "The terminal of the port where the goods are gates them out.",
            lambda app, s, n: app.gc.port.gate_out(s, n),
        ),
    ],
    lambda app, n: app.gc.port.declaration(n).status.name.lower(),
)


@port.command()
@click.argument("number")
@click.option("--assessment", required=True, type=FilePath, help="Assessment (hash on chain).")
@from_option()
@json_option
@pass_app
def assess(app: App, number: str, assessment: Path, who: str, as_json: bool) -> None:
    """Customs assesses the duty."""
    receipt = app.gc.port.assess_duty(app.signer(who), number, read_file(assessment))
    done(f"Declaration {number}: duty assessed", receipt, as_json)


@port.command()
@click.argument("number")
@click.option("--payment-ref", required=True, help="Payment reference (only its hash).")
@from_option()
@json_option
@pass_app
def paid(app: App, number: str, payment_ref: str, who: str, as_json: bool) -> None:
    """The tax bureau confirms the duty was paid."""
    receipt = app.gc.port.confirm_duty_paid(app.signer(who), number, payment_ref.encode())
    done(f"Declaration {number}: duty paid", receipt, as_json)


@port.command()
@click.argument("number")
@click.option("--reason", required=True)
@from_option()
@json_option
@pass_app
def reject(app: App, number: str, reason: str, who: str, as_json: bool) -> None:
    """Customs rejects the declaration (before release)."""
    done(
        f"Declaration {number}: rejected",
        app.gc.port.reject(app.signer(who), number, reason),
        as_json,
    )


@port.command()
@click.argument("number")
@json_option
@pass_app
def show(app: App, number: str, as_json: bool) -> None:
    """A declaration and its trail."""
    d = app.gc.port.declaration(number)
    events = app.gc.port.trail(number)
    steps = [
        {
            "block": e.block_number,
            "status": STATUS_NAMES[int(e.args.get("status", 1))],
            "by": e.args.get("by") or e.args.get("declarant"),
        }
        for e in events
    ]
    if as_json:
        print_json({**d.as_dict(), "trail": steps})
        return
    click.echo(f"declaration {d.number}: {d.status.name.lower()}")
    click.echo(f"  declarant {labels.describe(d.declarant)}")
    click.echo(f"  port {d.port}, filed in region {d.region}")
    for step in steps:
        click.echo(
            f"  block {step['block']:>6}  {step['status']:<14} {labels.describe(str(step['by']))}"
        )


@port.command("at")
@click.argument("port_code")
@json_option
@pass_app
def at(app: App, port_code: str, as_json: bool) -> None:
    """Declarations for goods at PORT_CODE, whichever region filed them (the terminal's view)."""
    ids = app.gc.port.at_port(port_code)
    raws = app.gc.port.contract.call_many([("declaration", (i,)) for i in ids])
    rows = [
        {
            "id": "0x" + i.hex(),
            "status": STATUS_NAMES[r["status"]],
            "region": r["region"],
            "declarant": r["declarant"],
        }
        for i, r in zip(ids, raws, strict=True)
    ]
    if as_json:
        print_json(rows)
        return
    table(
        ["declaration id", "status", "filed in", "declarant"],
        [
            [r["id"][:18] + "…", r["status"], r["region"], labels.describe(r["declarant"])]
            for r in rows
        ],
    )
