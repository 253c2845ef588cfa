"""Batch sending: the SDK's ``send_many`` against the strongest raw path and the best web3.py path.

Every path sends the same N transactions with distinct calldata (``anchorBatch(root, 1)`` of the
logistics case, a distinct root each) from one account, from signing to the last receipt, each
run on a fresh chain; the best of three runs counts. Calldata is encoded before the clock starts
(that is the application's work, the same on every path).

- SDK: ``Sender.send_many`` (checks every request, signs, sends, mines, collects receipts).
- raw: written as its best user would, with no GovChain code: signing included (coincurve and an
  RLP encoder written out), JSON-RPC batch requests of 100, 8 in flight, receipts in batches.
  Two ways, both measured, the faster is "raw": (a) as the node is, automining; (b) automining
  paused, mined after sending, receipts per block.
- web3.py: local signing with ``Account.sign_transaction`` (eth-account), gas estimated once,
  nonces counted locally, ``w3.batch_requests()`` of 100 raw sends, receipts in batches.

Targets (issue 12): SDK >= 0.7x raw, >= 3x web3.py.
Usage: python -m bench.bench_batches [N]
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import urllib3
from coincurve import PrivateKey
from eth_utils import keccak
from web3 import Web3

from bench.common import fresh_platform, heading, row
from govchain.client import GovChain
from govchain.devnet import cast

RUNS = 3
GIVE_UP = 60.0  # seconds: a path whose transactions the node lost reports it and counts 0
READ_TIMEOUT = 30.0


class Stuck(Exception):
    """A path's transactions never all landed."""


PER_REQUEST = 100
IN_FLIGHT = 8
SENDER = "forwarder"


@dataclass
class Workload:
    gc: GovChain
    address: str  # the logistics contract
    key: bytes
    sender: str
    calldata: list[bytes]


@contextmanager
def workload(n: int, tag: str) -> Iterator[Workload]:
    """A fresh chain with the platform deployed, and N distinct calls ready to send."""
    with fresh_platform() as gc:
        member = cast.BY_KEY[SENDER]
        contract = gc.case("logistics").contract
        contract.transact(gc.sender(member.account), "anchorBatch", keccak(text="warm-up"), 1)
        calldata = [
            contract.iface.encode_call("anchorBatch", (keccak(text=f"{tag} {i}"), 1))
            for i in range(n)
        ]
        yield Workload(gc, contract.address, bytes(member.account.key), member.address, calldata)
        count = int(contract.call("batchCount"))
        assert count == n + 1, f"{tag}: {count - 1} of {n} landed"


# -- SDK -------------------------------------------------------------------------------------
def sdk(n: int) -> float:
    from govchain.chain.tx import TxRequest

    with workload(n, "sdk") as w:
        sender = w.gc.sender(cast.BY_KEY[SENDER].account)
        reqs = [TxRequest(w.address, data) for data in w.calldata]
        start = time.perf_counter()
        receipts = sender.send_many(reqs)
        elapsed = time.perf_counter() - start
        assert all(r.status == 1 for r in receipts)
        return n / elapsed


# -- raw: no GovChain code at all --------------------------------------------------------------
def _rlp_int(value: int) -> bytes:
    if value == 0:
        return b"\x80"
    if value < 0x80:
        return bytes((value,))
    return _rlp_bytes(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _rlp_bytes(value: bytes) -> bytes:
    if len(value) == 1 and value[0] < 0x80:
        return value
    return _rlp_head(0x80, len(value)) + value


def _rlp_list(items: list[bytes]) -> bytes:
    payload = b"".join(items)
    return _rlp_head(0xC0, len(payload)) + payload


def _rlp_head(offset: int, size: int) -> bytes:
    if size < 56:
        return bytes((offset + size,))
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes((offset + 55 + len(length),)) + length


class RawRpc:
    """JSON-RPC over keep-alive HTTP connections, batches sent from a pool of threads."""

    def __init__(self, url: str) -> None:
        # Anvil can spin at full CPU on out-of-order nonces under automining and never answer:
        # a request unanswered for READ_TIMEOUT s (twice) makes the run Stuck, not the bench hang
        timeout = urllib3.Timeout(connect=10, read=READ_TIMEOUT)
        self.pool = urllib3.PoolManager(maxsize=IN_FLIGHT, timeout=timeout).connection_from_url(url)
        self.workers = ThreadPoolExecutor(IN_FLIGHT)

    def call(self, method: str, *params: Any) -> Any:
        return self.post({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)})[
            "result"
        ]

    def post(self, payload: Any) -> Any:
        body = json.dumps(payload).encode()
        # a node may close a kept-alive connection between requests: send again, as any client
        # does (re-sending signed transactions or reads is harmless)
        try:
            reply = self.pool.urlopen(
                "POST",
                "/",
                body=body,
                headers={"Content-Type": "application/json"},
                retries=urllib3.Retry(total=3, read=1, allowed_methods=None),
            )
        except urllib3.exceptions.MaxRetryError as exc:
            raise Stuck(f"the node stopped answering ({exc.reason})") from None
        return json.loads(reply.data)

    def batches(self, method: str, params: list[list[Any]]) -> list[Any]:
        """One call per params, in batch requests of 100 with 8 in flight; results in order."""

        def one(part: list[list[Any]]) -> list[Any]:
            payload = [
                {"jsonrpc": "2.0", "id": i, "method": method, "params": p}
                for i, p in enumerate(part)
            ]
            by_id = {r["id"]: r for r in self.post(payload)}
            return [by_id[i].get("result") for i in range(len(part))]

        chunks = [params[i : i + PER_REQUEST] for i in range(0, len(params), PER_REQUEST)]
        return [r for part in self.workers.map(one, chunks) for r in part]


