"""``govchain data``: the data-sharing catalogue, requests, consent, delivery and audit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from govchain.chain import labels
from govchain.chain.roles import role_id
from govchain.chain.signers import resolve_account
from govchain.cli.common import (
    NUMBER,
    App,
    done,
    from_option,
    json_option,
    pass_app,
    print_json,
    read_file,
    table,
)
from govchain.client import local_resolver
from govchain.errors import InputError
from govchain.files import write_atomic
from govchain.framework.certificates.documents import parse_time
from govchain.framework.sharing.client import describe_event, resource_id

CATALOG_FILE = "catalog.json"


@click.group()
def data() -> None:
    """Share data between agencies: catalogue, requests, consent, encrypted delivery, audit."""


@data.group()
def catalog() -> None:
    """The catalogue of data resources ("directory chain")."""


@catalog.command("add")
@click.argument("slug")
@click.option("--title", required=True, help="Title (only its hash goes on chain).")
@click.option(
    "--schema",
    "schema_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Schema file (its hash goes on chain).",
)
@click.option(
    "--sharing",
    type=click.Choice(["open", "on-approval", "not-shared"]),
    default="on-approval",
    show_default=True,
)
@click.option("--personal", is_flag=True, help="Holds personal or enterprise data (consent).")
@from_option()
@json_option
@pass_app
def catalog_add(
    app: App,
    slug: str,
    title: str,
    schema_file: Path | None,
    sharing: str,
    personal: bool,
    who: str,
    as_json: bool,
) -> None:
    """List a data resource called SLUG (e.g. social-insurance/records)."""
    schema = read_file(schema_file) if schema_file else b""
    receipt = app.gc.sharing.list_resource(
        app.signer(who), slug, title=title, schema=schema, sharing=sharing, personal=personal
    )
    _remember(app, slug, title)
    done(f"Listed {slug} ({sharing}{', personal data' if personal else ''})", receipt, as_json)


@catalog.command("list")
@json_option
@pass_app
def catalog_list(app: App, as_json: bool) -> None:
    """List the catalogue."""
    names = _names(app)
    rows = [
        {
            "resource": names.get("0x" + r.resource_id.hex(), {}).get(
                "slug", "0x" + r.resource_id.hex()
            ),
            "title": names.get("0x" + r.resource_id.hex(), {}).get("title"),
            "owner": labels.describe(r.owner),
            "sharing": r.sharing.name.lower(),
            "personal": r.personal,
            "listed": r.listed,
        }
        for r in app.gc.sharing.resources()
    ]
    if as_json:
        print_json(rows)
        return
    table(
        ["resource", "title", "owner", "sharing", "personal"],
        [
            [
                r["resource"],
                r["title"] or "?",
                r["owner"],
                r["sharing"],
                "yes" if r["personal"] else "no",
            ]
            for r in rows
        ],
    )


@catalog.command("show")
@click.argument("slug")
@json_option
@pass_app
def catalog_show(app: App, slug: str, as_json: bool) -> None:
    """Show one resource."""
    r = app.gc.sharing.resource(resource_id(slug))
    info = {
        "resource": slug,
        "id": "0x" + r.resource_id.hex(),
        "owner": r.owner,
        "sharing": r.sharing.name.lower(),
        "personal": r.personal,
        "listed": r.listed,
        "titleHash": "0x" + r.title_hash.hex(),
        "schemaHash": "0x" + r.schema_hash.hex(),
    }
    if as_json:
        print_json(info)
        return
    for key, value in info.items():
        click.echo(f"{key:<11} {labels.describe(str(value)) if key == 'owner' else value}")


@data.command()
@click.argument("slug")
@click.option(
    "--purpose",
    required=True,
    help="Purpose code from the published catalogue (unemployment-claim, kyc-reuse, …).",
)
@click.option("--until", "until", required=True, help="Wanted end of access (2026-12-31).")
@click.option("--subject", help="Data subject's account (for personal data).")
@from_option()
@json_option
@pass_app
def request(
    app: App, slug: str, purpose: str, until: str, subject: str | None, who: str, as_json: bool
) -> None:
    """Request access to resource SLUG."""
    subject_address = app.address(subject) if subject else None
    request_id = app.gc.sharing.request(
        app.signer(who),
        slug,
        purpose=purpose,
        wanted_expiry=parse_time(until),
        subject=subject_address,
    )
    state = app.gc.sharing.get(request_id).status.name.lower()
    done(
        f"Request #{request_id} for {slug} ({state})",
        as_json=as_json,
        extra={"requestId": request_id, "status": state},
    )


@data.command()
@click.argument("request_id", type=NUMBER)
@click.option("--until", "until", required=True, help="End of access (at most what was asked).")
@click.option(
    "--scope",
    default="full-record",
    show_default=True,
    help="Scope from the catalogue (last-12-months, last-36-months, current-status, full-record…).",
)
@from_option()
@json_option
@pass_app
def approve(app: App, request_id: int, until: str, scope: str, who: str, as_json: bool) -> None:
    """Approve a request (resource owner)."""
    receipt = app.gc.sharing.approve(
        app.signer(who), request_id, expiry=parse_time(until), scope=scope
    )
    done(f"Approved request #{request_id} until {until}", receipt, as_json)


@data.command()
@click.argument("request_id", type=NUMBER)
@click.option("--reason", required=True, help="Short reason code.")
@from_option()
@json_option
@pass_app
def reject(app: App, request_id: int, reason: str, who: str, as_json: bool) -> None:
    """Reject a request (resource owner)."""
    receipt = app.gc.sharing.reject(app.signer(who), request_id, reason)
    done(f"Rejected request #{request_id} ({reason})", receipt, as_json)


@data.command()
@click.argument("request_id", type=NUMBER)
@click.option(
    "--relay",
    help="Who submits the signed consent (when the subject is not a "
    "participant), e.g. the requester.",
)
@from_option()
@json_option
@pass_app
def consent(app: App, request_id: int, relay: str | None, who: str, as_json: bool) -> None:
    """The data subject (--from) consents to a request: by transaction if it is a participant,
    else by an EIP-712 signature that --relay submits."""
    sharing = app.gc.sharing
    if relay is None:
        receipt = sharing.consent(app.signer(who), request_id)
    else:
        chain_id = app.gc.chain.chain_id
        subject = resolve_account(app.config, chain_id, who, _password, local_resolver(chain_id))
        deadline, signature = sharing.sign_consent(subject, request_id)
        receipt = sharing.submit_consent(app.signer(relay), request_id, deadline, signature)
    done(f"Consent recorded for request #{request_id}", receipt, as_json)


@data.command()
@click.argument("request_id", type=NUMBER)
@from_option()
@json_option
@pass_app
def revoke(app: App, request_id: int, who: str, as_json: bool) -> None:
    """Revoke a request or grant (resource owner or data subject)."""
    receipt = app.gc.sharing.revoke(app.signer(who), request_id)
    done(f"Revoked request #{request_id}: no further deliveries", receipt, as_json)


@data.command()
@click.argument("request_id", type=NUMBER)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@from_option()
@json_option
@pass_app
def deliver(app: App, request_id: int, file: Path, who: str, as_json: bool) -> None:
    """Encrypt FILE for the requester, store it, and log its hash under the grant."""
    media = "application/json" if file.suffix.lower() == ".json" else "application/octet-stream"
    delivered = app.gc.exchange.deliver(app.signer(who), request_id, read_file(file), media)
    done(
        f"Delivered {file.name} under request #{request_id} as delivery {delivered.delivery_id}",
        as_json=as_json,
        extra={
            "deliveryId": delivered.delivery_id,
            "contentHash": "0x" + delivered.content_hash.hex(),
        },
    )


@data.command()
@click.argument("request_id", type=NUMBER)
@click.option(
    "--delivery",
    "delivery_id",
    type=NUMBER,
    default=None,
    help="Which delivery (default: the latest).",
)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@from_option()
@json_option
@pass_app
def fetch(
    app: App, request_id: int, delivery_id: int | None, out: Path, who: str, as_json: bool
) -> None:
    """Decrypt a delivery, check it against the chain, and acknowledge it."""
    if out.exists():
        raise InputError(f"{out} already exists: choose another --out.")
    number = delivery_id or app.gc.sharing.get(request_id).deliveries
    if number == 0:
        raise InputError(f"Nothing has been delivered under request #{request_id} yet.")
    payload = app.gc.exchange.fetch(app.signer(who), request_id, number)
    write_atomic(out, payload)
    done(
        f"Fetched delivery {number} of request #{request_id} into {out} (hash matches the "
        "chain; acknowledged)",
        as_json=as_json,
        extra={"file": str(out), "bytes": len(payload)},
    )


@data.command()
@click.argument("request_id", type=NUMBER)
@json_option
@pass_app
def show(app: App, request_id: int, as_json: bool) -> None:
    """Show a request: status, consent, expiry, deliveries."""
    q = app.gc.sharing.get(request_id)
    why = app.gc.sharing.not_live_reason(request_id)
    info: dict[str, Any] = {
        "requestId": request_id,
        "resource": _slug(app, q.resource_id),
        "requester": q.requester,
        "subject": q.subject,
        "status": q.status.name.lower(),
        "consented": q.consented,
        "purpose": q.purpose_text,
        "wantedUntil": q.wanted_expiry.isoformat(),
        "until": q.expiry.isoformat() if q.expiry else None,
        "deliveries": q.deliveries,
        "live": why is None,
        "notLiveBecause": why,
    }
    if as_json:
        print_json(info)
        return
    for key, value in info.items():
        if key in ("requester", "subject") and value:
            value = labels.describe(value)
        click.echo(f"{key:<15} {value}")


@data.command()
@click.option("--resource", "slug", help="Only this resource.")
@click.option("--requester", help="Only this requester.")
@click.option("--subject", help="Only this data subject.")
@from_option()
@json_option
@pass_app
def audit(
    app: App, slug: str | None, requester: str | None, subject: str | None, who: str, as_json: bool
) -> None:
    """The full trail of requests, grants, deliveries and acknowledgements (supervisors)."""
    auditor = app.signer(who)
    app.gc.directory.contract.call("requireActiveRole", role_id("SUPERVISOR"), auditor.address)
    events = app.gc.sharing.trail(
        resource=resource_id(slug) if slug else None,
        requester=app.address(requester) if requester else None,
        subject=app.address(subject) if subject else None,
    )
    rows = [
        {
            "block": e.block_number,
            "event": e.name,
            "tx": e.tx_hash,
            "args": {k: ("0x" + v.hex() if isinstance(v, bytes) else v) for k, v in e.args.items()},
            "summary": describe_event(e),
        }
        for e in events
    ]
    if as_json:
        print_json(rows)
        return
    table(["block", "event", "what"], [[r["block"], r["event"], r["summary"]] for r in rows])
    click.echo(f"{len(rows)} event(s)")


# -- helpers -----------------------------------------------------------------------------------
def _password(entry: Any) -> str:
    from govchain.cli.common import prompt_password

    return prompt_password(entry)


def _names(app: App) -> dict[str, dict[str, str]]:
    try:
        names = json.loads((app.config.data_dir / CATALOG_FILE).read_text())
    except (OSError, ValueError):
        return {}
    return names if isinstance(names, dict) else {}


def _remember(app: App, slug: str, title: str) -> None:
    names = _names(app)
    names["0x" + resource_id(slug).hex()] = {"slug": slug, "title": title}
    write_atomic(
        app.config.data_dir / CATALOG_FILE,
        json.dumps(names, indent=1, ensure_ascii=False) + "\n",
        make_parents=True,
    )


def _slug(app: App, rid: bytes) -> str:
    return _names(app).get("0x" + rid.hex(), {}).get("slug", "0x" + rid.hex())
