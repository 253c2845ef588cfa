"""Case 2 benchmark: file 23,968 customs declarations (the real figure) through the SDK on a
fresh chain, take a sample through every transition, report throughput and gas per transition.
Target: all 23,968 filed in <= 5 minutes.

Usage: python -m bench.bench_port [DECLARATIONS] [SAMPLE]
"""

from __future__ import annotations

import sys
import time

from bench.common import fresh_platform, heading, row
from govchain.cases.port.client import Filing, PortClient
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.framework.casebase.client import MAX_BATCH

PORTS = ("CNTXG", "CNCFD")
REGIONS = ("beijing", "tianjin", "hebei")
CUSTOMS = {"beijing": "customs-beijing", "tianjin": "customs-tianjin", "hebei": "customs-hebei"}
TERMINAL = {"CNTXG": "terminal-tianjin", "CNCFD": "terminal-hebei"}


def filings(n: int) -> list[Filing]:
    return [
        Filing(
            f"0202{2026}1{i:09d}",
            PORTS[i % 2],
            REGIONS[i % 3],
            f"B/L {i}; invoice {i}; packing list {i}".encode(),
        )
        for i in range(n)
    ]


def transitions(gc: GovChain, sample: list[Filing]) -> dict[str, tuple[float, int]]:
    """Each transition for every declaration of the sample, batched per sender."""
    pc = gc.case("port")
    ids = {f.number: pc.resolve(f.number) for f in sample}

    def tx(verb: str, f: Filing, ref: bytes = bytes(32)) -> object:
        return pc.contract.tx("step", pc.spec.verb(verb).code, ids[f.number], ref)

    plan = [
        ("accept", lambda f: (CUSTOMS[str(f.region)], tx("accept", f))),
        (
            "assess duty",
            lambda f: (CUSTOMS[str(f.region)], tx("assess", f, b"\1" * 32)),
        ),
        ("confirm duty paid", lambda f: ("tax", tx("paid", f, b"\2" * 32))),
        ("release", lambda f: (CUSTOMS[str(f.region)], tx("release", f))),
        ("gate out", lambda f: (TERMINAL[f.port], tx("gate_out", f))),
    ]
    out = {}
    for name, make in plan:
        by_sender: dict[str, list[object]] = {}
        for f in sample:
            who, request = make(f)
            by_sender.setdefault(who, []).append(request)
        gas = 0
        start = time.perf_counter()
        for who, txs in by_sender.items():
            receipts = gc.sender(cast.BY_KEY[who].account).send_many(txs)  # type: ignore[arg-type]
            gas += sum(r.gas_used for r in receipts)
        out[name] = (len(sample) / (time.perf_counter() - start), gas // len(sample))
    return out


def batched(gc: GovChain, sample: list[Filing]) -> dict[str, tuple[float, int]]:
    """Each transition for every declaration of the sample through ``stepBatch`` (200 items a
    transaction), one call per authority."""
    pc = gc.case("port")
    plan = [
        ("accept", lambda f: CUSTOMS[str(f.region)], None),
        ("assess", lambda f: CUSTOMS[str(f.region)], b"duty"),
        ("paid", lambda f: "tax", "PAY"),
        ("release", lambda f: CUSTOMS[str(f.region)], None),
        ("gate_out", lambda f: TERMINAL[f.port], None),
    ]
    out = {}
    for verb, who_of, note in plan:
        by_sender: dict[str, list[str]] = {}
        for f in sample:
            by_sender.setdefault(who_of(f), []).append(f.number)
        start = time.perf_counter()
        gas = 0
        for who, numbers in by_sender.items():
            notes = [note] * len(numbers) if note is not None else None
            receipts = pc.batch(verb, gc.sender(cast.BY_KEY[who].account), numbers, notes)
            gas += sum(r.gas_used for r in receipts)
        out[verb] = (len(sample) / (time.perf_counter() - start), gas // len(sample))
    return out


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 23_968
    sample_size = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    heading(f"Filing {total:,} declarations ({MAX_BATCH} per transaction), fresh chain")
    all_filings = filings(total)
    with fresh_platform() as gc:
        broker = gc.sender(cast.BY_KEY["broker"].account)
        start = time.perf_counter()
        pc = gc.case("port")
        assert isinstance(pc, PortClient)
        receipts = pc.submit_many(broker, all_filings)
        elapsed = time.perf_counter() - start
        gas = sum(r.gas_used for r in receipts)
        row("transactions", f"{len(receipts):>10,}")
        row("wall time (target <= 300 s)", f"{elapsed:10.1f} s")
        row("declarations per second", f"{total / elapsed:10,.0f}")
        row("gas per declaration (in batches of 200)", f"{gas // total:>10,}")
        single = pc.submit(broker, "020220269999999999", port="CNTXG", region="beijing", goods=b"x")
        row("gas of one declaration on its own", f"{single.gas_used:>10,}")
        heading(f"Every transition for a sample of {sample_size} declarations")
        step = max(1, total // sample_size)
        sample = all_filings[::step][:sample_size]
        for name, (rate, per) in transitions(gc, sample).items():
            row(f"{name}: rate / gas each", f"{rate:8,.0f} tx/s {per:>9,} gas")
        assert pc.get(sample[-1].number).state == "gated_out"
        heading(f"The same through stepBatch for another {sample_size * 6} declarations")
        rest = [f for i, f in enumerate(all_filings) if i % step or i // step >= sample_size]
        other = rest[:: max(1, len(rest) // (sample_size * 6))][: sample_size * 6]
        for name, (rate, per) in batched(gc, other).items():
            row(f"{name}: declarations per second / gas each", f"{rate:8,.0f} /s {per:>9,} gas")
        assert pc.get(other[-1].number).state == "gated_out"


if __name__ == "__main__":
    main()
