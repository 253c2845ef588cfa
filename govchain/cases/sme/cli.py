"""``govchain sme``: what the SME case adds to its generated commands — the SME's financial
profile, and its credit attestations shared with a lender under its consent (the SME consents
with ``govchain data consent N``)."""

from __future__ import annotations

from pathlib import Path

import click

from govchain.cases.sme.client import SmeClient
from govchain.chain import labels
from govchain.cli.common import NUMBER, App, done, from_option, json_option, pass_app, print_json
from govchain.errors import InputError
from govchain.files import write_atomic
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


@credit.command()
@from_option()
@json_option
@pass_app
def offer(app: App, who: str, as_json: bool) -> None:
    """List the agency's credit attestations in the data-sharing catalogue (once)."""
    rid = _sme(app).credit.offer(app.signer(who))
    done(f"Credit attestations offered as resource 0x{rid.hex()}", as_json=as_json)


@credit.command()
@click.argument("reference")
@click.option("--agency", required=True, help="The agency that attested it.")
@click.option("--until", required=True, help="Wanted end of access (2027-06-30).")
@from_option()
@json_option
@pass_app
def request(app: App, reference: str, agency: str, until: str, who: str, as_json: bool) -> None:
    """Ask to read an SME's credit attestation REFERENCE (a lender)."""
    client = _sme(app)
    item = client.resolve(reference, "attestation", filer=app.address(agency))
    number = client.credit.request(app.signer(who), item, until=until)
    done(
        f"Requested it as request #{number}: the agency approves, then the SME consents "
        f"(govchain data consent {number})",
        as_json=as_json,
        extra={"requestId": number},
    )


@credit.command()
@click.argument("request_id", type=NUMBER)
@click.argument("reference")
@click.option("--until", required=True, help="End of the grant (at most what was asked).")
@from_option()
@json_option
@pass_app
def approve(app: App, request_id: int, reference: str, until: str, who: str, as_json: bool) -> None:
    """Approve a request for the agency's attestation REFERENCE."""
    client = _sme(app)
    agency = app.signer(who)
    item = client.resolve(reference, "attestation", filer=agency.address)
    receipt = client.credit.approve(agency, request_id, item, until=until)
    done(f"Approved request #{request_id} until {until}", receipt, as_json)


@credit.command()
@click.argument("request_id", type=NUMBER)
@from_option()
@json_option
@pass_app
def share(app: App, request_id: int, who: str, as_json: bool) -> None:
    """Deliver the attested value under a live grant (logged with its commitment)."""
    delivered = _sme(app).credit.share(app.signer(who), request_id)
    done(
        f"Delivered under request #{request_id} as delivery {delivered.delivery_id}",
        as_json=as_json,
        extra={"deliveryId": delivered.delivery_id},
    )


@credit.command()
@click.argument("request_id", type=NUMBER)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@from_option()
@json_option
@pass_app
def fetch(app: App, request_id: int, out: Path, who: str, as_json: bool) -> None:
    """Decrypt the delivered value, check it against the attestation, acknowledge it."""
    if out.exists():
        raise InputError(f"{out} already exists: choose another --out.")
    payload = _sme(app).credit.fetch(app.signer(who), request_id)
    write_atomic(out, payload)
    done(f"Fetched into {out} (checked against the attestation; acknowledged)", as_json=as_json)
