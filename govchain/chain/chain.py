"""A connection to one EVM chain over JSON-RPC: reads, gas estimation, receipts, logs, fees.

Works against any standard node (Anvil, Ganache, Besu QBFT, Geth Clique): no block-format
validation is applied, so PoA blocks with long ``extraData`` are fine. Reverts on ``eth_call`` and
``eth_estimateGas`` become typed exceptions (see :mod:`govchain.reverts`). Sending is done by
:class:`govchain.tx.Sender`, one per account, obtained with :meth:`Chain.sender`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govchain.chain.devguard import refuse_dev_account
from govchain.chain.mining import DevMining
from govchain.chain.results import Receipt, as_error
from govchain.chain.rpc import RpcClient, RpcError, RpcOptions
from govchain.chain.tx import Sender
from govchain.errors import (
    ChainUnavailable,
    ContractRevert,
    TransactionError,
    TransactionTimeout,
)

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

if TYPE_CHECKING:
    from govchain.config import Config

DEFAULT_TIMEOUT = 120.0
#: Seconds without any receipt before a batch re-broadcasts its missing transactions.
STALL_SECONDS = 3.0
FEE_CACHE_SECONDS = 1.0
#: Blocks before the head whose receipts a wait for many transactions reads first.
LOOKBACK_BLOCKS = 8
#: Clients (``web3_clientVersion`` prefixes) whose eth_estimateGas searches for the least limit.
EXACT_ESTIMATORS = ("anvil", "ganache", "geth", "besu", "erigon", "nethermind", "reth")


class Chain:
    """One chain, one RPC endpoint. Thread-safe."""

    def __init__(
        self,
        rpc_url: str,
        *,
        expected_chain_id: int | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        sync_send: bool | None = None,
        rpc_options: RpcOptions | None = None,
    ) -> None:
        self.rpc = RpcClient(rpc_url, options=rpc_options)
        self.url = rpc_url
        self.timeout = timeout
        ids = self.rpc.batch([("eth_chainId", []), ("web3_clientVersion", [])])
        if isinstance(ids[0], RpcError):
            raise ChainUnavailable(f"The node at {rpc_url} did not report a chain id: {ids[0]}.")
        #: Where senders keep their cross-process nonce locks (None: this process only).
        self.lock_dir: Path | None = None
        self.chain_id = int(ids[0], 16)
        self.client_version = ids[1] if isinstance(ids[1], str) else ""
        if expected_chain_id is not None and self.chain_id != expected_chain_id:
            raise ChainUnavailable(
                f"The chain at {rpc_url} has chain id {self.chain_id}, but the configuration "
                f"expects {expected_chain_id}: check --network / --rpc-url."
            )
        client = self.client_version.lower()
        self.is_anvil = client.startswith("anvil")
        self.is_ganache = "ganache" in client
        #: Whether eth_estimateGas gives the least gas limit that succeeds (these clients
        #: search for it); elsewhere estimates are verified (see govchain.chain.gas).
        self.exact_estimates = client.startswith(EXACT_ESTIMATORS)
        #: Mining controls of a local dev chain (None elsewhere): batches pause automining.
        self.mining: DevMining | None = None
        if self.is_anvil or self.is_ganache:
            engine = "anvil" if self.is_anvil else "ganache"
            self.mining = DevMining(self.rpc, engine, self.chain_id, lambda: self.lock_dir)
        self._sync_send = sync_send  # asked of the node on first use: reads never need it
        self._senders: dict[str, Sender] = {}
        self._senders_lock = threading.Lock()
        self._fees: tuple[float, dict[str, int]] | None = None
        self._pending_block = True  # until the node says it has no "pending" block
        self._block_receipts = True  # until the node says it has no eth_getBlockReceipts

    @classmethod
    def from_config(cls, config: Config) -> Chain:
        return cls(config.rpc_url, expected_chain_id=config.chain_id, rpc_options=config.rpc)

    # -- senders -----------------------------------------------------------------------------
    def sender(self, account: LocalAccount) -> Sender:
        """The one sender (nonce tracker) for ``account`` on this chain. A public development
        account is refused unless this is the local chain."""
        refuse_dev_account(account.address, self.chain_id)
        with self._senders_lock:
            existing = self._senders.get(account.address)
            if existing is None:
                existing = self._senders[account.address] = Sender(self, account)
                if self.lock_dir is not None:
                    name = f"{self.chain_id}-{account.address.lower()}.lock"
                    existing.lock_file = self.lock_dir / name
            return existing

    def forget_nonces(self) -> None:
        """Make every sender re-read its nonce (after an ``evm_revert`` or an outside send)."""
        with self._senders_lock:
            for sender in self._senders.values():
                sender.resync()

    # -- reads -------------------------------------------------------------------------------
    def call(
        self,
        to: str,
        data: bytes,
        *,
        sender: str | None = None,
        block: int | str = "latest",
        context: str = "",
    ) -> bytes:
        """``eth_call``; a revert raises the decoded contract error."""
        tx: dict[str, Any] = {"to": to, "data": "0x" + data.hex()}
        if sender:
            tx["from"] = sender
        try:
            result = self.rpc.call("eth_call", [tx, _block_tag(block)])
        except RpcError as exc:
            raise as_error(exc, context) from None
        return bytes.fromhex(str(result)[2:])

    def estimate_gas(self, tx: dict[str, Any], *, context: str = "") -> int:
        try:
            return int(self.rpc.call("eth_estimateGas", [tx]), 16)
        except RpcError as exc:
            raise as_error(exc, context) from None

    def get_code(self, address: str, block: int | str = "latest") -> bytes:
        return bytes.fromhex(str(self.rpc.call("eth_getCode", [address, _block_tag(block)]))[2:])

    def balance(self, address: str) -> int:
        return int(self.rpc.call("eth_getBalance", [address, "latest"]), 16)

    def block_number(self) -> int:
        return int(self.rpc.call("eth_blockNumber"), 16)

    def block_times(self, numbers: Iterable[int]) -> dict[int, datetime]:
        """The time of each block in ``numbers`` (one batch request)."""
        calls = [("eth_getBlockByNumber", [hex(n), False]) for n in sorted(set(numbers))]
        replies = self.rpc.batch(calls) if calls else []
        return {
            int(b["number"], 16): datetime.fromtimestamp(int(b["timestamp"], 16), UTC)
            for b in replies
            if isinstance(b, dict)
        }

    def block(self, number: int | str = "latest") -> dict[str, Any]:
        block = self.rpc.call("eth_getBlockByNumber", [_block_tag(number), False])
        if block is None:
            raise ChainUnavailable(f"Block {number} does not exist on the chain at {self.url}.")
        result: dict[str, Any] = block
        return result

    def genesis_hash(self) -> str:
        return str(self.block(0)["hash"])

    def nonce(self, address: str, block: str = "pending") -> int:
        return int(self.rpc.call("eth_getTransactionCount", [address, block]), 16)

    def get_logs(
        self,
        address: str | Sequence[str] | None = None,
        topics: Sequence[Any] | None = None,
        from_block: int | str = 0,
        to_block: int | str = "latest",
    ) -> list[dict[str, Any]]:
        query: dict[str, Any] = {
            "fromBlock": _block_tag(from_block),
            "toBlock": _block_tag(to_block),
        }
        if address is not None:
            query["address"] = address
        if topics is not None:
            query["topics"] = list(topics)
        logs: list[dict[str, Any]] = self.rpc.call("eth_getLogs", [query])
        return logs

    # -- fees --------------------------------------------------------------------------------
    def forget_fees(self) -> None:
        """Read the fees again at the next send (a batch's blocks moved the base fee)."""
        self._fees = None

    def fee_fields(self) -> dict[str, int]:
        """EIP-1559 fee fields when the chain has a base fee, a legacy gas price otherwise."""
        now = time.monotonic()
        cached = self._fees
        if cached and now - cached[0] < FEE_CACHE_SECONDS:
            return cached[1]
        # the base fee the next block will charge: the pending block's (after an evm_revert
        # Anvil's next base fee is not the latest block's); nodes without a pending block
        # (EthereumJS) give the latest, and 2 x base fee leaves room for the next blocks' rise
        try:
            latest = self.block("pending" if self._pending_block else "latest")
        except RpcError:
            self._pending_block = False
            latest = self.block("latest")
        fees: dict[str, int]
        if latest.get("baseFeePerGas") is not None:
            base = int(latest["baseFeePerGas"], 16)
            try:
                tip = int(self.rpc.call("eth_maxPriorityFeePerGas"), 16)
            except RpcError:
                tip = 10**9
            fees = {"maxFeePerGas": 2 * base + tip, "maxPriorityFeePerGas": tip, "type": 2}
        else:
            fees = {"gasPrice": int(self.rpc.call("eth_gasPrice"), 16)}
        self._fees = (now, fees)
        return fees

    # -- receipts ----------------------------------------------------------------------------
    def wait_receipts(
        self,
        tx_hashes: Sequence[str],
        *,
        timeout: float | None = None,
        on_stall: Callable[[list[str]], None] | None = None,
    ) -> list[Receipt]:
        """Poll (in concurrent batch requests) until every transaction is mined; in input order.

        ``on_stall`` is called with the missing hashes when nothing was mined for
        ``stall_seconds`` (the batch sender re-sends what the node lost then). Without one, a
        dev chain whose automining is off (another process's batch paused it, or that process
        died) is asked to mine a block.

        Many transactions on a chain that mines on its own are found a block at a time
        (:class:`_BlockScan`): some clients take time in proportion to a block's transactions
        for every ``eth_getTransactionReceipt`` (100 lookups in a 100-transaction block took
        38 s on EthereumJS, the block's receipts 0.4 s)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        found: dict[str, Receipt] = {}
        delay = 0.002
        progress_at = time.monotonic()
        stalled = on_stall or self._unstick
        unique = len(set(tx_hashes))
        scan = (
            _BlockScan(self)
            if self.mining is None and self._block_receipts and unique > 1
            else None
        )
        while True:
            missing = list(dict.fromkeys(h for h in tx_hashes if h not in found))
            new = scan.receipts(missing) if scan is not None else None
            if new is None:  # one lookup a transaction (or the node has no block receipts)
                scan = None
                new = _mined(missing, self.receipts(missing))
            if new:
                found.update(new)
                progress_at = time.monotonic()
            if len(found) == unique:
                return [found[h] for h in tx_hashes]
            if time.monotonic() > deadline:
                raise TransactionTimeout(
                    f"{unique - len(found)} transaction(s) were not mined within "
                    f"{timeout or self.timeout:.0f} s (first: {missing[0]}). The chain may be "
                    "stalled; check `govchain node status`."
                )
            if time.monotonic() - progress_at > self.stall_seconds:
                stalled([h for h in tx_hashes if h not in found])
                progress_at = time.monotonic()
            time.sleep(delay)
            delay = min(delay * 2, 0.25)

    def receipts(self, tx_hashes: Sequence[str]) -> list[Receipt | None]:
        """The receipts of ``tx_hashes`` now (None: not mined), in concurrent batch requests."""
        replies = self.rpc.batch_many([("eth_getTransactionReceipt", [h]) for h in tx_hashes])
        return [Receipt.from_rpc(r) if isinstance(r, dict) else None for r in replies]

    def _unstick(self, missing: list[str]) -> None:
        """A single transaction waits too long: on a dev chain that is not automining, mine."""
        if self.mining is None:
            return
        if self.mining.heal():  # the process that paused automining died
            return
        if not self.mining.automine():
            self.mining.mine()

    def failure_reason(self, tx: dict[str, Any], receipt: Receipt, context: str) -> ContractRevert:
        """Why a mined transaction reverted: replays it on the state before its block."""
        replay: dict[str, Any] = {"from": tx["from"], "data": "0x" + bytes(tx["data"]).hex()}
        if tx.get("to"):
            replay["to"] = tx["to"]
        replay["value"] = hex(int(tx.get("value") or 0))
        replay["gas"] = hex(int(tx["gas"]))
        try:
            self.rpc.call("eth_call", [replay, hex(max(receipt.block_number - 1, 0))])
        except RpcError as exc:
            err = as_error(exc, context)
            if isinstance(err, ContractRevert):
                return err
        return ContractRevert(
            f"Transaction {receipt.tx_hash} ({context or 'call'}) was mined but reverted "
            "without a reason (it may have run out of gas)."
        )

    def next_block(self) -> int:
        """One more block after the current head: mined at once on a dev chain, awaited on a
        chain that seals on its own. Its number."""
        head = self.block_number()
        if self.mining is not None:
            self.mining.mine()
        deadline = time.monotonic() + self.timeout
        while (now := self.block_number()) <= head:
            if time.monotonic() > deadline:
                raise TransactionTimeout(f"No new block after {head} within {self.timeout:.0f} s.")
            time.sleep(0.25)
        return now

    # -- test and development helpers (Anvil, Ganache) ---------------------------------------
    def snapshot(self) -> str:
        return str(self.rpc.call("evm_snapshot"))

    def revert(self, snapshot_id: str) -> None:
        if not self.rpc.call("evm_revert", [snapshot_id]):
            raise TransactionError(f"The chain refused to revert to snapshot {snapshot_id}.")
        self.forget_nonces()

    @property
    def sync_send(self) -> bool:
        """Whether a sent transaction is mined at once (an automining Anvil)."""
        if self._sync_send is None:
            self._sync_send = self._automining_anvil()
        return self._sync_send

    @property
    def stall_seconds(self) -> float:
        """Silence after which missing receipts mean "stuck": an automining Anvil answers at
        once, so a short silence already does."""
        return 0.5 if self.sync_send else STALL_SECONDS

    def _automining_anvil(self) -> bool:
        if not self.is_anvil:
            return False
        try:
            return bool(self.rpc.call("anvil_getAutomine"))
        except RpcError:
            return False


class _BlockScan:
    """Receipts read a block at a time (``eth_getBlockReceipts``), from
    :data:`LOOKBACK_BLOCKS` before the head on; after the first read, what is still missing is
    looked up one by one once (mined before those blocks, or not mined yet: those answer at
    once)."""

    def __init__(self, chain: Chain) -> None:
        self.chain = chain
        self.scanned = max(chain.block_number() - LOOKBACK_BLOCKS, -1)
        self.first = True

    def receipts(self, missing: Sequence[str]) -> dict[str, Receipt] | None:
        """The receipts of ``missing`` in blocks not read yet; None if the node cannot say."""
        chain, wanted, found = self.chain, set(missing), {}
        head = chain.block_number()
        if head > self.scanned:
            blocks = [hex(n) for n in range(self.scanned + 1, head + 1)]
            replies = chain.rpc.batch([("eth_getBlockReceipts", [b]) for b in blocks])
            if any(isinstance(r, RpcError) for r in replies):
                chain._block_receipts = False
                return None
            for reply in replies:
                for raw in reply or ():
                    if raw.get("transactionHash") in wanted:
                        found[raw["transactionHash"]] = Receipt.from_rpc(raw)
            self.scanned = head
        if self.first:
            self.first = False
            rest = [h for h in missing if h not in found]
            found |= _mined(rest, chain.receipts(rest))
        return found


def _mined(hashes: Sequence[str], receipts: Sequence[Receipt | None]) -> dict[str, Receipt]:
    return {h: r for h, r in zip(hashes, receipts, strict=True) if r is not None}


def _block_tag(block: int | str) -> str:
    return hex(block) if isinstance(block, int) else block
