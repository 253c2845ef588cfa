"""``govchain estate``: what the estate case adds to its generated commands — an owner's or
buyer's signature of a sale's terms (``sign``) and a unit's title (``title``): who owns it,
since when, with which encumbrances, and its ownership history."""

from __future__ import annotations

import click

from govchain.cases.estate.client import EstateClient
from govchain.cases.estate.spec import show_shares
from govchain.chain import labels
from govchain.cli.common import App, from_option, json_option, pass_app, print_json
from govchain.framework.casebase.values import show_time, yuan


def extend(group: click.Group) -> None:
    group.add_command(sign)
    group.add_command(title)


def _estate(app: App) -> EstateClient:
    client = app.gc.case("estate")
    assert isinstance(client, EstateClient)
    return client


@click.command()
@click.argument("unit")
@click.option("--buyers", required=True, help="The buyers (comma-separated).")
@click.option("--shares", required=True, help="Their shares in percent (comma-separated).")
@click.option("--accept", is_flag=True, help="As a buyer accepting the applied sale.")
@from_option()
@pass_app
def sign(app: App, unit: str, buyers: str, shares: str, accept: bool, who: str) -> None:
    """Sign the terms of a sale of UNIT (an owner; a buyer with --accept): prints the signature."""
    resolved = ",".join(app.address(b) for b in buyers.split(","))
    signer = app.signer(who).account
    click.echo("0x" + _estate(app).sign(signer, unit, resolved, shares, pending=accept).hex())


@click.command()
@click.argument("unit")
@json_option
@pass_app
def title(app: App, unit: str, as_json: bool) -> None:
    """Who owns UNIT, in which shares, since when, with which encumbrances."""
    t = _estate(app).title(unit)
    if as_json:
        print_json(t.as_dict())
        return
    click.echo(f"unit {unit}, since {show_time(t.since)}")
    for owner, share in zip(t.owners, t.shares, strict=True):
        click.echo(f"  owner  {labels.describe(owner)}: {show_shares([share])}")
    if t.mortgage:
        m = t.mortgage
        click.echo(f"  mortgage  {labels.describe(m['bank'])}, {yuan(m['amount'])} ({m['state']})")
    for s in t.seizures:
        click.echo(f"  seized by {labels.describe(s['court'])}")
    if not t.mortgage and not t.seizures:
        click.echo("  no encumbrances")
    for h in t.history:
        click.echo(f"  block {h['block']:>6}  owners {', '.join(h['owners'])}: "
                   f"{show_shares(h['shares'])}")  # fmt: skip
