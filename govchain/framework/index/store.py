"""Where the event index keeps its rows: a small interface and the SQL both databases share.

The indexer (:mod:`govchain.framework.index.indexer`) decides what to store; a store only keeps
rows and answers queries. :class:`SqlIndexStore` holds every statement once, in SQL that SQLite
(3.24+) and PostgreSQL both accept (``ON CONFLICT`` upserts, ``?`` placeholders that the
PostgreSQL store turns into ``%s``); :class:`SqliteIndexStore` (the default, one file) and
:class:`~govchain.framework.index.postgres.PostgresIndexStore` only connect and open transactions.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

from govchain.files import open_sqlite

SCHEMA_VERSION = "3"

#: The tables, with the few types that differ between the databases as ``{names}``.
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (number {int} PRIMARY KEY, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    block {int} NOT NULL, log_index {int} NOT NULL, address TEXT NOT NULL,
    tx_hash TEXT NOT NULL, topic0 TEXT NOT NULL, topic1 TEXT, topics TEXT NOT NULL,
    data TEXT NOT NULL, PRIMARY KEY (block, log_index));
CREATE INDEX IF NOT EXISTS events_by_item ON events (address, topic1);
CREATE INDEX IF NOT EXISTS events_by_name ON events (address, topic0);
CREATE TABLE IF NOT EXISTS items (
    n {serial} PRIMARY KEY, address TEXT NOT NULL, id {blob} NOT NULL, kind {int} NOT NULL,
    filer TEXT NOT NULL, key {blob} NOT NULL, state {int} NOT NULL,
    created_block {int} NOT NULL, updated_block {int} NOT NULL, UNIQUE (address, id));
CREATE INDEX IF NOT EXISTS items_by_key ON items (address, key);
CREATE INDEX IF NOT EXISTS items_by_state ON items (address, kind, state);
CREATE TABLE IF NOT EXISTS attrs (
    n {int} NOT NULL, address TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    block {int} NOT NULL, PRIMARY KEY (n, name));
CREATE INDEX IF NOT EXISTS attrs_by_value ON attrs (address, name, value, n);
"""


@dataclass(frozen=True)
class LogRow:
    """A raw log as stored (hex text), decoded on read with the contract's ABI."""

    block: int
    log_index: int
    address: str
    tx_hash: str
    topics: tuple[str, ...]
    data: str

    def as_rpc(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "blockNumber": hex(self.block),
            "logIndex": hex(self.log_index),
            "transactionHash": self.tx_hash,
            "topics": list(self.topics),
            "data": self.data,
        }


class ItemRow(NamedTuple):
    """A case item as the index knows it (a named tuple: lists of 10,000s build fast)."""

    address: str
    id: bytes
    kind: int
    filer: str
    key: bytes
    state: int
    created_block: int
    updated_block: int


@dataclass
class Changes:
    """What one range of blocks adds: logs, item creations and moves, attributes, hashes."""

    logs: list[LogRow] = field(default_factory=list)
    filed: list[tuple[str, bytes, int, str, bytes, int]] = field(default_factory=list)
    moved: list[tuple[int, int, str, bytes]] = field(default_factory=list)  # state, block, addr, id
    attrs: list[tuple[str, bytes, str, str, int]] = field(default_factory=list)
    hashes: dict[int, str] = field(default_factory=dict)


class IndexStore(Protocol):
    """The storage of an event index (SQLite by default, or PostgreSQL)."""

    def meta(self, key: str) -> str | None: ...
    def reset(self, meta: dict[str, str]) -> None: ...
    def apply(self, changes: Changes, cursor: int) -> None: ...
    def recent_blocks(self, below: int, limit: int) -> list[tuple[int, str]]: ...
    def rollback(self, block: int) -> list[LogRow]: ...
    def items(
        self,
        address: str,
        *,
        kind: int | None = None,
        state: int | None = None,
        key: bytes | None = None,
        filer: str | None = None,
        attr: tuple[str, str] | None = None,
    ) -> list[ItemRow]: ...
    def item_logs(self, address: str, item: bytes) -> list[LogRow]: ...
    def logs(
        self, address: str, topic0s: Sequence[str] | None, first: str | None
    ) -> list[LogRow]: ...
    def counts(self, address: str) -> dict[tuple[int, int], int]: ...
    def close(self) -> None: ...


