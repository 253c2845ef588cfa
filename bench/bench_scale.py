"""Scale: one chain grown in steps to 100,000 customs declarations (case 2), every declaration
pushed through every port transition, and at each size the rates and the node's memory.

At each step (default 3,000 / 24,000 / 48,000 / 100,000 declarations on the chain):
- the new declarations are filed with ``submit_many`` (200 per transaction);
- a sample of them goes through every transition one transaction per declaration
  (``send_many`` per authority: the path whose rate the issue targets, >= 500 tx/s at 100,000);
- the rest go through every transition with ``stepBatch`` (200 per transaction);
- latency: one transition sent alone and waited for (median of a few);
- the node's resident memory.

Usage: python -m bench.bench_scale [STEPS] [SAMPLE]   e.g. 3000,24000 2000
"""

from __future__ import annotations

import statistics
import sys
import time

from bench.bench_port import CUSTOMS, TERMINAL, filings
from bench.common import fresh_node, heading, rss_mb
from govchain.cases.port.client import Filing, PortClient
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.framework.casebase.client import MAX_BATCH

STEPS = (3_000, 24_000, 48_000, 100_000)
SAMPLE = 2_000
LATENCY_SENDS = 5
#: (verb, who does it for a declaration, note) in the order of the port's machine
TRANSITIONS = (
    ("accept", lambda f: CUSTOMS[str(f.region)], None),
    ("assess", lambda f: CUSTOMS[str(f.region)], b"\1" * 32),
    ("paid", lambda f: "tax", b"\2" * 32),
    ("release", lambda f: CUSTOMS[str(f.region)], None),
    ("gate_out", lambda f: TERMINAL[f.port], None),
)


def one_by_one(gc: GovChain, pc: PortClient, broker: str, sample: list[Filing]) -> float:
    """Every transition for every declaration of ``sample``, one transaction each; tx/s."""
    kind = pc.spec.kind("declaration")
    ids = {f.number: pc.id_of(broker, kind, pc.key(kind, f.number)) for f in sample}
    sent, start = 0, time.perf_counter()
    for verb, who_of, ref in TRANSITIONS:
        code = pc.spec.verb(verb).code
        by_sender: dict[str, list[object]] = {}
        for f in sample:
            tx = pc.contract.tx("step", code, ids[f.number], ref or bytes(32))
            by_sender.setdefault(who_of(f), []).append(tx)
        for who, txs in by_sender.items():
            gc.sender(cast.BY_KEY[who].account).send_many(txs)  # type: ignore[arg-type]
            sent += len(txs)
    return sent / (time.perf_counter() - start)


def in_batches(gc: GovChain, pc: PortClient, broker: str, rest: list[Filing]) -> float:
    """Every transition for every declaration of ``rest`` through stepBatch (200 items a
    transaction, the same references as one by one: no documents sealed); items/s."""
    kind = pc.spec.kind("declaration")
    ids = {f.number: pc.id_of(broker, kind, pc.key(kind, f.number)) for f in rest}
    start = time.perf_counter()
    for verb, who_of, ref in TRANSITIONS:
        code = pc.spec.verb(verb).code
        by_sender: dict[str, list[bytes]] = {}
        for f in rest:
            by_sender.setdefault(who_of(f), []).append(ids[f.number])
        for who, items in by_sender.items():
            txs = [
                pc.contract.tx("stepBatch", code, part, [ref] * len(part) if ref else [])
                for part in (items[i : i + MAX_BATCH] for i in range(0, len(items), MAX_BATCH))
            ]
            gc.sender(cast.BY_KEY[who].account).send_many(txs)  # type: ignore[arg-type]
    return len(rest) * len(TRANSITIONS) / (time.perf_counter() - start)


def latency_ms(gc: GovChain, pc: PortClient, lone: list[Filing]) -> float:
    """One transition (customs accepts) sent alone through the SDK and waited for, median of a
    few, in ms."""
    pc.submit_many(gc.sender(cast.BY_KEY["broker"].account), lone)
    customs = gc.sender(cast.BY_KEY["customs-beijing"].account)
    times = []
    for f in lone:
        start = time.perf_counter()
        pc.accept(customs, f.number)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    steps = tuple(int(s) for s in sys.argv[1].split(",")) if len(sys.argv) > 1 else STEPS
    sample_size = int(sys.argv[2]) if len(sys.argv) > 2 else SAMPLE
    heading(
        f"One chain grown to {steps[-1]:,} declarations; each step: file, {sample_size:,} "
        "through every transition one tx each, the rest by stepBatch"
    )
    every = filings(steps[-1])
    header = (
        f"  {'on chain':>9} {'file/s':>8} {'tx/s 1-by-1':>12} {'items/s batch':>14} "
        f"{'latency ms':>11} {'node MB':>8} {'blocks':>7}"
    )
    print(header, flush=True)
    with fresh_node() as (gc, node):
        pc = gc.case("port")
        assert isinstance(pc, PortClient)
        broker = gc.sender(cast.BY_KEY["broker"].account)
        done, extra = 0, 0
        for size in steps:
            new = every[done:size]
            start = time.perf_counter()
            pc.submit_many(broker, new)
            file_rate = len(new) / (time.perf_counter() - start)
            sample, rest = new[: min(sample_size, len(new))], new[min(sample_size, len(new)) :]
            rate = one_by_one(gc, pc, broker.address, sample)
            batch_rate = in_batches(gc, pc, broker.address, rest) if rest else 0.0
            lone = [
                Filing(f"0202{2027}9{extra + i:09d}", "CNTXG", "beijing", b"alone")
                for i in range(LATENCY_SENDS)
            ]
            extra += LATENCY_SENDS
            latency = latency_ms(gc, pc, lone)
            assert pc.get(new[-1].number, filer=broker.address).state == "gated_out"
            done = size
            print(
                f"  {size:>9,} {file_rate:>8,.0f} {rate:>12,.0f} {batch_rate:>14,.0f} "
                f"{latency:>11.1f} {rss_mb(node.pid):>8,.0f} {gc.chain.block_number():>7,}",
                flush=True,
            )


if __name__ == "__main__":
    main()
