"""``govchain kyc``: what the eKYC case adds to its generated commands — reuse of a bank's KYC
dossier under the enterprise's consent (offer, request, approve, share, fetch: the framework's
consent commands) and the supervisor's audit. The enterprise consents with
``govchain data consent N``."""

from __future__ import annotations

import click

from govchain.cases.kyc.client import KycClient
from govchain.chain import labels
from govchain.chain.roles import role_id
from govchain.cli.common import App, from_option, json_option, pass_app, print_json, table
from govchain.cli.consent import sharing_commands
from govchain.framework.casebase.consent import ItemSharing


def _kyc(app: App) -> KycClient:
    client = app.gc.case("kyc")
    assert isinstance(client, KycClient)
    return client


def _dossiers(app: App) -> ItemSharing:
    return _kyc(app).dossiers


def extend(group: click.Group) -> None:
    for command in sharing_commands(_dossiers, "KYC dossier"):
        group.add_command(command)
    group.add_command(audit)


@click.command()
@click.option("--enterprise", help="Only this enterprise (name or address).")
@from_option()
@json_option
@pass_app
def audit(app: App, enterprise: str | None, who: str, as_json: bool) -> None:
    """Who read whose KYC, when, under which consent (supervisors only)."""
    auditor = app.signer(who)
    app.gc.directory.contract.call("requireActiveRole", role_id("SUPERVISOR"), auditor.address)
    rows = _kyc(app).audit(app.address(enterprise) if enterprise else None)
    if as_json:
        print_json([r.as_dict() for r in rows])
        return
    table(
        ["block", "time", "what", "bank", "enterprise", "consent", "detail"],
        [
            [
                r.block,
                f"{r.time:%Y-%m-%d %H:%M}" if r.time else "-",
                r.what,
                labels.describe(r.bank),
                labels.describe(r.enterprise),
                f"#{r.consent}" if r.consent else "-",
                r.detail,
            ]
            for r in rows
        ],
    )
    click.echo(f"{len(rows)} event(s)")
