"""``govchain haidian``: the hub's commands (catalogue, overdue, certify) and the records
check behind a benefit claim."""

from __future__ import annotations

import click

from govchain.cases.haidian.client import HaidianClient
from govchain.cli.common import App, done, from_option, json_option, pass_app
from govchain.cli.hub import hub_commands


def _client(app: App) -> HaidianClient:
    client = app.gc.case("haidian")
    assert isinstance(client, HaidianClient)
    return client


def extend(group: click.Group) -> None:
    hub_commands(group, "haidian")
    benefit = group.commands["benefit"]
    assert isinstance(benefit, click.Group)
    benefit.add_command(records)
    benefit.add_command(grant)


@click.command()
@click.argument("id_number")
@click.option("--until", required=True, help="Until when (2027-03-31).")
@from_option()
@json_option
@pass_app
def records(app: App, id_number: str, until: str, who: str, as_json: bool) -> None:
    """HR asks for the claimant's social-insurance records (the citizen consents with
    `govchain data consent N`)."""
    number = _client(app).request_records(app.signer(who), id_number, until=until)
    done(f"Records requested: request #{number}", as_json=as_json, extra={"request": number})


@click.command()
@click.argument("request", type=int)
@click.argument("id_number")
@click.option("--until", required=True, help="Until when (2027-03-31).")
@from_option()
@json_option
@pass_app
def grant(app: App, request: int, id_number: str, until: str, who: str, as_json: bool) -> None:
    """The social-insurance fund approves REQUEST for the claim of ID_NUMBER."""
    receipt = _client(app).grant_records(app.signer(who), request, id_number, until=until)
    done(f"Request #{request} approved for this claim", receipt, as_json)
