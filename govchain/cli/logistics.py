"""``govchain logistics``: case 1, airport international logistics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from govchain.cases.logistics import DocumentType, Inspection
from govchain.chain import labels
from govchain.cli.common import (
    App,
    done,
    from_option,
    json_option,
    pass_app,
    print_json,
    read_file,
    table,
    transition_commands,
)
from govchain.errors import InputError

FilePath = click.Path(dir_okay=False, path_type=Path)


@click.group()
def logistics() -> None:
    """Air cargo shipments by waybill: journey, documents, tracking, export tax refund."""


transition_commands(
    logistics,
    "waybill",
    [
        (
            "receive",
            "The airport receives the cargo at its terminal.",
            lambda app, s, w: app.gc.logistics.receive_at_terminal(s, w),
        ),
        (
            "release",
            "Customs releases a shipment whose inspection passed or was waived.",
            lambda app, s, w: app.gc.logistics.release(s, w),
        ),
        (
            "depart",
            "The airport records the departure.",
            lambda app, s, w: app.gc.logistics.depart(s, w),
        ),
        (
            "arrive",
            "The logistics operator records arrival.",
            lambda app, s, w: app.gc.logistics.arrive(s, w),
        ),
        (
            "deliver",
            "The logistics operator records delivery.",
            lambda app, s, w: app.gc.logistics.deliver(s, w),
        ),
    ],
    lambda app, w: app.gc.logistics.shipment(w).status.name.lower(),
)


@logistics.command()
@click.argument("waybill")
@click.option("--merchant", required=True, help="The shipper (address or name).")
@from_option()
@json_option
@pass_app
def book(app: App, waybill: str, merchant: str, who: str, as_json: bool) -> None:
    """The logistics operator books a shipment for a merchant."""
    receipt = app.gc.logistics.book(app.signer(who), waybill, app.address(merchant))
    done(f"{waybill}: booked for {labels.describe(app.address(merchant))}", receipt, as_json)


@logistics.command()
@click.argument("waybill")
@click.argument("declaration", type=FilePath)
@from_option()
@json_option
@pass_app
def declare(app: App, waybill: str, declaration: Path, who: str, as_json: bool) -> None:
    """The merchant declares the shipment (the declaration is stored encrypted, its hash
    anchored)."""
    receipt = app.gc.logistics.declare(app.signer(who), waybill, read_file(declaration))
    done(f"{waybill}: declared", receipt, as_json)


@logistics.command()
@click.argument("waybill")
@click.option(
    "--result", required=True, type=click.Choice([i.name.lower() for i in Inspection if i.value])
)
@click.option("--report", type=FilePath, help="Inspection report (stored encrypted).")
@from_option()
@json_option
@pass_app
def inspect(
    app: App, waybill: str, result: str, report: Path | None, who: str, as_json: bool
) -> None:
    """Customs records an inspection: pass, waived, hold (inspect again later) or fail."""
    receipt = app.gc.logistics.inspect(
        app.signer(who), waybill, result, read_file(report) if report else None
    )
    status = app.gc.logistics.shipment(waybill).status.name.lower()
    done(f"{waybill}: inspection {result}, shipment {status}", receipt, as_json)


@logistics.command()
@click.argument("waybill")
@click.argument("file", type=FilePath)
@click.option(
    "--type", "doc_type", required=True, type=click.Choice([d.name.lower() for d in DocumentType])
)
@from_option()
@json_option
@pass_app
def attach(app: App, waybill: str, file: Path, doc_type: str, who: str, as_json: bool) -> None:
    """Store a shipment document encrypted to the parties and authorities; anchor its hash."""
    digest = app.gc.logistics.attach(app.signer(who), waybill, doc_type, read_file(file))
    done(
        f"{waybill}: {doc_type} anchored",
        as_json=as_json,
        extra={"contentHash": "0x" + digest.hex()},
    )


@logistics.command()
@click.argument("waybill")
@click.argument("content_hash")
@click.option("--out", required=True, type=FilePath)
@from_option()
@pass_app
def read(app: App, waybill: str, content_hash: str, out: Path, who: str) -> None:
    """Decrypt a shipment document (parties and authorities only)."""
    try:
        digest = bytes.fromhex(content_hash.removeprefix("0x"))
    except ValueError:
        raise InputError(f"'{content_hash}' is not a hash.") from None
    if out.exists():
        raise InputError(f"{out} already exists.")
    out.write_bytes(app.gc.logistics.read(app.signer(who), waybill, digest))
    click.echo(f"✓ Wrote {out} (its hash matches the one anchored for {waybill})")


@logistics.command()
@click.argument("waybill")
@json_option
@pass_app
def show(app: App, waybill: str, as_json: bool) -> None:
    """The shipment: parties, status, inspection result, refund, documents."""
    lg = app.gc.logistics
    shipment = lg.shipment(waybill)
    documents = lg.documents(waybill)
    if as_json:
        print_json({**shipment.as_dict(), "documentList": documents})
        return
    info = shipment.as_dict()
    for key in ("waybill", "status", "inspection", "refund", "updatedAt"):
        click.echo(f"{key:<11} {info[key]}")
    click.echo(f"{'merchant':<11} {labels.describe(shipment.merchant)}")
    click.echo(f"{'operator':<11} {labels.describe(shipment.operator)}")
    for d in documents:
        click.echo(
            f"{'document':<11} {d['type']} {d['contentHash']} by {labels.describe(d['uploader'])}"
        )


@logistics.command()
@click.argument("waybill")
@json_option
@pass_app
def trail(app: App, waybill: str, as_json: bool) -> None:
    """The cargo trail: every event of the shipment."""
    events = app.gc.logistics.trail(waybill)
    rows = [{"block": e.block_number, "event": e.name, "detail": _detail(e.args)} for e in events]
    if as_json:
        print_json(rows)
        return
    table(["block", "event", "detail"], [[r["block"], r["event"], r["detail"]] for r in rows])


def _detail(args: dict[str, Any]) -> str:
    parts = []
    for key, value in args.items():
        if key == "waybill":
            continue
        if isinstance(value, bytes):
            value = "0x" + value.hex()[:16] + "…"
        elif isinstance(value, str) and value.startswith("0x") and len(value) == 42:
            value = labels.describe(value)
        parts.append(f"{key}={value}")
    return ", ".join(parts)


# -- export tax refund -------------------------------------------------------------------------
@logistics.group()
def refund() -> None:
    """The export tax refund: merchant claims after departure, tax approves and pays once."""


@refund.command("request")
@click.argument("waybill")
@click.option("--claim", required=True, type=FilePath, help="The claim (only its hash on chain).")
@from_option()
@json_option
@pass_app
def refund_request(app: App, waybill: str, claim: Path, who: str, as_json: bool) -> None:
    """The merchant claims the refund."""
    done(
        f"{waybill}: refund requested",
        app.gc.logistics.request_refund(app.signer(who), waybill, read_file(claim)),
        as_json,
    )


@refund.command("approve")
@click.argument("waybill")
@from_option()
@json_option
@pass_app
def refund_approve(app: App, waybill: str, who: str, as_json: bool) -> None:
    """The tax bureau approves the refund."""
    done(
        f"{waybill}: refund approved",
        app.gc.logistics.approve_refund(app.signer(who), waybill),
        as_json,
    )


@refund.command("reject")
@click.argument("waybill")
@click.option("--reason", required=True)
@from_option()
@json_option
@pass_app
def refund_reject(app: App, waybill: str, reason: str, who: str, as_json: bool) -> None:
    """The tax bureau rejects the refund."""
    done(
        f"{waybill}: refund rejected",
        app.gc.logistics.reject_refund(app.signer(who), waybill, reason),
        as_json,
    )


@refund.command("pay")
@click.argument("waybill")
@click.option("--payment-ref", required=True, help="Payment reference (only its hash).")
@from_option()
@json_option
@pass_app
def refund_pay(app: App, waybill: str, payment_ref: str, who: str, as_json: bool) -> None:
    """The tax bureau pays the refund (once)."""
    done(
        f"{waybill}: refund paid",
        app.gc.logistics.pay_refund(app.signer(who), waybill, payment_ref.encode()),
        as_json,
    )


# -- tracking messages -------------------------------------------------------------------------
@logistics.group()
def track() -> None:
    """Tracking messages at volume: Merkle batches anchored on chain, each message provable."""


@track.command("anchor")
@click.argument("file", type=FilePath)
@from_option()
@json_option
@pass_app
def track_anchor(app: App, file: Path, who: str, as_json: bool) -> None:
    """Anchor every line of FILE as a tracking message (one transaction per 65,536 lines)."""
    lines = [line for line in read_file(file).splitlines() if line.strip()]
    if not lines:
        raise InputError(f"{file} holds no messages.")
    ids = app.gc.logistics.anchor_messages(app.signer(who), lines)
    done(
        f"Anchored {len(lines)} messages in {len(ids)} batch(es)",
        as_json=as_json,
        extra={"batches": ids, "messages": len(lines)},
    )


@track.command("prove")
@click.argument("message")
@click.option("--out", type=FilePath, help="Write the proof here (JSON).")
@pass_app
def track_prove(app: App, message: str, out: Path | None) -> None:
    """The proof of one message (exactly as anchored)."""
    proof = app.gc.logistics.prove_message(message.encode())
    text = json.dumps(proof.as_json(), indent=2)
    if out:
        out.write_text(text + "\n")
        click.echo(f"✓ Proof written to {out} (batch {proof.batch_id}, {len(proof.proof)} steps)")
    else:
        click.echo(text)


@track.command("verify")
@click.argument("message")
@click.option("--proof", "proof_file", required=True, type=FilePath)
@pass_app
def track_verify(app: App, message: str, proof_file: Path) -> None:
    """Check a message against the chain with its proof. Exit 0 only if it is anchored."""
    from govchain.framework.batches import ItemProof

    try:
        raw = json.loads(read_file(proof_file))
        proof = ItemProof(
            int(raw["batchId"]),
            bytes.fromhex(raw["leaf"][2:]),
            tuple(bytes.fromhex(p[2:]) for p in raw["proof"]),
            bytes.fromhex(raw["root"][2:]),
        )
    except (ValueError, KeyError, TypeError):
        raise InputError(f"{proof_file} is not a tracking proof.") from None
    if app.gc.logistics.verify_message(message.encode(), proof):
        click.echo(f"✓ The message is in tracking batch {proof.batch_id} on chain")
    else:
        click.echo("✗ The message does not match this proof and the chain")
        raise SystemExit(1)