def _sign_all(w: Workload, rpc: RawRpc, gas: int) -> tuple[list[str], list[str], int]:
    key = PrivateKey(w.key)
    nonce = int(rpc.call("eth_getTransactionCount", w.sender, "pending"), 16)
    base = int(rpc.call("eth_getBlockByNumber", "latest", False)["baseFeePerGas"], 16)
    tip = int(rpc.call("eth_maxPriorityFeePerGas"), 16)
    head = [_rlp_int(1337), None, _rlp_int(tip), _rlp_int(2 * base + tip), _rlp_int(gas)]
    to = _rlp_bytes(bytes.fromhex(w.address[2:]))
    raws, hashes = [], []
    for i, data in enumerate(w.calldata):
        fields = [head[0], _rlp_int(nonce + i), *head[2:], to, b"\x80", _rlp_bytes(data), b"\xc0"]
        signature = key.sign_recoverable(keccak(b"\x02" + _rlp_list(fields)), hasher=None)
        r, s = signature[:32].lstrip(b"\0"), signature[32:64].lstrip(b"\0")
        raw = b"\x02" + _rlp_list([*fields, _rlp_int(signature[64]), _rlp_bytes(r), _rlp_bytes(s)])
        raws.append("0x" + raw.hex())
        hashes.append("0x" + keccak(raw).hex())
    return raws, hashes, nonce + len(raws)


def _raw_gas(rpc: RawRpc, w: Workload) -> int:
    call = {"from": w.sender, "to": w.address, "data": "0x" + w.calldata[0].hex()}
    return int(rpc.call("eth_estimateGas", call), 16) * 6 // 5


def raw_automining(n: int) -> float:
    """(a) The node as it is (automining): send everything, poll the receipts."""
    with workload(n, "raw-a") as w:
        rpc = RawRpc(w.gc.chain.url)
        gas = _raw_gas(rpc, w)
        start = time.perf_counter()
        raws, hashes, _ = _sign_all(w, rpc, gas)
        rpc.batches("eth_sendRawTransaction", [[r] for r in raws])
        missing, quiet = hashes, time.perf_counter()
        while missing:
            if time.perf_counter() - start > GIVE_UP:
                raise Stuck(f"raw (a): {len(missing)} of {n} never mined (lost by the node)")
            got = rpc.batches("eth_getTransactionReceipt", [[h] for h in missing])
            left = [h for h, r in zip(missing, got, strict=True) if r is None]
            if len(left) < len(missing):
                quiet = time.perf_counter()
            elif time.perf_counter() - quiet > 0.5:  # a late arrival waits for another block
                rpc.call("evm_mine")
            missing = left
        elapsed = time.perf_counter() - start
        return n / elapsed


