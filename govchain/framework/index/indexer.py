"""The event index: every GovChain contract's events, caught up incrementally.

Lists, queries and histories read this index instead of scanning the chain with ``eth_getLogs``
from block 0. :meth:`EventIndex.sync` (called by every query) costs one batch request when
nothing is new: the chain head and the hash of the last indexed block. New blocks are fetched in
ranges for all contracts at once and applied one range per database transaction, with the cursor
and the block hashes, so an interrupted catch-up resumes where it stopped. If the hash of the
last indexed block changed (a reorg, an ``evm_revert``, ``govchain node reset``), the index
rolls back to the newest block whose hash still matches, or rebuilds: it never serves stale rows.

Case contracts (those with CaseBase's ``Filed`` and ``Transition`` events) also get a table of
items (kind, filer, key, state) and of item attributes: every other argument of a case event
whose first argument is the item's ``id`` (``DeclarationFiled(id, port, region)``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from govchain.chain.abi import ContractInterface, Event, signature
from govchain.chain.artifacts import interface
from govchain.chain.chain import Chain
from govchain.chain.rpc import RpcError
from govchain.errors import ChainUnavailable
from govchain.framework.index.store import (
    SCHEMA_VERSION,
    Changes,
    IndexStore,
    ItemRow,
    LogRow,
    SqliteIndexStore,
)
from govchain.hashing import keccak, to_checksum_address

BASE_EVENTS = ("Filed", "Transition", "DocumentAnchored")
HASH_BATCH = 64


class EventIndex:
    """The index of ``contracts`` ({name: address}) on ``chain``, kept in ``store`` (a path is
    a SQLite file)."""

    def __init__(
        self,
        chain: Chain,
        contracts: dict[str, str],
        store: IndexStore | Path,
        *,
        start_block: int = 0,
        range_size: int = 2000,
    ) -> None:
        self.chain = chain
        self.contracts = {n: to_checksum_address(a) for n, a in contracts.items()}
        self.start_block = start_block
        self.range_size = range_size
        self.store: IndexStore = SqliteIndexStore(store) if isinstance(store, Path) else store
        self._names = {a.lower(): n for n, a in self.contracts.items()}
        self._ifaces = {n: interface(n) for n in self.contracts}
        self._cases = {
            n for n, i in self._ifaces.items() if {"Filed", "Transition"} <= set(i.events_by_name)
        }
        self._lock = threading.Lock()
        self.generation = 0  # bumped on every rollback or rebuild

    @property
    def fingerprint(self) -> str:
        pairs = ",".join(f"{n}={a}" for n, a in sorted(self.contracts.items()))
        return f"{SCHEMA_VERSION}|{self.chain.chain_id}|{self.start_block}|{pairs}"

    # -- catching up -------------------------------------------------------------------------
    def sync(self) -> int:
        """Catch up with the chain; the number of new logs."""
        with self._lock:
            if self.store.meta("fingerprint") != self.fingerprint:
                self._reset()
            cursor = int(self.store.meta("cursor") or self.start_block - 1)
            head_hex, block = self._head_and_block(cursor)
            head = int(head_hex, 16)
            known = self.store.recent_blocks(cursor, 1)
            moved = bool(known) and known[0][0] == cursor
            if (moved and (block is None or block["hash"] != known[0][1])) or head < cursor:
                cursor = self._fork_point(cursor)
            added = 0
            while cursor < head:
                end = min(head, cursor + self.range_size)
                added += self._catch_up(cursor + 1, end)
                cursor = end
            return added

    def rebuild(self) -> None:
        """Forget everything and index again from the start block."""
        with self._lock:
            self._reset()
        self.sync()

    def _reset(self) -> None:
        self.store.reset({"fingerprint": self.fingerprint, "cursor": str(self.start_block - 1)})
        self.generation += 1

    def _head_and_block(self, cursor: int) -> tuple[str, dict[str, Any] | None]:
        replies = self.chain.rpc.batch(
            [("eth_blockNumber", []), ("eth_getBlockByNumber", [hex(max(cursor, 0)), False])]
        )
        for reply in replies:
            if isinstance(reply, RpcError):
                raise ChainUnavailable(f"The node at {self.chain.url} failed: {reply.message}")
        head: str = replies[0]
        block: dict[str, Any] | None = replies[1]
        return head, block

    def _fork_point(self, cursor: int) -> int:
        """Roll back to the newest indexed block the chain still has; rebuild if there is none."""
        below = cursor
        while True:
            known = self.store.recent_blocks(below, HASH_BATCH)
            if not known:
                self._reset()
                return self.start_block - 1
            replies = self.chain.rpc.batch(
                [("eth_getBlockByNumber", [hex(n), False]) for n, _ in known]
            )
            for (number, digest), reply in zip(known, replies, strict=True):
                if isinstance(reply, dict) and reply.get("hash") == digest:
                    self._rollback(number)
                    return number
            below = known[-1][0] - 1

    def _rollback(self, block: int) -> None:
        replay = self.store.rollback(block)
        self.generation += 1
        if replay:
            changes = Changes()
            for row in replay:
                self._derive(row, changes, keep_log=False)
            self.store.apply(changes, block)

    def _catch_up(self, start: int, end: int) -> int:
        try:
            raw = self.chain.get_logs(list(self.contracts.values()), None, start, end)
        except (RpcError, ChainUnavailable) as exc:
            if end > start and "too" in str(exc).lower():  # response too large: halve the range
                middle = (start + end) // 2
                return self._catch_up(start, middle) + self._catch_up(middle + 1, end)
            raise
        changes = Changes()
        for log in raw:
            if log.get("removed"):
                continue
            row = LogRow(
                int(log["blockNumber"], 16),
                int(log["logIndex"], 16),
                self.contracts[self._names[log["address"].lower()]],
                str(log.get("transactionHash") or ""),
                tuple(t.lower() for t in log["topics"]),
                str(log.get("data") or "0x"),
            )
            self._derive(row, changes, keep_log=True)
            if log.get("blockHash"):
                changes.hashes[row.block] = str(log["blockHash"])
        last = self.chain.block(end)
        if last is not None:
            changes.hashes[end] = str(last["hash"])
        self.store.apply(changes, end)
        return len(raw)

    def _derive(self, row: LogRow, changes: Changes, *, keep_log: bool) -> None:
        """The rows a log adds: the log itself and, for a case contract, item changes."""
        if keep_log:
            changes.logs.append(row)
        name = self._names.get(row.address.lower())
        if name not in self._cases or len(row.topics) < 2:
            return
        topics = _case_topics()
        event = topics.get(row.topics[0])
        data = bytes.fromhex(row.data[2:])
        item = bytes.fromhex(row.topics[1][2:])
        if event == "Filed":
            kind = int(row.topics[2], 16)
            filer = checksum("0x" + row.topics[3][-40:])
            changes.filed.append((row.address, item, kind, filer, data[:32], row.block))
        elif event == "Transition":
            to = int.from_bytes(data[64:96], "big")
            changes.moved.append((to, row.block, row.address, item))
        elif event is None:
            args = _item_event_args(self._ifaces[name], row, data)
            for key, value in args.items():
                changes.attrs.append((row.address, item, key, value, row.block))

    # -- queries -----------------------------------------------------------------------------
    def items(
        self,
        contract: str,
        *,
        kind: int | None = None,
        state: int | None = None,
        key: bytes | None = None,
        filer: str | None = None,
        attr: tuple[str, Any] | None = None,
        fresh: bool = True,
    ) -> list[ItemRow]:
        """Items of a case contract, optionally filtered, in the order they were filed."""
        if fresh:
            self.sync()
        wanted = (attr[0], attr_text(attr[1])) if attr is not None else None
        return self.store.items(
            self._address(contract), kind=kind, state=state, key=key, filer=filer, attr=wanted
        )

    def item(self, contract: str, item_id: bytes, *, fresh: bool = True) -> ItemRow | None:
        found = [r for r in self.items(contract, fresh=fresh) if r.id == item_id]
        return found[0] if found else None

    def history(self, contract: str, item_id: bytes, *, fresh: bool = True) -> list[Event]:
        """Every event of the item (its id is the event's first indexed argument), in order."""
        if fresh:
            self.sync()
        rows = self.store.item_logs(self._address(contract), item_id)
        return self._decode(contract, rows)

    def events(
        self,
        contract: str,
        names: Sequence[str] | None = None,
        *,
        first: bytes | str | int | None = None,
        fresh: bool = True,
    ) -> list[Event]:
        """Decoded events of ``contract`` (only ``names``; only those whose first indexed
        argument is ``first``), in chain order."""
        if fresh:
            self.sync()
        iface = self._ifaces[contract]
        topic0s = None if names is None else [iface.topic(n) for n in names]
        rows = self.store.logs(self._address(contract), topic0s, _topic(first))
        return self._decode(contract, rows)

    def counts(self, contract: str, *, fresh: bool = True) -> dict[tuple[int, int], int]:
        """How many items per (kind, state)."""
        if fresh:
            self.sync()
        return self.store.counts(self._address(contract))

    def head(self) -> int:
        return int(self.store.meta("cursor") or self.start_block - 1)

    def _address(self, contract: str) -> str:
        return self.contracts[contract]

    def _decode(self, contract: str, rows: Sequence[LogRow]) -> list[Event]:
        return self._ifaces[contract].decode_logs(r.as_rpc() for r in rows)


#: Checksumming costs a keccak; the same few addresses recur in every range of logs.
checksum = lru_cache(maxsize=65_536)(to_checksum_address)


def _item_event_args(iface: ContractInterface, row: LogRow, data: bytes) -> dict[str, str]:
    """The attributes a case event sets on its item (all arguments after ``id``), as text.
    Static types are read straight from the topics and data words; others through the ABI."""
    entry = iface.events_by_topic.get(bytes.fromhex(row.topics[0][2:]))
    if entry is None or not entry["inputs"] or entry["inputs"][0]["name"] != "id":
        return {}
    out: dict[str, str] = {}
    topic, word = 2, 0
    for param in entry["inputs"][1:]:
        kind: str = param["type"]
        if param.get("indexed"):
            raw = bytes.fromhex(row.topics[topic][2:])
            topic += 1
        elif kind in ("string", "bytes") or kind.endswith("]") or kind.startswith("tuple"):
            decoded = iface.decode_log(row.as_rpc())
            return {k: attr_text(v) for k, v in list(decoded.args.items())[1:]} if decoded else {}
        else:
            raw = data[word * 32 : word * 32 + 32]
            word += 1
        if kind == "address":
            out[param["name"]] = checksum("0x" + raw[-20:].hex())
        elif kind.startswith(("uint", "bool")):
            out[param["name"]] = str(int.from_bytes(raw, "big"))
        elif kind.startswith("int"):
            out[param["name"]] = str(int.from_bytes(raw, "big", signed=True))
        else:  # bytesN
            out[param["name"]] = "0x" + raw[: int(kind[5:] or 32)].hex()
    return out


def attr_text(value: Any) -> str:
    """An attribute value as stored: hex for bytes, checksummed addresses, decimal numbers."""
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return to_checksum_address(value)
    if isinstance(value, bool):
        return str(int(value))
    return str(value)


def _topic(value: bytes | str | int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, int):
        return "0x" + value.to_bytes(32, "big").hex()
    if isinstance(value, str):
        raw = bytes.fromhex(value.removeprefix("0x"))
        return "0x" + raw.rjust(32, b"\0").hex()
    return "0x" + value.rjust(32, b"\0").hex()


_TOPICS: dict[str, str] = {}


def _case_topics() -> dict[str, str]:
    """topic0 -> name of CaseBase's events."""
    if not _TOPICS:
        base: ContractInterface = interface("CaseBase")
        for name in BASE_EVENTS:
            _TOPICS["0x" + keccak(text=signature(base.events_by_name[name])).hex()] = name
    return _TOPICS
