"""Case 1 benchmark: 3,000,000 tracking messages for 121 companies (the real platform's three
months) — hashed, batched as Merkle roots, anchored, proofs kept — plus gas per shipment step.
Targets: <= 2 minutes and <= 5 gas per message.

Usage: python -m bench.bench_logistics [MESSAGES]
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable

from bench.common import fresh_platform, heading, row
from govchain.chain.chain import Receipt
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.framework.casebase.anchors import BATCH_SIZE as TRACKING_BATCH
from govchain.framework.casebase.anchors import leaf_of
from govchain.framework.merkle import MerkleTree, keccak_many

COMPANIES = 121
EVENTS = (
    "booked",
    "received PEK-T3",
    "x-ray",
    "ULD built",
    "loaded",
    "departed",
    "arrived",
    "customs cleared",
    "out for delivery",
    "delivered",
)


def messages(start: int, count: int) -> list[bytes]:
    """Synthetic tracking messages: company, waybill, event, time (deterministic)."""
    base = 1_790_000_000
    out = []
    for i in range(start, start + count):
        company = i % COMPANIES
        serial = 1_000_000 + i // 10
        out.append(
            f"{base + i * 3}|C{company:03d}|999-{serial:07d}{serial % 7}|"
            f"{EVENTS[i % 10]}|seq {i}".encode()
        )
    return out


def ingest(gc: GovChain, total: int) -> dict[str, float]:
    lg = gc.case("logistics")
    sender = gc.sender(cast.BY_KEY["forwarder"].account)
    times = {"generate": 0.0, "hash": 0.0, "tree": 0.0, "anchor": 0.0, "index": 0.0}
    gas = 0
    start = time.perf_counter()
    for offset in range(0, total, TRACKING_BATCH):
        t0 = time.perf_counter()
        batch = messages(offset, min(TRACKING_BATCH, total - offset))
        t1 = time.perf_counter()
        leaves = keccak_many(keccak_many(batch))
        t2 = time.perf_counter()
        tree = MerkleTree(leaves)
        t3 = time.perf_counter()
        receipt = lg.contract.transact(sender, "anchorBatch", tree.root, len(leaves))
        batch_id = int(lg.contract.events(receipt, "BatchAnchored")[0]["batchId"])
        t4 = time.perf_counter()
        lg.anchors.index.record(batch_id, tree)
        t5 = time.perf_counter()
        gas += receipt.gas_used
        for key, (a, b) in zip(
            times, ((t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5)), strict=True
        ):
            times[key] += b - a
    times["total"] = time.perf_counter() - start
    times["gas"] = gas
    return times


def journey_gas(gc: GovChain) -> dict[str, int]:
    lg = gc.case("logistics")
    a = {
        k: gc.sender(cast.BY_KEY[k].account)
        for k in ("forwarder", "merchant", "airport", "customs-beijing", "tax", "finance")
    }
    awb = "999-12345675"
    steps: dict[str, Callable[[], Receipt]] = {
        "book": lambda: lg.book(a["forwarder"], awb, cast.BY_KEY["merchant"].address),
        "receive at terminal": lambda: lg.receive_at_terminal(a["airport"], awb),
        "declare (+ anchor declaration)": lambda: lg.declare(a["merchant"], awb, b"decl"),
        "inspect: hold": lambda: lg.hold(a["customs-beijing"], awb),
        "inspect: pass (+ anchor report)": lambda: lg.inspect(
            a["customs-beijing"], awb, "pass", b"report"
        ),
        "release": lambda: lg.release(a["customs-beijing"], awb),
        "depart": lambda: lg.depart(a["airport"], awb),
        "anchor a document (hash only)": lambda: lg.contract.transact(
            a["merchant"], "anchorDocument", lg.resolve(awb), 2, b"\1" * 32
        ),
        "arrive": lambda: lg.arrive(a["forwarder"], awb),
        "deliver": lambda: lg.deliver(a["forwarder"], awb),
        "request refund": lambda: lg.request_refund(a["merchant"], awb, b"claim"),
        "approve refund": lambda: lg.approve_refund(a["tax"], awb),
        "pay refund": lambda: lg.pay_refund(a["finance"], awb, "payment"),
    }
    return {name: step().gas_used for name, step in steps.items()}


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 3_000_000
    heading(
        f"Tracking messages: {total:,} for {COMPANIES} companies, batches of {TRACKING_BATCH:,}"
    )
    with fresh_platform() as gc:
        t = ingest(gc, total)
        for key in ("generate", "hash", "tree", "anchor", "index"):
            row(f"  {key}", f"{t[key]:8.1f} s")
        row("wall time, all of it (target <= 120 s)", f"{t['total']:8.1f} s")
        row("messages per second", f"{total / t['total']:8,.0f}")
        row("anchoring gas in total", f"{int(t['gas']):>10,}")
        row("gas per message (target <= 5)", f"{t['gas'] / total:10.3f}")
        lg = gc.case("logistics")
        sample = random.Random(1).randrange(total)
        message = messages(sample, 1)[0]
        t0 = time.perf_counter()
        proof = lg.anchors.prove(message)
        t1 = time.perf_counter()
        assert lg.anchors.verify(message, proof)
        assert proof.leaf == leaf_of(message)
        row(f"prove message #{sample:,} later (find batch, rebuild tree)", f"{t1 - t0:8.2f} s")
        row("  proof length / verified on chain", f"{len(proof.proof):>5} / yes")
    heading("Gas per shipment step")
    with fresh_platform() as gc:
        for name, gas in journey_gas(gc).items():
            row(name, f"{gas:>10,}")


if __name__ == "__main__":
    main()
