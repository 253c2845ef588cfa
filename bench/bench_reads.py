"""Single reads: each SDK read beside the same ``eth_call`` sent raw, and beside web3.py.

The raw path is what a skilled user writes for one read: calldata encoded once up front, one
kept-alive HTTP connection (``http.client``), the JSON body built by hand, the result's hex
turned into bytes — no decoding. The SDK encodes the arguments, sends, checks for a revert and
decodes the result into Python values each time. web3.py: ``contract.functions.f(...).call()``.
Also: verifying one certificate (every check: the document's hashes and one ``verification`` view
for issuance, status and the issuer's standing) beside that view's raw ``eth_call``.

p50 of 2,000 calls each, interleaved in rounds so drifting machine load hits every path alike.

Usage: python -m bench.bench_reads
"""

from __future__ import annotations

import http.client
import json
import statistics
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from bench.common import fresh_platform, heading, row
from govchain.chain.contracts import Contract
from govchain.devnet import cast
from govchain.framework.casebase.hubdemo import ENTERPRISE_CODE, demo_fields
from govchain.framework.certificates import openattestation as oa
from govchain.framework.certificates.documents import Draft

CALLS = 2_000
ROUNDS = 20


class RawCaller:
    """One ``eth_call`` of fixed calldata on a kept-alive connection: the floor of a read."""

    def __init__(self, url: str, to: str, data: bytes) -> None:
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port)
        self.path = parts.path or "/"
        call = {"to": to, "data": "0x" + data.hex()}
        self.body = json.dumps(
            {"jsonrpc": "2.0", "id": 1, "method": "eth_call", "params": [call, "latest"]}
        ).encode()
        self.headers = {"Content-Type": "application/json"}

    def __call__(self) -> bytes:
        self.conn.request("POST", self.path, self.body, self.headers)
        reply = json.loads(self.conn.getresponse().read())
        return bytes.fromhex(reply["result"][2:])


def p50s(paths: dict[str, Callable[[], Any]]) -> dict[str, float]:
    """p50 in ms of each path, the calls interleaved in rounds."""
    times: dict[str, list[float]] = {name: [] for name in paths}
    for fn in paths.values():
        fn()  # warm: connections, caches
    per_round = CALLS // ROUNDS
    for _ in range(ROUNDS):
        for name, fn in paths.items():
            clock = time.perf_counter
            bucket = times[name]
            for _ in range(per_round):
                start = clock()
                fn()
                bucket.append(clock() - start)
    return {name: statistics.median(t) * 1000 for name, t in times.items()}


def compare(label: str, gc: Any, contract: Contract, fn: str, *args: Any) -> float:
    """Prints and returns the SDK / raw ratio of one read."""
    raw = RawCaller(gc.config.rpc_url, contract.address, contract.iface.encode_call(fn, args))
    w3fn = gc.web3_contract(contract.name).functions[fn](*args)
    figures = p50s(
        {
            "raw": raw,
            "sdk": lambda: contract.call(fn, *args),
            "web3": lambda: w3fn.call(),
        }
    )
    ratio = figures["sdk"] / figures["raw"]
    row(
        label,
        f"raw {figures['raw']:.3f} · SDK {figures['sdk']:.3f} ({ratio:.2f}×) · "
        f"web3.py {figures['web3']:.3f} ms",
    )
    return ratio


def main() -> None:
    heading(f"Single reads, p50 of {CALLS:,} (ms): raw eth_call · SDK (ratio) · web3.py")
    with fresh_platform() as gc:
        regulator = gc.sender(cast.BY_KEY["market-regulator"].account)
        document = gc.certificates.issue(
            regulator,
            "business_licence",
            Draft(demo_fields("BUSINESS_LICENCE"), holder=ENTERPRISE_CODE),
        )
        store = gc.certificates.store.contract
        root = bytes.fromhex(oa.merkle_root(document))
        target = bytes.fromhex(oa.target_hash(document))
        directory = gc.contract("GovChainCore")  # the participant directory
        admin = bytes(32)  # DEFAULT_ADMIN_ROLE
        ratios = [
            compare(
                "a bool: hasRole(role, account)", gc, directory, "hasRole", admin, regulator.address
            ),
            compare(
                "a struct: participant(address)", gc, directory, "participant", regulator.address
            ),
            compare(
                "a struct: verification(root, target)", gc, store, "verification", root, target
            ),
        ]
        row("worst SDK / raw of the reads above", f"{max(ratios):.2f}× (target <= 1.5×)")

        raw = RawCaller(
            gc.config.rpc_url,
            store.address,
            store.iface.encode_call("verification", (root, target)),
        )
        assert gc.certificates.verify(document).valid
        figures = p50s({"raw": raw, "verify": lambda: gc.certificates.verify(document)})
        row(
            "verify one certificate, every check",
            f"{figures['verify']:.3f} ms (target <= 1.5; its one view raw {figures['raw']:.3f} ms)",
        )


if __name__ == "__main__":
    main()
