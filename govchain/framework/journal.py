"""A write-ahead journal for multi-step writes (batch issuance, batch filing, batch steps).

Before anything is sent, the signed transactions and what must follow them off chain (documents
to move into place, say) are written to ``<data_dir>/journal/<chain id>/<id>.json`` and fsynced.
If the process dies or is interrupted, the next run (or ``govchain resume``) finds the entry,
asks the chain what landed, sends the same signed bytes again where they were lost (never a
second transaction: the same nonce and hash), finishes the off-chain half of whatever landed or
undoes it when nothing did, and says exactly what it did. Entries are removed only once settled.

Kinds of entry register a :class:`Settler` (see :func:`settler`); the journal itself knows only
transactions.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from govchain.chain.chain import Chain
from govchain.chain.rpc import RpcError
from govchain.chain.tx import BatchReverted, Sender, SignedTx, TxRequest
from govchain.errors import GovChainError, InputError
from govchain.files import private_dir, write_atomic

#: How long a recovery waits for re-sent transactions before calling them dropped.
SETTLE_TIMEOUT = 30.0


@dataclass
class Entry:
    """One multi-step write in flight."""

    id: str
    kind: str
    sender: str
    txs: list[dict[str, str]]  # hash, raw, context
    payload: dict[str, Any] = field(default_factory=dict)
    created: float = field(default_factory=time.time)
    #: "prepared": recorded, nothing sent yet (the off-chain half may be half written);
    #: "sending": the transactions may have reached the chain.
    phase: str = "prepared"


@dataclass(frozen=True)
class Outcome:
    """What the chain says of an entry's transactions."""

    landed: list[str]  # hashes mined with status 1
    reverted: list[str]
    lost: list[str]  # known to no one: never mined, not in any pool

    @property
    def complete(self) -> bool:
        return not self.reverted and not self.lost


#: settles an entry once its transactions are known: returns a sentence of what it did.
Settler = Callable[[Entry, Outcome], str]
_SETTLERS: dict[str, Settler] = {}


def settler(kind: str) -> Callable[[Settler], Settler]:
    """Register how entries of ``kind`` are finished or undone."""

    def register(fn: Settler) -> Settler:
        _SETTLERS[kind] = fn
        return fn

    return register


