"""``govchain port``: what the port case adds to its generated commands (batch filing)."""

from __future__ import annotations

from pathlib import Path

import click

from govchain.cases.port.client import Filing, PortClient
from govchain.cli.common import App, done, from_option, json_option, pass_app
from govchain.errors import InputError
from govchain.inputs import read_csv

COLUMNS = ("number", "port", "region", "goods")


def extend(group: click.Group) -> None:
    group.add_command(submit_batch)


@click.command("submit-batch")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@from_option()
@json_option
@pass_app
def submit_batch(app: App, csv_file: Path, who: str, as_json: bool) -> None:
    """File every row of CSV_FILE (columns: number, port, region, goods) in batches of 200."""
    rows = list(read_csv(csv_file))
    if not rows or set(COLUMNS) - set(rows[0]):
        raise InputError(f"{csv_file} needs the columns {', '.join(COLUMNS)}.")
    filings = [
        Filing(r["number"], r["port"], r["region"], (r["goods"] or "").encode()) for r in rows
    ]
    client = app.gc.case("port")
    assert isinstance(client, PortClient)
    receipts = client.submit_many(app.signer(who), filings)
    done(
        f"{len(filings)} declarations submitted in {len(receipts)} transaction(s)",
        as_json=as_json,
        extra={"count": len(filings), "transactions": len(receipts)},
    )
