"""``govchain sme``: what the SME case adds to its generated commands — the SME's financial
profile, and its credit attestations shared with a lender under its consent (the SME consents
with ``govchain data consent N``)."""

from __future__ import annotations

import click

from govchain.cases.sme.client import SmeClient
from govchain.chain import labels
from govchain.cli.common import App, json_option, pass_app, print_json
from govchain.cli.consent import sharing_commands
from govchain.framework.casebase.consent import ItemSharing
from govchain.framework.casebase.values import yuan


def extend(group: click.Group) -> None:
    group.add_command(profile)
    group.add_command(credit)


def _sme(app: App) -> SmeClient:
    client = app.gc.case("sme")
    assert isinstance(client, SmeClient)
    return client


@click.command()
@click.argument("sme")
@json_option
@pass_app
def profile(app: App, sme: str, as_json: bool) -> None:
    """An SME's financial picture: contracts, confirmed, financed, repaid, overdue, attestations."""
    p = _sme(app).profile(app.address(sme))
    if as_json:
        print_json(p.as_dict())
        return
    click.echo(f"SME {labels.describe(p.sme)}")
    click.echo(f"  contracts     {p.contracts} ({yuan(p.contracted)})")
    states = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(p.invoices.items()))
    click.echo(f"  invoices      {states or 'none'}")
    click.echo(f"  confirmed     {yuan(p.confirmed)}")
    click.echo(f"  financed      {yuan(p.financed)}")
    click.echo(f"  repaid        {yuan(p.repaid)}")
    click.echo(f"  outstanding   {yuan(p.outstanding)}")
    click.echo(f"  overdue       {yuan(p.overdue)} ({p.overdue_count} receivable(s))")
    for a in p.attestations:
        click.echo(f"  attestation   {a.metric} by {labels.describe(a.agency)}: {a.state}")


@click.group()
def credit() -> None:
    """Credit attestations shared with a lender under the SME's consent."""


def _credit(app: App) -> ItemSharing:
    return _sme(app).credit


for _command in sharing_commands(_credit, "credit attestation"):
    credit.add_command(_command)
