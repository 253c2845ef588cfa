"""The transaction layer: one :class:`Sender` per account, safe under concurrency.

- Nonces are assigned under a lock and the signed transaction is submitted before the lock is
  released, so many threads may send from one account at once: no gaps, no duplicates. Any nonce
  complaint from the node makes the sender re-read the nonce from the chain and retry once.
- Gas is estimated first, so a call that would revert raises its decoded error before anything is
  signed; fees are EIP-1559 when the chain has a base fee, legacy otherwise.
- On an automining Anvil, ``eth_sendRawTransactionSync`` returns the receipt in the same request;
  elsewhere receipts are polled with a short back-off (web3.py's fixed 0.1 s poll caps a
  send-and-wait loop at ~25 tx/s).
- :meth:`Sender.send_many` is the batch mode: check every request (one estimate per function, one
  ``eth_call`` per other request), sign everything, send the signed transactions in JSON-RPC batch
  requests, then collect receipts in batch requests. On a local dev chain that automines, the
  batch pauses automining, sends with several requests in flight and mines full blocks until
  every transaction is in (:mod:`govchain.chain.mining`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from govchain.chain import gas
from govchain.chain.mining import DevMining, MiningSession
from govchain.chain.results import Receipt, as_error
from govchain.chain.rpc import RpcClient, RpcError
from govchain.chain.signing import FastSigner
from govchain.errors import ContractRevert, TransactionError
from govchain.hashing import keccak

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

T = TypeVar("T")
#: Blocks in a row that take none of a batch before the node is asked what it lost (and,
#: after this many, the receipts are awaited like anywhere else).
MINE_IDLE_ROUNDS = 3
_NONCE_WORDS = ("nonce", "already known", "known transaction", "underpriced")


class SendingChain(Protocol):
    """What a :class:`Sender` needs of its chain (:class:`govchain.chain.chain.Chain`)."""

    rpc: RpcClient
    chain_id: int
    is_anvil: bool
    is_ganache: bool
    exact_estimates: bool
    timeout: float
    mining: DevMining | None

    @property
    def sync_send(self) -> bool: ...
    def estimate_gas(self, tx: dict[str, Any], *, context: str = "") -> int: ...
    def nonce(self, address: str, block: str = "pending") -> int: ...
    def fee_fields(self) -> dict[str, int]: ...
    def block(self, number: int | str = "latest") -> dict[str, Any]: ...
    def balance(self, address: str) -> int: ...
    def forget_fees(self) -> None: ...
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


class _Background(Generic[T]):
    """``fn()`` on a thread of its own; :meth:`result` waits and returns (or raises) it."""

    def __init__(self, fn: Callable[[], T]) -> None:
        self._fn = fn
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._fn()
        except BaseException as exc:
            self._error = exc

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


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
        if self.chain.mining is not None:
            self.chain.mining.heal()  # a batch that paused automining died: take it back
        receipt_or_hash = self._submit(tx, req.context)
        if isinstance(receipt_or_hash, Receipt):
            receipt = receipt_or_hash
        else:
            receipt = self.chain.wait_receipts([receipt_or_hash], timeout=timeout)[0]
        if receipt.status != 1:
            raise self.chain.failure_reason(tx, receipt, req.context)
        return receipt

    def estimate(self, req: TxRequest) -> int:
        """Gas for ``req`` with a 20 % margin (verified on a node whose estimates are loose);
        raises the decoded error if it would revert."""
        fields = self._call_fields(req)
        limit = gas.with_margin(self.chain.estimate_gas(fields, context=req.context))
        if not self.chain.exact_estimates:
            limits, errors = gas.verify(self.chain.rpc, [fields], [limit])
            if errors:
                raise as_error(errors[0], req.context)
            limit = limits[0]
        return limit

    def _submit(self, tx: dict[str, Any], context: str) -> Receipt | str:
        for attempt in (1, 2):
            with self._exclusive():
                tx["nonce"] = self._take_nonce()
                raw = "0x" + self._signer.sign(tx).hex()
                try:
                    if self.chain.sync_send:
                        try:
                            reply = self.chain.rpc.call("eth_sendRawTransactionSync", [raw])
                        except RpcError as exc:
                            if "timeout" not in exc.message.lower():
                                raise
                            # accepted but not mined in time (automining paused meanwhile):
                            # wait for it like anywhere else
                            return "0x" + keccak(bytes.fromhex(raw[2:])).hex()
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

        Requests without ``gas`` are checked first against the current state, so they must not
        depend on each other (give ``gas`` for those that do): one estimate per function, each
        other request run once at that gas (an estimate of its own only if that fails). If any
        would revert, nothing is sent and its decoded error is raised. ``before_send`` sees the
        signed transactions before any is sent (a journal records them there).

        On a local dev chain that automines, automining is paused while the batch is sent
        (several batch requests in flight) and the batch mines full blocks until every
        transaction is in, then restores it — also on an error or Ctrl-C (see
        :mod:`govchain.chain.mining`). Elsewhere the transactions are sent in nonce order and
        their receipts awaited. Returns receipts in request order; raises
        :class:`BatchReverted` if some transactions were mined but reverted.
        """
        if not reqs:
            return []
        gas_plan = self._plan(reqs)
        mining = self.chain.mining
        try:
            with mining.session() if mining is not None else contextlib.nullcontext() as session:
                signed = self._sign_and_send(gas_plan, before_send, session)
                return self.settle(signed, timeout=timeout, session=session)
        finally:
            self.chain.forget_fees()  # the batch's blocks moved the base fee

    def submit(
        self,
        reqs: Sequence[TxRequest],
        *,
        before_send: Callable[[list[SignedTx]], None] | None = None,
    ) -> list[SignedTx]:
        """Check (all or nothing, as :meth:`send_many`), take consecutive nonces, sign, hand the
        signed transactions to ``before_send``, send them in nonce order; does not wait for
        receipts (:meth:`settle` does). Nonces are taken and the transactions sent under this
        account's lock — shared with other processes when the chain has a lock directory — so
        concurrent senders never collide."""
        if not reqs:
            return []
        return self._sign_and_send(self._plan(reqs), before_send, None)

    def _plan(self, reqs: Sequence[TxRequest]) -> gas.GasPlan:
        strict = not self.chain.exact_estimates
        return gas.plan(self.chain.rpc, reqs, self._call_fields, strict=strict)

    def _sign_and_send(
        self,
        gas_plan: gas.GasPlan,
        before_send: Callable[[list[SignedTx]], None] | None,
        session: MiningSession | None,
    ) -> list[SignedTx]:
        """Sign every request, record (``before_send``), send. The requests still to be checked
        (:func:`gas.confirm`) are checked meanwhile, on another thread: nothing is recorded or
        sent before every check passed."""
        reqs = gas_plan.reqs
        checking: _Background[list[int]] | None = None
        if gas_plan.checks and not gas_plan.failed and not gas_plan.orphans:
            checking = _Background(lambda: gas.confirm(self.chain.rpc, gas_plan, self._call_fields))
            gases = gas_plan.tentative()
        else:
            gases = gas.confirm(self.chain.rpc, gas_plan, self._call_fields)
        fees = self.chain.fee_fields()
        if len(gases) > 1 and "maxFeePerGas" in fees:
            limit = int(self.chain.block("latest").get("gasLimit") or "0x1c9c380", 16)
            fees = gas.batch_fees(fees, gases, limit, self.chain.balance(self.address))
        chain_id, sign = self.chain.chain_id, self._signer.sign

        def signed_tx(i: int, nonce: int, limit: int) -> SignedTx:
            req = reqs[i]
            tx: dict[str, Any] = {
                "chainId": chain_id,
                "nonce": nonce,
                "gas": limit,
                "value": req.value,
                "data": req.data,
                **fees,
                "from": self.address,
            }
            if req.to is not None:
                tx["to"] = req.to
            raw = sign(tx)
            return SignedTx("0x" + keccak(raw).hex(), "0x" + raw.hex(), tx, req.context)

        with self._exclusive():
            first = self._take_nonce()
            signed = [signed_tx(i, first + i, g) for i, g in enumerate(gases)]
            if checking is not None:
                try:
                    final = checking.result()
                except BaseException:
                    self._nonce = None
                    raise
                for i, g in enumerate(final):
                    if g != gases[i]:  # it needed an estimate of its own
                        signed[i] = signed_tx(i, first + i, g)
            self._nonce = first + len(signed)
            if before_send is not None:
                before_send(signed)
            if session is not None:
                session.pause()
            # a dev chain that is not automining keeps a transaction that arrives before its
            # predecessor until that one is in; elsewhere send them in nonce order
            self._send_raw(signed, concurrent=session is not None)
        return signed

    def _send_raw(self, signed: Sequence[SignedTx], *, concurrent: bool = False) -> None:
        calls = [("eth_sendRawTransaction", [s.raw]) for s in signed]
        rpc = self.chain.rpc
        replies = rpc.batch_many(calls) if concurrent else rpc.batch(calls)
        refused = [
            (i, r) for i, r in enumerate(replies) if isinstance(r, RpcError) and not _known(r)
        ]
        if refused:
            self._nonce = None
            index, reply = refused[0]
            raise TransactionError(
                f"The node refused transaction #{index} of the batch "
                f"({signed[index].context or 'call'}): {reply.message}. "
                f"{len(signed) - len(refused)} of the {len(signed)} transactions were accepted."
            )

    def settle(
        self,
        signed: Sequence[SignedTx],
        *,
        timeout: float | None = None,
        session: MiningSession | None = None,
    ) -> list[Receipt]:
        """Wait for the receipts of sent transactions; with a ``session`` that paused a dev
        chain's automining, mine blocks until they are all in first."""
        if not signed:
            return []
        by_hash = {s.hash: s for s in signed}
        if session is not None and session.driving:
            self._mine_in(signed, session, timeout)
        receipts = self.chain.wait_receipts(
            list(by_hash),
            timeout=timeout,
            on_stall=lambda missing: self._unstick(missing, by_hash, session),
        )
        failed = {
            i: self.chain.failure_reason(s.tx, r, s.context)
            for i, (s, r) in enumerate(zip(signed, receipts, strict=True))
            if r.status != 1
        }
        if failed:
            raise BatchReverted(failed, len(signed))
        return receipts

    def _mine_in(
        self, signed: Sequence[SignedTx], session: MiningSession, timeout: float | None
    ) -> None:
        """Mine blocks (each takes what fits of the pool) until this account's nonce is past
        the batch. A block that takes none of it means the node lost some: those (only) are
        sent again; if that does not help, :meth:`Chain.wait_receipts` takes over."""
        last = signed[-1].tx["nonce"]
        deadline = time.monotonic() + (timeout or self.chain.timeout)
        done = self.chain.nonce(self.address, "latest")
        idle = 0
        while done <= last and idle < MINE_IDLE_ROUNDS and time.monotonic() < deadline:
            session.mine()
            now = self.chain.nonce(self.address, "latest")
            if now > done:
                done, idle = now, 0
                continue
            idle += 1
            self._resend_lost([s for s in signed if s.tx["nonce"] >= done])

    def _unstick(
        self,
        missing: list[str],
        by_hash: dict[str, SignedTx],
        session: MiningSession | None = None,
    ) -> None:
        """Nothing was mined for a while: send again what the node lost (the same signed
        bytes, so never a second transaction); on a dev chain, mine the blocks that what
        waits needs — by gas, never one per transaction."""
        waiting = sorted((by_hash[h] for h in missing), key=lambda s: int(s.tx["nonce"]))
        self._resend_lost(waiting)
        mining = self.chain.mining
        if mining is not None and waiting:
            limit = int(self.chain.block("latest").get("gasLimit") or "0x1c9c380", 16)
            gas = sum(int(s.tx["gas"]) for s in waiting)
            blocks = max(1, -(-gas // max(limit, 1)))
            if session is not None and session.driving:
                session.mine(blocks)
            else:
                mining.mine(blocks)

    def _resend_lost(self, waiting: Sequence[SignedTx]) -> int:
        """Send again, in nonce order, those of ``waiting`` the node does not know."""
        if not waiting:
            return 0
        rpc = self.chain.rpc
        known = rpc.batch_many([("eth_getTransactionByHash", [s.hash]) for s in waiting])
        lost = [s for s, tx in zip(waiting, known, strict=True) if not isinstance(tx, dict)]
        if lost:  # errors are fine: already known, or its nonce went to a transaction since
            rpc.batch([("eth_sendRawTransaction", [s.raw]) for s in lost])
        return len(lost)

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

    def _unsigned(self, req: TxRequest, limit: int) -> dict[str, Any]:
        tx: dict[str, Any] = {
            "chainId": self.chain.chain_id,
            "gas": limit,
            "value": req.value,
            "data": req.data,
            **self.chain.fee_fields(),
        }
        if req.to is not None:
            tx["to"] = req.to
        tx["from"] = self.address
        return tx  # signed by FastSigner, which ignores "from" and "type"


def _known(exc: RpcError) -> bool:
    """The node already has this very transaction (a re-send): not a refusal."""
    message = exc.message.lower()
    return "already known" in message or "known transaction" in message


def _is_nonce_error(exc: RpcError) -> bool:
    text = exc.message.lower()
    return any(word in text for word in _NONCE_WORDS)
