"""Demo: one air export shipment from booking to delivery, with documents, tracking messages at
volume and the export tax refund."""

from __future__ import annotations

import time
from collections.abc import Callable

from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import GovChainError
from govchain.framework.casebase.spec import Step, Walkthrough

Say = Callable[[str], None]


def waybill(first7: int) -> str:
    """A valid air waybill number (airline prefix 999) with serial ``first7``."""
    first7 %= 10_000_000
    return f"999-{first7:07d}{first7 % 7}"


def fresh_waybill() -> str:
    """A new air waybill number (serial from the clock)."""
    return waybill(int(time.time() * 10))


_JOURNEY: tuple[Step, ...] = (
    ("book", "forwarder", {"merchant": "@merchant"}),
    ("receive_at_terminal", "airport", {}),
    ("declare", "merchant", {"declaration": b"EXPORT DECLARATION: HS 8471.30, 480 units"}),
)
#: Each path on a fresh shipment; "@key" stands for a demo-cast member's address.
WALKTHROUGH = Walkthrough(
    reference=lambda n: waybill(1_000_000 + n),
    paths=(
        (
            *_JOURNEY,
            ("hold", "customs-beijing", {}),
            ("inspect", "customs-beijing", {"result": "pass", "report": b"INSPECTION: conforms"}),
            ("release", "customs-beijing", {}),
            ("depart", "airport", {}),
            ("request_refund", "merchant", {"claim": b"REFUND CLAIM: VAT 13%"}),
            ("approve_refund", "tax", {}),
            ("pay_refund", "finance", {"payment_ref": "PAY-77120"}),
            ("arrive", "forwarder", {}),
            ("deliver", "forwarder", {}),
        ),
        (
            *_JOURNEY,
            ("inspect", "customs-beijing", {"result": "waived"}),
            ("release", "customs-beijing", {}),
            ("depart", "airport", {}),
            ("request_refund", "merchant", {"claim": b"REFUND CLAIM"}),
            ("reject_refund", "tax", {"reason": "missing-invoice"}),
            ("request_refund", "merchant", {"claim": b"REFUND CLAIM, invoice attached"}),
        ),
    ),
)


def setup(gc: GovChain, admin: Sender) -> list[str]:
    """The finance bureau's treasury pays export tax refunds that the tax bureau approved."""
    finance = cast.BY_KEY["finance"].address
    if gc.directory.holds(finance, ["TREASURY"])[0]:
        return []
    gc.directory.grant(admin, finance, "TREASURY")
    return ["granted TREASURY_ROLE to the finance bureau"]


def run(gc: GovChain, say: Say) -> str:
    lg = gc.case("logistics")
    actor = {
        k: gc.sender(cast.BY_KEY[k].account)
        for k in ("forwarder", "merchant", "airport", "customs-beijing", "tax", "finance")
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
    lg.hold(actor["customs-beijing"], awb)
    say("  5. Customs holds it for a closer look (back to inspection) ...")
    lg.inspect(actor["customs-beijing"], awb, "pass", b"INSPECTION REPORT: conforms")
    lg.release(actor["customs-beijing"], awb)
    say("     ... then passes it with a report and releases it")
    lg.depart(actor["airport"], awb)
    say("  6. The flight departs")
    messages = [f"{awb}|{i:05d}|scan|PEK-T3|belt {i % 9}".encode() for i in range(5_000)]
    batches = lg.anchors.anchor(actor["forwarder"], messages)
    proof = lg.anchors.prove(messages[1234])
    ok = lg.anchors.verify(messages[1234], proof)
    say(
        f"  7. 5,000 tracking messages anchored as one Merkle root (batch {batches[0]}); message "
        f"#1234 proven on chain with {len(proof.proof)} hashes: {'✓' if ok else '✗'}"
    )
    lg.request_refund(actor["merchant"], awb, b"REFUND CLAIM: VAT 13%")
    lg.approve_refund(actor["tax"], awb)
    try:
        lg.pay_refund(actor["tax"], awb, "PAYMENT 77120")
    except GovChainError as exc:
        say(f"     the approver cannot pay it too: {exc.message}")
    lg.pay_refund(actor["finance"], awb, "PAYMENT 77120")
    say(
        "  8. The merchant claims the export tax refund; the tax bureau approves, the treasury pays"
    )
    try:
        lg.pay_refund(actor["finance"], awb, "PAYMENT 77121")
    except GovChainError as exc:
        say(f"     a second payment is refused: {exc.message}")
    lg.arrive(actor["forwarder"], awb)
    lg.deliver(actor["forwarder"], awb)
    shipment = lg.get(awb)
    say(
        f"  9. Arrived and delivered. Status {shipment.state}, inspection "
        f"{shipment.inspection}, refund {lg.get(awb, 'refund').state}, "
        f"{len(lg.documents(awb))} documents, {len(lg.history(awb))} events in the trail"
    )
    return awb
