"""District hubs: 1,000 applications pushed through a three-department service — E-Town's
one-stop business start-up (market regulation, tax and finance approve in parallel; three
certificates issued on completion) — on a fresh chain, phase by phase. Gas of every hub
transition one at a time is in bench_case_gas (the hubs' walkthroughs).

The applications are prepared by the SDK (references and dossiers as keyed and salted
commitments) and sent together; the dossiers themselves are not sealed into the document store
here (bench_sharing measures that). Approvals go through stepBatch; completion issues the 3,000
certificates as three Merkle roots, then completes every application with its three.

Usage: python -m bench.bench_hub [APPLICATIONS]
"""

from __future__ import annotations

import sys
import time

from bench.common import fresh_platform, heading, row
from govchain.devnet import cast
from govchain.framework.casebase.hub import HubClient
from govchain.framework.casebase.hubdemo import ENTERPRISE_CODE, demo_fields
from govchain.framework.certificates.documents import Draft

SERVICE = "business-startup"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    heading(f"{n:,} applications through a three-department one-stop service (E-Town)")
    with fresh_platform() as gc:
        edz = gc.case("edz")
        assert isinstance(edz, HubClient)
        who = {k: gc.sender(cast.BY_KEY[k].account) for k in
               ("biotech", "market-regulator", "tax", "finance", "edz")}  # fmt: skip
        refs = [f"ET-B-{i:07d}" for i in range(n)]
        total = time.perf_counter()

        start = time.perf_counter()
        prepared = [edz.prepare("apply", who["biotech"], r, service=SERVICE, dossier=b"D")
                    for r in refs]  # fmt: skip
        receipts = who["biotech"].send_many([p.tx for p in prepared])
        gas = sum(r.gas_used for r in receipts) // n
        row("apply: one transaction each", f"{time.perf_counter() - start:7.1f} s {gas:>9,} gas")

        for key in ("market-regulator", "tax", "finance"):
            start = time.perf_counter()
            receipts = edz.batch("approve", who[key], refs, filer=who["biotech"].address)
            gas = sum(r.gas_used for r in receipts) // n
            row(f"approve ({key}): stepBatch of 200", f"{time.perf_counter() - start:7.1f} s "
                f"{gas:>9,} gas")  # fmt: skip

        start = time.perf_counter()
        service = edz.service(SERVICE)
        batches = [(t, [Draft(demo_fields(t), holder=ENTERPRISE_CODE) for _ in refs])
                   for t in service.issues]  # fmt: skip
        issued = edz.certificates.publish_many(who["edz"], batches)
        row(f"issue {n * len(service.issues):,} certificates (a root per type)",
            f"{time.perf_counter() - start:7.1f} s "
            f"{sum(i.receipt.gas_used for i in issued):>9,} gas in all")  # fmt: skip

        start = time.perf_counter()
        completions = [
            edz.prepare("complete", who["edz"], r, filer=who["biotech"].address,
                        certificates=[i.documents[k] for i in issued]).tx
            for k, r in enumerate(refs)
        ]  # fmt: skip
        receipts = who["edz"].send_many(completions)
        gas = sum(r.gas_used for r in receipts) // n
        row("complete with three certificates each", f"{time.perf_counter() - start:7.1f} s "
            f"{gas:>9,} gas")  # fmt: skip
        elapsed = time.perf_counter() - total
        row("all phases", f"{elapsed:7.1f} s ({n / elapsed:,.0f} applications/s)")
        assert edz.get(refs[-1], filer=who["biotech"].address).state == "completed"


if __name__ == "__main__":
    main()
