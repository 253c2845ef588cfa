"""Commands for sharing a case's item documents under the data subject's consent (the
framework's :class:`~govchain.framework.casebase.consent.ItemSharing`): offer, request, approve,
share, fetch — the same five for a bank's KYC dossiers and an agency's credit attestations. The
data subject consents with ``govchain data consent N``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from govchain.cli.common import NUMBER, App, done, from_option, json_option, pass_app
from govchain.errors import InputError
from govchain.files import write_atomic
from govchain.framework.casebase.consent import ItemSharing

Get = Callable[[App], ItemSharing]


def sharing_commands(get: Get, thing: str) -> list[click.Command]:
    """The five commands for ``thing`` (``"KYC dossier"``), on the ItemSharing ``get`` returns."""

    @click.command()
    @from_option()
    @json_option
    @pass_app
    def offer(app: App, who: str, as_json: bool) -> None:
        rid = get(app).offer(app.signer(who))
        done(f"Offered as data-sharing resource 0x{rid.hex()}", as_json=as_json)

    offer.help = f"List the caller's {thing}s in the data-sharing catalogue (once)."

    @click.command()
    @click.argument("reference")
    @click.option("--owner", help="Whose item, when several filed the same reference.")
    @click.option("--until", required=True, help="Wanted end of access (2027-06-30).")
    @from_option()
    @json_option
    @pass_app
    def request(
        app: App, reference: str, owner: str | None, until: str, who: str, as_json: bool
    ) -> None:
        number = get(app).request(app.signer(who), reference, until=until,
                                  owner=app.address(owner) if owner else None)  # fmt: skip
        done(
            f"Requested as request #{number}: its owner approves, then the data subject "
            f"consents (govchain data consent {number})",
            as_json=as_json,
            extra={"requestId": number},
        )

    request.help = f"Ask for the {thing} of REFERENCE."

    @click.command()
    @click.argument("request_id", type=NUMBER)
    @click.argument("reference", required=False)
    @click.option("--until", required=True, help="End of the grant (at most what was asked).")
    @from_option()
    @json_option
    @pass_app
    def approve(
        app: App, request_id: int, reference: str | None, until: str, who: str, as_json: bool
    ) -> None:
        receipt = get(app).approve(app.signer(who), request_id, until=until, item=reference)
        done(f"Approved request #{request_id} until {until}", receipt, as_json)

    approve.help = (
        f"Approve a request, scoped to one {thing} (REFERENCE, or the caller's one live item "
        "about the request's subject)."
    )

    @click.command()
    @click.argument("request_id", type=NUMBER)
    @from_option()
    @json_option
    @pass_app
    def share(app: App, request_id: int, who: str, as_json: bool) -> None:
        delivered = get(app).share(app.signer(who), request_id)
        done(
            f"Delivered under request #{request_id} as delivery {delivered.delivery_id}",
            as_json=as_json,
            extra={
                "deliveryId": delivered.delivery_id,
                "contentHash": "0x" + delivered.content_hash.hex(),
            },
        )

    share.help = f"Deliver the {thing} under a live grant (logged with its commitment)."

    @click.command()
    @click.argument("request_id", type=NUMBER)
    @click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
    @from_option()
    @json_option
    @pass_app
    def fetch(app: App, request_id: int, out: Path, who: str, as_json: bool) -> None:
        if out.exists():
            raise InputError(f"{out} already exists: choose another --out.")
        payload = get(app).fetch(app.signer(who), request_id)
        write_atomic(out, payload)
        done(
            f"Fetched into {out} (checked against the chain; acknowledged)",
            as_json=as_json,
            extra={"file": str(out), "bytes": len(payload)},
        )

    fetch.help = f"Decrypt the delivered {thing}, check it against the chain, acknowledge it."
    return [offer, request, approve, share, fetch]
