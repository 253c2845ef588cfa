"""Event index: catch-up rate and the "ships at port" query over 24,000 declarations, against
the strongest way without an index (one eth_getLogs filtered by event and port topic from block
0, decoded, then every declaration's state in one batch of eth_calls).
Target: the query answers from the index in <= 50 ms once caught up. Both stores are measured:
the SQLite file (the default) and PostgreSQL 16 (pgserver, started by the bench).

Usage: python -m bench.bench_index [DECLARATIONS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import fresh_platform, heading, row
from govchain.cases.port.client import Filing, PortClient
from govchain.cases.port.spec import port_code
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.framework.index import EventIndex, IndexStore, SqliteIndexStore
from govchain.framework.index.postgres import PostgresIndexStore


@contextmanager
def stores() -> Iterator[list[tuple[str, IndexStore]]]:
    """An empty SQLite file and an empty schema in a PostgreSQL server of its own."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver
    with tempfile.TemporaryDirectory() as tmp:
        pgdata = Path(tempfile.mkdtemp(prefix="govchain-bench-pg-"))
        server = pgserver.get_server(pgdata, cleanup_mode="delete")
        pg = PostgresIndexStore(server.get_uri(), "bench")
        try:
            yield [("SQLite", SqliteIndexStore(Path(tmp) / "i.sqlite3")), ("PostgreSQL", pg)]
        finally:
            pg.close()
            server.cleanup()


def measure(gc: GovChain, pc: PortClient, label: str, store: IndexStore) -> int:
    """Catch up from nothing into ``store`` and time the 'at port' query; its row count."""
    contracts = {n: r.address for n, r in gc.book.contracts.items()}
    start_block = min(r.block_number for r in gc.book.contracts.values())
    index = EventIndex(gc.chain, contracts, store, start_block=start_block)
    t0 = time.perf_counter()
    logs = index.sync()
    took = time.perf_counter() - t0
    row(f"{label}: catch-up from nothing", f"{took:8.2f} s for {logs:,} logs")
    row(f"{label}: catch-up rate", f"{logs / took:8,.0f} events/s")
    pc.index = index
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        found = pc.query("at", "CNTXG")
        times.append(time.perf_counter() - t0)
    row(
        f"{label}: 'at port' from the index, p50 of 20 (target <= 50 ms)",
        f"{statistics.median(times) * 1000:8.1f} ms for {len(found):,} declarations",
    )
    return len(found)


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 24_000
    heading(f"Event index over {total:,} declarations (two ports), fresh chain")
    with fresh_platform() as gc:
        pc = gc.case("port")
        assert isinstance(pc, PortClient)
        filings = [
            Filing(f"0202{2026}1{i:09d}", ("CNTXG", "CNCFD")[i % 2], "beijing", b"g%d" % i)
            for i in range(total)
        ]
        pc.submit_many(gc.sender(cast.BY_KEY["broker"].account), filings)
        with stores() as backends:
            found = [measure(gc, pc, label, store) for label, store in backends]
        assert found[0] == found[1]
        iface = pc.contract.iface
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            raw = gc.chain.get_logs(
                pc.contract.address,
                [iface.topic("DeclarationFiled"), None, "0x" + port_code("CNTXG").hex()],
                0,
            )
            ids = [bytes(e["id"]) for e in iface.decode_logs(raw)]
            states = pc.contract.call_many([("item", (i,)) for i in ids])
            times.append(time.perf_counter() - t0)
        assert len(states) == found[0]
        row(
            "the same without an index (getLogs from 0 + states), p50 of 3",
            f"{statistics.median(times) * 1000:8.1f} ms",
        )


if __name__ == "__main__":
    main()