class Database(Protocol):
    """What :class:`SqlIndexStore` needs of a connection (sqlite3's own methods)."""

    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Iterable[Any]: ...
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> Any: ...


C = TypeVar("C", bound=Database)


class SqlIndexStore(Generic[C]):
    """Every statement of the index, once, and one connection per thread; subclasses open a
    connection and run a transaction."""

    def __init__(self) -> None:
        self._local = threading.local()

    def _open(self) -> C:
        raise NotImplementedError

    def _transaction(self) -> AbstractContextManager[C]:
        raise NotImplementedError

    def _connection(self) -> C:
        """This thread's connection, opened on first use (again if it was closed)."""
        db: C | None = getattr(self._local, "db", None)
        if db is None or getattr(db, "closed", False):
            db = self._open()
            self._local.db = db
        return db

    def _db(self) -> Database:
        return self._connection()

    def close(self) -> None:
        """Close this thread's connection (others close with their threads)."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    def meta(self, key: str) -> str | None:
        rows = list(self._db().execute("SELECT value FROM meta WHERE key = ?", (key,)))
        return str(rows[0][0]) if rows else None

    def reset(self, meta: dict[str, str]) -> None:
        with self._transaction() as db:
            for table in ("meta", "blocks", "events", "items", "attrs"):
                db.execute(f"DELETE FROM {table}")
            db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))

    def apply(self, changes: Changes, cursor: int) -> None:
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (block, log_index) "
                "DO UPDATE SET address = excluded.address, tx_hash = excluded.tx_hash, "
                "topic0 = excluded.topic0, topic1 = excluded.topic1, topics = excluded.topics, "
                "data = excluded.data",
                [
                    (
                        r.block,
                        r.log_index,
                        r.address,
                        r.tx_hash,
                        r.topics[0] if r.topics else "",
                        r.topics[1] if len(r.topics) > 1 else None,
                        ",".join(r.topics),
                        r.data,
                    )
                    for r in changes.logs
                ],
            )
            db.executemany(
                "INSERT INTO items (address, id, kind, filer, key, state, created_block, "
                "updated_block) VALUES (?, ?, ?, ?, ?, 0, ?, ?) "
                "ON CONFLICT (address, id) DO NOTHING",
                [(a, i, k, f, key, b, b) for a, i, k, f, key, b in changes.filed],
            )
            db.executemany(
                "UPDATE items SET state = ?, updated_block = ? WHERE address = ? AND id = ?",
                changes.moved,
            )
            db.executemany(
                "INSERT INTO attrs SELECT n, address, ?, ?, ? FROM items "
                "WHERE address = ? AND id = ? "
                "ON CONFLICT (n, name) "
                "DO UPDATE SET value = excluded.value, block = excluded.block",
                [(name, value, block, a, i) for a, i, name, value, block in changes.attrs],
            )
            db.executemany(
                "INSERT INTO blocks VALUES (?, ?) "
                "ON CONFLICT (number) DO UPDATE SET hash = excluded.hash",
                sorted(changes.hashes.items()),
            )
            self._set_cursor(db, cursor)
            db.execute(
                "DELETE FROM blocks WHERE number NOT IN "
                "(SELECT number FROM blocks ORDER BY number DESC LIMIT 1024)"
            )

    def recent_blocks(self, below: int, limit: int) -> list[tuple[int, str]]:
        rows = self._db().execute(
            "SELECT number, hash FROM blocks WHERE number <= ? ORDER BY number DESC LIMIT ?",
            (below, limit),
        )
        return [(int(n), str(h)) for n, h in rows]

    def rollback(self, block: int) -> list[LogRow]:
        """Forget everything after ``block``; the remaining logs of the items touched after it
        are returned (their items and attributes deleted) for the indexer to replay."""
        with self._transaction() as db:
            touched = list(
                db.execute(
                    "SELECT DISTINCT address, topic1 FROM events "
                    "WHERE block > ? AND topic1 IS NOT NULL",
                    (block,),
                )
            )
            db.execute("DELETE FROM events WHERE block > ?", (block,))
            db.execute("DELETE FROM blocks WHERE number > ?", (block,))
            replay: list[LogRow] = []
            for address, item in touched:
                raw = bytes.fromhex(item[2:])
                db.execute(
                    "DELETE FROM attrs WHERE n IN "
                    "(SELECT n FROM items WHERE address = ? AND id = ?)",
                    (address, raw),
                )
                db.execute("DELETE FROM items WHERE address = ? AND id = ?", (address, raw))
                replay += self._rows(
                    db.execute(
                        "SELECT * FROM events WHERE address = ? AND topic1 = ?", (address, item)
                    )
                )
            self._set_cursor(db, block)
        return sorted(replay, key=lambda r: (r.block, r.log_index))

    def items(
        self,
        address: str,
        *,
        kind: int | None = None,
        state: int | None = None,
        key: bytes | None = None,
        filer: str | None = None,
        attr: tuple[str, str] | None = None,
    ) -> list[ItemRow]:
        columns = "i.address, i.id, i.kind, i.filer, i.key, i.state, i.created_block, "
        sql = f"SELECT {columns} i.updated_block FROM items i"
        where = ["i.address = ?"]
        params: list[Any] = [address]
        if attr is not None:
            sql = f"SELECT {columns} i.updated_block FROM attrs a JOIN items i ON i.n = a.n"
            where = ["a.address = ?", "a.name = ?", "a.value = ?"]
            params += list(attr)
        for column, value in (("kind", kind), ("state", state), ("filer", filer)):
            if value is not None:
                where.append(f"i.{column} = ?")
                params.append(value)
        if key is not None:
            where.append("i.key = ?")
            params.append(key)
        sql += " WHERE " + " AND ".join(where) + " ORDER BY i.n"
        return list(map(ItemRow._make, self._db().execute(sql, params)))

    def item_logs(self, address: str, item: bytes) -> list[LogRow]:
        return self._rows(
            self._db().execute(
                "SELECT * FROM events WHERE address = ? AND topic1 = ? ORDER BY block, log_index",
                (address, "0x" + item.hex()),
            )
        )

    def logs(self, address: str, topic0s: Sequence[str] | None, first: str | None) -> list[LogRow]:
        sql = "SELECT * FROM events WHERE address = ?"
        params: list[Any] = [address]
        if topic0s is not None:
            sql += f" AND topic0 IN ({', '.join('?' for _ in topic0s)})"
            params += list(topic0s)
        if first is not None:
            sql += " AND topic1 = ?"
            params.append(first)
        return self._rows(self._db().execute(sql + " ORDER BY block, log_index", params))

    def counts(self, address: str) -> dict[tuple[int, int], int]:
        rows = self._db().execute(
            "SELECT kind, state, COUNT(*) FROM items WHERE address = ? GROUP BY kind, state",
            (address,),
        )
        return {(int(k), int(s)): int(n) for k, s, n in rows}

    @staticmethod
    def _set_cursor(db: Database, cursor: int) -> None:
        db.execute(
            "INSERT INTO meta VALUES ('cursor', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(cursor),),
        )

    @staticmethod
    def _rows(cursor: Iterable[Any]) -> list[LogRow]:
        return [
            LogRow(block, index, address, tx, tuple(topics.split(",")) if topics else (), data)
            for block, index, address, tx, _t0, _t1, topics, data in cursor
        ]


class SqliteIndexStore(SqlIndexStore[sqlite3.Connection]):
    """The index in one SQLite file (WAL, one connection per thread, mode 0600)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._connection().executescript(
            SCHEMA.format(int="INTEGER", serial="INTEGER", blob="BLOB")
        )

    def _open(self) -> sqlite3.Connection:
        return open_sqlite(self.path)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
