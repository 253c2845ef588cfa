"""Demo: one air export shipment from booking to delivery, with documents, tracking messages at
volume and the export tax refund."""

from __future__ import annotations

import time
from collections.abc import Callable

from govchain.cases.logistics import Inspection
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import GovChainError

Say = Callable[[str], None]


def fresh_waybill() -> str:
    """A valid, new air waybill number (airline prefix 999; serial from the clock)."""
    first7 = int(time.time() * 10) % 10_000_000
    return f"999-{first7:07d}{first7 % 7}"


def run(gc: GovChain, say: Say) -> str:
    lg = gc.logistics
    actor = {
        k: gc.sender(cast.BY_KEY[k].account)
        for k in ("forwarder", "merchant", "airport", "customs-beijing", "tax")
    }
    awb = fresh_waybill()
    say(f"Airport logistics: air waybill {awb}, laptops from Beijing Capital Airport.")
    lg.book(actor["forwarder"], awb, cast.BY_KEY["merchant"].address)
    say("  1. Capital Air Logistics books it for Jinghua Electronics (merchant)")
    lg.receive_at_terminal(actor["airport"], awb)
    say("  2. The airport receives the cargo at its terminal")
    lg.attach(actor["forwarder"], awb, "manifest", f"MANIFEST {awb}: 12 pallets".encode())
    lg.attach(actor["merchant"], awb, "commercial_invoice", b"INVOICE 2026-118: 480 laptops")
    lg.attach(actor["merchant"], awb, "packing_list", b"PACKING LIST: 12 x 40 units")
    say(
        "  3. Manifest, invoice and packing list stored encrypted to the parties and authorities;"
        " their hashes anchored"
    )
    lg.declare(actor["merchant"], awb, b"EXPORT DECLARATION: HS 8471.30, 480 units")
    say("  4. The merchant declares to customs")
    lg.inspect(actor["customs-beijing"], awb, Inspection.HOLD)
    say("  5. Customs holds it for a closer look (back to inspection) ...")
    lg.inspect(actor["customs-beijing"], awb, Inspection.PASS, b"INSPECTION REPORT: conforms")
    lg.release(actor["customs-beijing"], awb)
    say("     ... then passes it with a report and releases it")
    lg.depart(actor["airport"], awb)
    say("  6. The flight departs")
    messages = [f"{awb}|{i:05d}|scan|PEK-T3|belt {i % 9}".encode() for i in range(5_000)]
    batches = lg.anchor_messages(actor["forwarder"], messages)
    proof = lg.prove_message(messages[1234])
    ok = lg.verify_message(messages[1234], proof)
    say(
        f"  7. 5,000 tracking messages anchored as one Merkle root (batch {batches[0]}); message "
        f"#1234 proven on chain with {len(proof.proof)} hashes: {'✓' if ok else '✗'}"
    )
    lg.request_refund(actor["merchant"], awb, b"REFUND CLAIM: VAT 13%")
    lg.approve_refund(actor["tax"], awb)
    lg.pay_refund(actor["tax"], awb, b"PAYMENT 77120")
    say("  8. The merchant claims the export tax refund; the tax bureau approves and pays it")
    try:
        lg.pay_refund(actor["tax"], awb, b"PAYMENT 77121")
    except GovChainError as exc:
        say(f"     a second payment is refused: {exc.message}")
    lg.arrive(actor["forwarder"], awb)
    lg.deliver(actor["forwarder"], awb)
    shipment = lg.shipment(awb)
    say(
        f"  9. Arrived and delivered. Status {shipment.status.name.lower()}, inspection "
        f"{shipment.inspection.name.lower()}, refund {shipment.refund.name.lower()}, "
        f"{shipment.documents} documents, {len(lg.trail(awb))} events in the trail"
    )
    return awb
