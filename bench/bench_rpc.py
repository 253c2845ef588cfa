"""JSON-RPC client overhead: 2,000 single calls and 200 batch requests of 100 calls.

`python -m bench.bench_rpc` (or `make bench`). Runs against a fresh Anvil (nothing deployed:
eth_blockNumber only exercises the client and the HTTP path). Prints calls per second; figures are
printed, never asserted.
"""

from __future__ import annotations

from tempfile import TemporaryDirectory

from bench.common import REPO, heading, row, timed
from govchain.chain.node import EphemeralNode
from govchain.chain.rpc import RpcClient
from govchain.config import Config

SINGLE = 2_000
BATCHES = 200
PER_BATCH = 100


def main() -> None:
    heading("JSON-RPC client (fresh Anvil, eth_blockNumber)")
    with TemporaryDirectory(prefix="govchain-bench-") as tmp:
        base = Config.load(root=REPO, data_dir=tmp, rpc_url="http://127.0.0.1:1")
        with EphemeralNode(base) as node:
            rpc = RpcClient(node.url)
            rpc.call("eth_blockNumber")  # warm the connection
            for _ in range(3):
                with timed() as t:
                    for _ in range(SINGLE):
                        rpc.call("eth_blockNumber")
                row(f"{SINGLE:,} single calls", f"{t[0]:.2f} s ({SINGLE / t[0]:,.0f} calls/s)")
                calls = [("eth_blockNumber", [])] * PER_BATCH
                with timed() as t:
                    for _ in range(BATCHES):
                        rpc.batch(calls)
                total = BATCHES * PER_BATCH
                row(
                    f"{BATCHES} batches of {PER_BATCH}",
                    f"{t[0]:.2f} s ({total / t[0]:,.0f} calls/s)",
                )


if __name__ == "__main__":
    main()
