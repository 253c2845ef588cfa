"""The transaction layer: one :class:`Sender` per account, safe under concurrency.

- Nonces are assigned under a lock and the signed transaction is submitted before the lock is
  released, so many threads may send from one account at once: no gaps, no duplicates. Any nonce
  complaint from the node makes the sender re-read the nonce from the chain and retry once.
- Gas is estimated first, so a call that would revert raises its decoded error before anything is
  signed; fees are EIP-1559 when the chain has a base fee, legacy otherwise.
- On an automining Anvil, ``eth_sendRawTransactionSync`` returns the receipt in the same request;
  elsewhere receipts are polled with a short back-off (web3.py's fixed 0.1 s poll caps a
  send-and-wait loop at ~25 tx/s).
- :meth:`Sender.send_many` is the batch mode: estimate in batch requests, sign everything, send the
  signed transactions in JSON-RPC batch requests, then collect receipts in batch requests.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from govchain.chain.results import Receipt, as_error
from govchain.chain.rpc import RpcClient, RpcError
from govchain.chain.signing import FastSigner
from govchain.errors import ContractRevert, TransactionError

GAS_MARGIN_NUM, GAS_MARGIN_DEN = 6, 5  # estimate x 1.2
SEND_CHUNK = 500
_NONCE_WORDS = ("nonce", "already known", "known transaction", "underpriced")


class SendingChain(Protocol):
    """What a :class:`Sender` needs of its chain (:class:`govchain.chain.chain.Chain`)."""

    rpc: RpcClient
    chain_id: int
    is_anvil: bool
    is_ganache: bool
    sync_send: bool

    def estimate_gas(self, tx: dict[str, Any], *, context: str = "") -> int: ...
    def nonce(self, address: str, block: str = "pending") -> int: ...
    def fee_fields(self) -> dict[str, int]: ...
    def failure_reason(
        self, tx: dict[str, Any], receipt: Receipt, context: str
    ) -> ContractRevert: ...
    def wait_receipts(
        self,
        tx_hashes: Sequence[str],
        *,
        timeout: float | None = None,
        on_stall: Callable[[list[str]], None] | None = None,
    ) -> list[Receipt]: ...


@dataclass(frozen=True)
class TxRequest:
    """What to send: a call (``to`` set) or a deployment (``to`` None)."""

    to: str | None
    data: bytes
    value: int = 0
    gas: int | None = None
    context: str = ""  # e.g. "GovChainCore.register", used in messages


@dataclass(frozen=True)
class SignedTx:
    """A signed transaction, ready to send (again): hash and raw bytes as 0x-hex."""

    hash: str
    raw: str
    tx: dict[str, Any]  # the unsigned fields, for decoding a failure
    context: str = ""


class BatchReverted(ContractRevert):
    """Some transactions of a batch reverted; ``failed`` maps their index to the error."""

    def __init__(self, failed: dict[int, ContractRevert], total: int) -> None:
        first_index, first = next(iter(failed.items()))
        super().__init__(
            f"{len(failed)} of {total} transactions reverted; the first (#{first_index}): "
            f"{first.message}",
            error_name=first.error_name,
            args=first.args_by_name,
        )
        self.failed = failed


class Sender:
    """Signs and sends transactions for one account. Get it with :meth:`Chain.sender`."""

    def __init__(self, chain: SendingChain, account: LocalAccount) -> None:
        self.chain = chain
        self.account = account
        self._signer = FastSigner(account.key)
        self._lock = threading.RLock()
        self._nonce: int | None = None
        #: With a file here, nonces are taken under a lock shared by every process using it.
        self.lock_file: Path | None = None

    @property
    def address(self) -> str:
        return str(self.account.address)

    def resync(self) -> None:
        """Forget the cached nonce; the next send reads it from the chain."""
        with self._lock:
            self._nonce = None

    # -- one transaction ---------------------------------------------------------------------
    def send(self, req: TxRequest, *, timeout: float | None = None) -> Receipt:
        """Send ``req`` and wait for its receipt; a revert raises the decoded contract error."""
        tx = self._unsigned(req, self.estimate(req) if req.gas is None else req.gas)
        receipt_or_hash = self._submit(tx, req.context)
        if isinstance(receipt_or_hash, Receipt):
            receipt = receipt_or_hash
        else:
            receipt = self.chain.wait_receipts([receipt_or_hash], timeout=timeout)[0]
        if receipt.status != 1:
            raise self.chain.failure_reason(tx, receipt, req.context)
        return receipt

    def estimate(self, req: TxRequest) -> int:
        """Gas for ``req`` with a 20 % margin; raises the decoded error if it would revert."""
        gas = self.chain.estimate_gas(self._call_fields(req), context=req.context)
        return gas * GAS_MARGIN_NUM // GAS_MARGIN_DEN

    def _submit(self, tx: dict[str, Any], context: str) -> Receipt | str:
        for attempt in (1, 2):
            with self._exclusive():
                tx["nonce"] = self._take_nonce()
                raw = "0x" + self._signer.sign(tx).hex()
                try:
                    if self.chain.sync_send:
                        reply = self.chain.rpc.call("eth_sendRawTransactionSync", [raw])
                        return Receipt.from_rpc(reply)
                    return str(self.chain.rpc.call("eth_sendRawTransaction", [raw]))
                except RpcError as exc:
                    self._nonce = None  # unknown whether it was consumed: re-read next time
                    if attempt == 1 and _is_nonce_error(exc):
                        continue
                    raise as_error(exc, context) from None
        raise TransactionError("unreachable")  # pragma: no cover

    # -- batch mode --------------------------------------------------------------------------
    def send_many(
        self,
        reqs: Sequence[TxRequest],
        *,
        timeout: float | None = None,
        before_send: Callable[[list[SignedTx]], None] | None = None,
    ) -> list[Receipt]:
        """Send many transactions with consecutive nonces in JSON-RPC batch requests.

        Requests without ``gas`` are estimated first (in batch requests, against the current
        state, so they must not depend on each other; give ``gas`` for those that do). If any
        estimate reverts, nothing is sent. ``before_send`` sees the signed transactions before
        any is sent (a journal records them there). Returns receipts in request order; raises
        :class:`BatchReverted` if some transactions were mined but reverted.
        """
        return self.settle(self.submit(reqs, before_send=before_send), timeout=timeout)

    def submit(
        self,
        reqs: Sequence[TxRequest],
        *,
        before_send: Callable[[list[SignedTx]], None] | None = None,
    ) -> list[SignedTx]:
        """Estimate (all or nothing), take consecutive nonces, sign, hand the signed
        transactions to ``before_send``, send them; does not wait for receipts. Nonces are
        taken and the transactions sent under this account's lock — shared with other
        processes when the chain has a lock directory — so concurrent senders never collide."""
        if not reqs:
            return []
        gases = self._estimate_many(reqs)
        txs = [self._unsigned(r, g) for r, g in zip(reqs, gases, strict=True)]
        with self._exclusive():
            first = self._take_nonce()
            signed = []
            for i, (req, tx) in enumerate(zip(reqs, txs, strict=True)):
                tx["nonce"] = first + i
                raw = self._signer.sign(tx)
                signed.append(SignedTx("0x" + keccak(raw).hex(), "0x" + raw.hex(), tx, req.context))
            self._nonce = first + len(txs)
            if before_send is not None:
                before_send(signed)
            self._send_raw(signed)
        return signed

    def _send_raw(self, signed: Sequence[SignedTx]) -> None:
        raws = [s.raw for s in signed]
        for start in range(0, len(raws), SEND_CHUNK):
            part = raws[start : start + SEND_CHUNK]
            replies = self.chain.rpc.batch([("eth_sendRawTransaction", [r]) for r in part])
            for offset, reply in enumerate(replies):
                if isinstance(reply, RpcError):
                    self._nonce = None
                    index = start + offset
                    raise TransactionError(
                        f"The node refused transaction #{index} of the batch "
                        f"({signed[index].context or 'call'}): {reply.message}. "
                        f"{index} earlier transaction(s) were sent."
                    )

    def settle(self, signed: Sequence[SignedTx], *, timeout: float | None = None) -> list[Receipt]:
        """Wait for the receipts of sent transactions (unsticking a dev chain's pool)."""
        if not signed:
            return []
        raws = [s.raw for s in signed]
        hashes = [s.hash for s in signed]
        by_hash = dict(zip(hashes, raws, strict=True))

        last_missing: list[int] = []

        def unstick(missing: list[str]) -> None:
            # Ways a batch stalls, seen here:
            # - an automining dev chain mines only when a transaction arrives, so once a burst
            #   has filled blocks to the gas limit the rest waits in the pool;
            # - Anvil handles the entries of a batch request concurrently: a transaction that
            #   overtook its predecessor waits as "queued" and is promoted only when a block is
            #   mined — one per block, and an automining Anvil mines no block without a new
            #   transaction. Mining as many blocks as transactions are missing settles both;
            # - a node may drop a transaction from its pool (every later nonce waits behind it):
            #   when mining did not help, take this account's stuck transactions out of Anvil's
            #   pool and send them again in nonce order (the same signed bytes, so harmless).
            dev_chain = self.chain.is_anvil or self.chain.is_ganache
            no_progress = bool(last_missing) and last_missing[-1] == len(missing)
            last_missing.append(len(missing))
            if self.chain.is_anvil and not no_progress:
                self.chain.rpc.call("anvil_mine", [hex(len(missing))])
                return
            if self.chain.is_ganache and not no_progress:
                self.chain.rpc.batch([("evm_mine", [])] * len(missing))
                return
            with self._exclusive():
                if self.chain.is_anvil:
                    self.chain.rpc.call("anvil_removePoolTransactions", [self.address])
                for h in missing:
                    with contextlib.suppress(RpcError):  # already known or already mined: fine
                        self.chain.rpc.call("eth_sendRawTransaction", [by_hash[h]])
                if dev_chain:
                    self.chain.rpc.call("evm_mine")

        receipts = self.chain.wait_receipts(hashes, timeout=timeout, on_stall=unstick)
        failed = {
            i: self.chain.failure_reason(s.tx, r, s.context)
            for i, (s, r) in enumerate(zip(signed, receipts, strict=True))
            if r.status != 1
        }
        if failed:
            raise BatchReverted(failed, len(signed))
        return receipts

    def _estimate_many(self, reqs: Sequence[TxRequest]) -> list[int]:
        """Gas per request; identical requests (same target, data, value) are estimated once."""
        gases: list[int | None] = [r.gas for r in reqs]
        first_of: dict[tuple[str | None, bytes, int], int] = {}
        same_as: dict[int, int] = {}
        for i, r in enumerate(reqs):
            if r.gas is None:
                key = (r.to, r.data, r.value)
                same_as[i] = first_of.setdefault(key, i)
        todo = sorted(set(same_as.values()))
        for start in range(0, len(todo), SEND_CHUNK):
            part = todo[start : start + SEND_CHUNK]
            calls = [("eth_estimateGas", [self._call_fields(reqs[i])]) for i in part]
            for i, reply in zip(part, self.chain.rpc.batch(calls), strict=True):
                if isinstance(reply, RpcError):
                    err = as_error(reply, reqs[i].context)
                    err.message = f"Transaction #{i} of the batch would fail: {err.message}"
                    err.args = (err.message,)
                    raise err
                gases[i] = int(reply, 16) * GAS_MARGIN_NUM // GAS_MARGIN_DEN
        out: list[int] = []
        for i, g in enumerate(gases):
            value = g if g is not None else gases[same_as[i]]
            assert value is not None  # every request was given gas or estimated above
            out.append(value)
        return out

    # -- helpers -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """This account's lock: the thread lock, and across processes the lock file (if any)."""
        with self._lock:
            if self.lock_file is None:
                yield
                return
            self.lock_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.lock_file, os.O_CREAT | os.O_RDWR, 0o600)
            with os.fdopen(fd, "r+") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                self._nonce = None  # another process may have sent since: read it again
                try:
                    yield
                finally:
                    fcntl.flock(fh, fcntl.LOCK_UN)

    def _take_nonce(self) -> int:
        """Next nonce; caller holds the lock."""
        if self._nonce is None:
            self._nonce = self.chain.nonce(self.address, "pending")
        nonce = self._nonce
        self._nonce += 1
        return nonce

    def _call_fields(self, req: TxRequest) -> dict[str, Any]:
        fields: dict[str, Any] = {"from": self.address, "data": "0x" + req.data.hex()}
        if req.to is not None:
            fields["to"] = req.to
        if req.value:
            fields["value"] = hex(req.value)
        return fields

    def _unsigned(self, req: TxRequest, gas: int) -> dict[str, Any]:
        tx: dict[str, Any] = {
            "chainId": self.chain.chain_id,
            "gas": gas,
            "value": req.value,
            "data": req.data,
            **self.chain.fee_fields(),
        }
        if req.to is not None:
            tx["to"] = req.to
        tx["from"] = self.address
        return tx  # signed by FastSigner, which ignores "from" and "type"


def _is_nonce_error(exc: RpcError) -> bool:
    text = exc.message.lower()
    return any(word in text for word in _NONCE_WORDS)
