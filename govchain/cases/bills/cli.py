"""``govchain bill``: what the bills case adds to its generated commands (public verification)."""

from __future__ import annotations

from pathlib import Path

import click

from govchain.cases.bills.client import BillsClient
from govchain.chain import labels
from govchain.cli.common import App, json_option, pass_app, print_json, read_file


def extend(group: click.Group) -> None:
    group.add_command(verify)


@click.command("verify")
@click.argument("reference", metavar="SERIES/NUMBER")
@click.option(
    "--document",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The bill document: checked against the hash issued.",
)
@json_option
@pass_app
def verify(app: App, reference: str, document: Path | None, as_json: bool) -> None:
    """Verify a bill from its series and number (and its document): no keystore needed.
    Exit 0 only if it is authentic, not voided and the document (if given) matches."""
    client = app.gc.case("bill")
    assert isinstance(client, BillsClient)
    check = client.verify(reference, read_file(document) if document else None)
    if as_json:
        print_json(check.as_dict())
    else:
        yuan = lambda fen: f"{fen // 100}.{fen % 100:02d} yuan"  # noqa: E731
        click.echo(
            f"Bill {check.reference}: {check.bill_type}, issued by {labels.describe(check.issuer)}"
        )
        click.echo(f"  face        {yuan(check.face)}")
        remaining = yuan(check.face - check.reimbursed)
        click.echo(f"  reimbursed  {yuan(check.reimbursed)} (remaining {remaining})")
        click.echo(f"  status      {check.state.replace('_', ' ')}")
        if check.document_matches is not None:
            click.echo(f"  document    {'matches' if check.document_matches else 'DOES NOT MATCH'}")
        click.echo("VALID" if check.valid else "NOT VALID")
    if not check.valid:
        raise SystemExit(1)