def raw_paused(n: int) -> float:
    """(b) Automining paused: send everything, mine until the nonce is past it, receipts per
    block."""
    with workload(n, "raw-b") as w:
        rpc = RawRpc(w.gc.chain.url)
        gas = _raw_gas(rpc, w)
        rpc.call("evm_setAutomine", False)
        try:
            start = time.perf_counter()
            raws, hashes, end = _sign_all(w, rpc, gas)
            first_block = int(rpc.call("eth_blockNumber"), 16) + 1
            rpc.batches("eth_sendRawTransaction", [[r] for r in raws])
            while int(rpc.call("eth_getTransactionCount", w.sender, "latest"), 16) < end:
                rpc.call("evm_mine")
            last_block = int(rpc.call("eth_blockNumber"), 16)
            blocks = [[hex(b)] for b in range(first_block, last_block + 1)]
            chunks = [rpc.workers.submit(rpc.call, "eth_getBlockReceipts", *b) for b in blocks]
            receipts = {r["transactionHash"]: r for c in chunks for r in c.result()}
            assert all(receipts[h]["status"] == "0x1" for h in hashes)
            elapsed = time.perf_counter() - start
        finally:
            rpc.call("evm_setAutomine", True)
        return n / elapsed


# -- web3.py ----------------------------------------------------------------------------------
def web3_batched(n: int) -> float:
    with workload(n, "web3") as w:
        w3 = Web3(Web3.HTTPProvider(w.gc.chain.url))
        account = w3.eth.account.from_key(w.key)
        gas = w3.eth.estimate_gas({"from": account.address, "to": w.address, "data": w.calldata[0]})
        start = time.perf_counter()
        nonce = w3.eth.get_transaction_count(account.address)
        base = w3.eth.get_block("latest")["baseFeePerGas"]
        tip = w3.eth.max_priority_fee
        common = {
            "chainId": w3.eth.chain_id,
            "to": w.address,
            "value": 0,
            "gas": gas * 6 // 5,
            "maxFeePerGas": 2 * base + tip,
            "maxPriorityFeePerGas": tip,
        }
        raws = [
            account.sign_transaction({**common, "nonce": nonce + i, "data": data}).raw_transaction
            for i, data in enumerate(w.calldata)
        ]
        hashes = []
        # web3.py refuses eth_sendRawTransaction inside batch_requests(); its provider sends a
        # batch of raw requests (what a web3.py user who batches writes reaches for)
        for i in range(0, n, PER_REQUEST):
            replies = w3.provider.make_batch_request(  # type: ignore[attr-defined]
                [
                    ("eth_sendRawTransaction", ["0x" + bytes(r).hex()])
                    for r in raws[i : i + PER_REQUEST]
                ]
            )
            hashes += [reply["result"] for reply in replies]
        missing, quiet = hashes, time.perf_counter()
        while missing:
            if time.perf_counter() - start > GIVE_UP:
                raise Stuck(f"web3.py: {len(missing)} of {n} never mined (lost by the node)")
            left = []
            for i in range(0, len(missing), PER_REQUEST):
                part = missing[i : i + PER_REQUEST]
                got = w3.provider.make_batch_request(  # type: ignore[attr-defined]
                    [("eth_getTransactionReceipt", [h]) for h in part]
                )
                left += [h for h, r in zip(part, got, strict=True) if not r.get("result")]
            if len(left) < len(missing):
                quiet = time.perf_counter()
            elif time.perf_counter() - quiet > 0.5:
                w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
            missing = left
        elapsed = time.perf_counter() - start
        return n / elapsed


def best(path: Callable[[int], float], n: int) -> float:
    rates = []
    for _ in range(RUNS):
        try:
            rates.append(path(n))
        except Stuck as exc:
            print(f"  {exc}", flush=True)
            rates.append(0.0)
    return max(rates)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    heading(
        f"Batch sending, {n:,} transactions, distinct calldata, best of {RUNS}, fresh chain each"
    )
    figures = {
        "sdk": best(sdk, n),
        "raw-a": best(raw_automining, n),
        "raw-b": best(raw_paused, n),
        "web3": best(web3_batched, n),
    }
    raw = max(figures["raw-a"], figures["raw-b"])
    row("SDK: Sender.send_many", f"{figures['sdk']:8,.0f} tx/s")
    row(
        "raw (a): pre-signed* batches of 100, 8 in flight, automining",
        f"{figures['raw-a']:8,.0f} tx/s",
    )
    row("raw (b): the same with automining paused, mined after", f"{figures['raw-b']:8,.0f} tx/s")
    row("web3.py: sign_transaction, provider batches of 100", f"{figures['web3']:8,.0f} tx/s")
    row("  (* signing included in every path)", "")
    row("SDK / strongest raw (target >= 0.7)", f"{figures['sdk'] / raw:8.2f}")
    row("SDK / web3.py (target >= 3)", f"{figures['sdk'] / figures['web3']:8.2f}")


if __name__ == "__main__":
    main()