class Journal:
    """The journal of one data directory and chain."""

    def __init__(self, data_dir: Path, chain_id: int) -> None:
        self.directory = data_dir / "journal" / str(chain_id)
        #: Lock files of the entries this process is working on (held until finished): another
        #: process's recovery never touches an entry whose owner is still alive.
        self._held: dict[str, int] = {}

    def begin(self, kind: str, sender: str, payload: dict[str, Any]) -> Entry:
        """Record a write before any of it is done (written atomically and fsynced); its
        transactions are added, by :func:`send`, just before they are sent. This process holds
        the entry's lock until :meth:`finish` (the kernel drops it if the process dies)."""
        entry = Entry(uuid.uuid4().hex[:12], kind, sender, [], payload)
        private_dir(self.directory.parent)
        private_dir(self.directory)
        fd = self._lock(entry.id, block=True)
        assert fd is not None
        self._held[entry.id] = fd
        self._save(entry)
        return entry

    def update(self, entry: Entry) -> None:
        self._save(entry)

    def finish(self, entry: Entry) -> None:
        """The write is settled: forget it."""
        with contextlib.suppress(FileNotFoundError):
            (self.directory / f"{entry.id}.json").unlink()
        with contextlib.suppress(FileNotFoundError):
            (self.directory / f"{entry.id}.lock").unlink()
        fd = self._held.pop(entry.id, None)
        if fd is not None:
            os.close(fd)

    def release(self, entry: Entry) -> None:
        """This process gives the write up unsettled (interrupted): it is an orphan now, for the
        next recovery to settle."""
        fd = self._held.pop(entry.id, None)
        if fd is not None:
            os.close(fd)

    def orphans(self) -> list[Entry]:
        """Entries whose process is gone (their lock was free; this process holds it now, until
        :meth:`finish` or :meth:`release`) — the ones recovery may settle."""
        out = []
        for entry in self.entries():
            if entry.id in self._held:
                continue
            fd = self._lock(entry.id, block=False)
            if fd is not None:
                self._held[entry.id] = fd
                out.append(entry)
        return out

    def _lock(self, entry_id: str, *, block: bool) -> int | None:
        fd = os.open(self.directory / f"{entry_id}.lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if block else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return fd

    def entries(self) -> list[Entry]:
        if not self.directory.is_dir():
            return []
        out = []
        for path in sorted(self.directory.glob("*.json")):
            try:
                out.append(Entry(**json.loads(path.read_text())))
            except FileNotFoundError:
                continue  # settled by its process meanwhile
            except (OSError, ValueError, TypeError):
                raise InputError(
                    f"Journal entry {path} is damaged; move it aside and check the chain by hand."
                ) from None
        return sorted(out, key=lambda e: e.created)

    def _save(self, entry: Entry) -> None:
        write_atomic(self.directory / f"{entry.id}.json", json.dumps(asdict(entry)), mode=0o600)


def send(
    journal: Journal,
    sender: Sender,
    entry: Entry,
    reqs: Sequence[TxRequest],
    *,
    timeout: float | None = None,
) -> list[Any]:
    """Sign ``reqs``, record them in ``entry`` as sending (fsynced) before any is sent, send
    them and wait for their receipts. The caller finishes the off-chain half and calls
    :meth:`Journal.finish`. On Ctrl-C or a crash the entry stays for :func:`recover`."""

    def record(signed: list[SignedTx]) -> None:
        entry.txs = [{"hash": s.hash, "raw": s.raw, "context": s.context} for s in signed]
        entry.phase = "sending"
        journal.update(entry)

    return sender.send_many(reqs, timeout=timeout, before_send=record)


@contextlib.contextmanager
def attempt(
    journal: Journal, entry: Entry, undo: Callable[[], None] = lambda: None
) -> Iterator[None]:
    """Around a journaled write: a batch mined but refused is settled at once (``undo`` the
    off-chain half, forget the entry); an interruption before anything was sent is undone; one
    after is left to recovery (this process gives the entry up)."""
    try:
        yield
    except BatchReverted:
        undo()
        journal.finish(entry)
        raise
    except BaseException:
        if entry.phase == "prepared":
            undo()
            journal.finish(entry)
        else:
            journal.release(entry)
        raise


def outcome(
    chain: Chain, entry: Entry, *, timeout: float = SETTLE_TIMEOUT, resend: bool = True
) -> Outcome:
    """Ask the chain about every transaction of ``entry``. An entry never sent is all lost.
    With ``resend``, transactions that did not land are sent again (the same bytes) and
    awaited up to ``timeout``."""
    hashes = [t["hash"] for t in entry.txs]
    if entry.phase == "prepared":
        return Outcome([], [], hashes)
    rpc = chain.rpc
    missing = [h for h, r in zip(hashes, _receipts(chain, hashes), strict=True) if r is None]
    if missing and resend:
        raws = {t["hash"]: t["raw"] for t in entry.txs}
        for h in missing:
            with contextlib.suppress(RpcError):  # already known, or its nonce already used
                rpc.call("eth_sendRawTransaction", [raws[h]])
        if chain.is_anvil:
            with contextlib.suppress(RpcError):
                rpc.call("anvil_mine", [hex(len(missing))])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = _receipts(chain, missing)
            missing = [h for h, r in zip(missing, got, strict=True) if r is None]
            if not missing:
                break
            pending = [h for h in missing if rpc.call("eth_getTransactionByHash", [h]) is not None]
            if not pending:
                break  # nobody has them: their nonce went to other transactions
            time.sleep(0.2)
    receipts = dict(zip(hashes, _receipts(chain, hashes), strict=True))
    landed = [h for h, r in receipts.items() if r is not None and int(r["status"], 16) == 1]
    reverted = [h for h, r in receipts.items() if r is not None and int(r["status"], 16) != 1]
    lost = [h for h, r in receipts.items() if r is None]
    return Outcome(landed, reverted, lost)


def recover(journal: Journal, chain: Chain) -> list[str]:
    """Settle every entry of ``journal``; one sentence per entry of what was done."""
    said = []
    for entry in journal.orphans():
        settle = _SETTLERS.get(entry.kind)
        if settle is None:
            raise GovChainError(f"Journal entry {entry.id} is of unknown kind '{entry.kind}'.")
        result = outcome(chain, entry)
        said.append(settle(entry, result))
        journal.finish(entry)
    return said


def in_flight(journal: Journal, kind: str, key: str, value: Any) -> Entry | None:
    """An unsettled entry of ``kind`` whose payload has ``key`` = ``value``."""
    return next(
        (e for e in journal.entries() if e.kind == kind and e.payload.get(key) == value), None
    )


def _receipts(chain: Chain, hashes: Sequence[str]) -> list[dict[str, Any] | None]:
    if not hashes:
        return []
    replies = chain.rpc.batch([("eth_getTransactionReceipt", [h]) for h in hashes])
    return [None if isinstance(r, RpcError) or not r else r for r in replies]
