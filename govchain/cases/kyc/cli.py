"""``govchain kyc``: what the eKYC case adds to its generated commands — reuse under the
enterprise's consent (offer, request, approve, share, fetch) and the supervisor's audit. The
enterprise consents with ``govchain data consent N``."""

from __future__ import annotations

from pathlib import Path

import click

from govchain.cases.kyc.client import KycClient
from govchain.chain import labels
from govchain.chain.roles import role_id
from govchain.cli.common import (
    NUMBER,
    App,
    done,
    from_option,
    json_option,
    pass_app,
    print_json,
    table,
)
from govchain.errors import InputError
from govchain.files import write_atomic


def extend(group: click.Group) -> None:
    for command in (offer, request, approve, share, fetch, audit):
        group.add_command(command)


def _kyc(app: App) -> KycClient:
    client = app.gc.case("kyc")
    assert isinstance(client, KycClient)
    return client


@click.command()
@from_option()
@json_option
@pass_app
def offer(app: App, who: str, as_json: bool) -> None:
    """List the bank's KYC dossiers in the data-sharing catalogue (once, before any reuse)."""
    rid = _kyc(app).offer(app.signer(who))
    done(f"KYC dossiers offered as resource 0x{rid.hex()}", as_json=as_json)


@click.command()
@click.argument("credit_code", metavar="CREDIT_CODE")
@click.option("--until", required=True, help="Wanted end of the reuse (2027-06-30).")
@click.option("--attester", help="The attesting bank, when several banks attested the enterprise.")
@from_option()
@json_option
@pass_app
def request(
    app: App, credit_code: str, until: str, attester: str | None, who: str, as_json: bool
) -> None:
    """Ask to reuse another bank's KYC attestation of CREDIT_CODE."""
    number = _kyc(app).request_reuse(
        app.signer(who),
        credit_code,
        until=until,
        attester=app.address(attester) if attester else None,
    )
    done(
        f"Requested reuse as request #{number}: the attesting bank approves, then the "
        f"enterprise consents (govchain data consent {number})",
        as_json=as_json,
        extra={"requestId": number},
    )


@click.command()
@click.argument("request_id", type=NUMBER)
@click.option("--until", required=True, help="End of the grant (at most what was asked).")
@click.option("--credit-code", help="Which attestation, if the bank attested several codes.")
@from_option()
@json_option
@pass_app
def approve(
    app: App, request_id: int, until: str, credit_code: str | None, who: str, as_json: bool
) -> None:
    """Approve a reuse request, scoped to the bank's valid attestation of the enterprise."""
    receipt = _kyc(app).approve_reuse(
        app.signer(who), request_id, until=until, credit_code=credit_code
    )
    done(f"Approved request #{request_id} until {until}", receipt, as_json)


@click.command()
@click.argument("request_id", type=NUMBER)
@from_option()
@json_option
@pass_app
def share(app: App, request_id: int, who: str, as_json: bool) -> None:
    """Deliver the attestation's dossier under a live grant (logged with its commitment)."""
    delivered = _kyc(app).share(app.signer(who), request_id)
    done(
        f"Delivered the dossier under request #{request_id} as delivery {delivered.delivery_id}",
        as_json=as_json,
        extra={
            "deliveryId": delivered.delivery_id,
            "contentHash": "0x" + delivered.content_hash.hex(),
        },
    )


@click.command()
@click.argument("request_id", type=NUMBER)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@from_option()
@json_option
@pass_app
def fetch(app: App, request_id: int, out: Path, who: str, as_json: bool) -> None:
    """Decrypt the delivered dossier, check it against the chain, acknowledge it."""
    if out.exists():
        raise InputError(f"{out} already exists: choose another --out.")
    payload = _kyc(app).fetch(app.signer(who), request_id)
    write_atomic(out, payload)
    done(
        f"Fetched the dossier of request #{request_id} into {out} (it is the attestation's "
        "anchored dossier; acknowledged)",
        as_json=as_json,
        extra={"file": str(out), "bytes": len(payload)},
    )


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
