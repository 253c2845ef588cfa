"""The local proof-of-authority chain (EthereumJS, clique, a block every 2 s) beside Anvil: the
same SDK calls on each, each on a fresh chain.

- deploying the platform (every contract, one transaction a contract): seconds and gas/s;
- one transaction at a time (a value transfer, sent and its receipt awaited): p50 latency;
- a batch (``send_many``) of value transfers and of participant registrations: tx/s.

Usage: python -m bench.bench_poa [TRANSFERS]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

from bench.common import REPO, heading, row
from govchain.chain.chain import Chain
from govchain.chain.node import EphemeralNode
from govchain.chain.node.poa import DEFAULT_PERIOD
from govchain.chain.tx import TxRequest
from govchain.client import GovChain
from govchain.config import Config, engine_chain_id
from govchain.devnet import cast
from govchain.devnet.keys import dev_account
from govchain.devnet.seed import cast_specs
from govchain.framework.plan import deploy_platform
from govchain.framework.roster import seed


@contextmanager
def platform(engine: str) -> Iterator[tuple[GovChain, float]]:
    """A fresh chain of ``engine`` with the platform deployed; and the deployment's seconds."""
    with TemporaryDirectory(prefix="govchain-bench-") as tmp:
        base = Config.load(
            root=REPO,
            data_dir=tmp,
            rpc_url="http://127.0.0.1:1",
            engine=engine,
            chain_id=engine_chain_id(engine),
        )
        with EphemeralNode(base, engine=engine) as node:
            config = base.with_overrides(
                rpc_url=node.url, deployments_file=Path(tmp) / "deployments.json"
            )
            chain = Chain.from_config(config)
            bureau = chain.sender(cast.bureau().account)
            start = time.perf_counter()
            result = deploy_platform(config, chain, bureau, None)
            took = time.perf_counter() - start
            yield GovChain(config, chain, result.book), took


def measure(engine: str, transfers: int) -> None:
    label = "Anvil" if engine == "anvil" else f"PoA (EthereumJS, {DEFAULT_PERIOD} s blocks)"
    with platform(engine) as (gc, deploy_seconds):
        chain = gc.chain
        first = min(r.block_number for r in gc.book.contracts.values())
        receipts = [
            chain.rpc.call("eth_getBlockByNumber", [hex(n), False])
            for n in range(first, chain.block_number() + 1)
        ]
        deploy_gas = sum(int(b["gasUsed"], 16) for b in receipts if b)
        row(f"{label}: deploy the platform", f"{deploy_seconds:7.1f} s, {deploy_gas:,} gas")
        row(f"{label}: deployment gas/s", f"{deploy_gas / deploy_seconds:10,.0f}")
        sender = chain.sender(dev_account(30))
        times = []
        for i in range(5):
            start = time.perf_counter()
            sender.send(TxRequest(f"0x{0x40000 + i:040x}", b"", value=1, gas=21_000))
            times.append(time.perf_counter() - start)
        row(f"{label}: one transfer, p50 of 5", f"{statistics.median(times) * 1000:8.0f} ms")
        reqs = [
            TxRequest(f"0x{0x50000 + i:040x}", b"", value=1, gas=21_000) for i in range(transfers)
        ]
        start = time.perf_counter()
        sender.send_many(reqs)
        took = time.perf_counter() - start
        row(f"{label}: {transfers} transfers in a batch", f"{transfers / took:8.0f} tx/s")
        specs = cast_specs()[1:]
        start = time.perf_counter()
        bureau = chain.sender(cast.bureau().account)
        result = seed(gc.directory, bureau, specs, gc.config.names_file)
        took = time.perf_counter() - start
        sent = len(result.registered) + len(result.granted)
        row(
            f"{label}: {sent} registrations and role grants (two batches)",
            f"{took:7.1f} s, {sent / took:6.1f} tx/s",
        )


def main() -> None:
    transfers = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    heading("The local PoA chain beside Anvil (fresh chains, the same SDK calls)")
    for engine in ("anvil", "poa"):
        measure(engine, transfers)


if __name__ == "__main__":
    main()
