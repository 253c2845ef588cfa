"""Case 1 benchmark: 3,000,000 tracking messages for 121 companies (the real platform's three
months) — hashed, batched as Merkle roots, anchored, proofs kept — through the SDK in one process
and on every core, and through the CLI from a file (wall time and peak memory); plus gas per
shipment step. Targets: <= 20 s, <= 150 MB and <= 5 gas per message.

Usage: python -m bench.bench_logistics [MESSAGES]
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from tempfile import TemporaryDirectory

from bench.common import fresh_platform, heading, row, timed
from govchain.chain.chain import Receipt
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.framework.casebase.anchors import BATCH_SIZE as TRACKING_BATCH
from govchain.framework.casebase.anchors import leaf_of
from govchain.framework.parallel import cpu_count

GOVCHAIN = str(Path(sys.executable).parent / "govchain")
#: Runs a command; prints its wall time and the peak RSS (KB) of it and its descendants.
PEAK_OF = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)

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


def message_stream(total: int) -> Iterator[bytes]:
    for offset in range(0, total, TRACKING_BATCH):
        yield from messages(offset, min(TRACKING_BATCH, total - offset))


def chain_gas(gc: GovChain, first_block: int) -> int:
    """Gas of every block after ``first_block`` (a fresh chain: only the anchoring)."""
    last = gc.chain.block_number()
    blocks = gc.chain.rpc.batch(
        [("eth_getBlockByNumber", [hex(n), False]) for n in range(first_block + 1, last + 1)]
    )
    return sum(int(b["gasUsed"], 16) for b in blocks)


def ingest_sdk(gc: GovChain, total: int, workers: int) -> None:
    """``anchors.anchor`` over a stream of messages: the SDK's path."""
    lg = gc.case("logistics")
    sender = gc.sender(cast.BY_KEY["forwarder"].account)
    first = gc.chain.block_number()
    with timed() as t:
        batches = lg.anchors.anchor(sender, message_stream(total), workers=workers)
    gas = chain_gas(gc, first)
    label = "one process" if workers == 1 else f"{workers} worker processes (one per core)"
    row(f"SDK anchors.anchor, {label}", f"{t[0]:8.1f} s ({total / t[0]:,.0f} messages/s)")
    row("  batches / gas per message (target <= 5)", f"{len(batches)} / {gas / total:.3f}")


def ingest_cli(gc: GovChain, total: int) -> None:
    """`govchain logistics track anchor FILE`: a new process reading the file as a stream."""
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / "messages.txt"
        with path.open("wb") as out:
            for offset in range(0, total, TRACKING_BATCH):
                chunk = messages(offset, min(TRACKING_BATCH, total - offset))
                out.write(b"".join(m + b"\n" for m in chunk))
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOVCHAIN_")}
        env.update(gc.config.environment())
        command = [GOVCHAIN, "logistics", "track", "anchor", str(path), "--from", "forwarder"]
        # a fresh parent whose only descendants are the CLI and its workers reports their peak
        done = subprocess.run(
            [sys.executable, "-c", PEAK_OF, *command],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        took, peak_kb = (float(x) for x in done.stdout.split()[-2:])
        size = path.stat().st_size / 1e6
    row(
        f"CLI track anchor FILE ({size:,.0f} MB; target <= 20 s)",
        f"{took:8.1f} s ({total / took:,.0f} messages/s)",
    )
    row("  peak memory of any of its processes (target <= 150 MB)", f"{peak_kb / 1024:8.0f} MB")


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
    for workers in (1, cpu_count()):
        with fresh_platform() as gc:
            ingest_sdk(gc, total, workers)
    with fresh_platform() as gc:
        ingest_cli(gc, total)
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
