"""What a Merkle batch needs to keep so any item can be proven later: its sorted leaves.

Volume data (tracking messages, bulk records) is anchored as one Merkle root per batch. Storing
a proof per item would cost a path of hashes for each of millions of items; instead this index
keeps, per batch, the sorted leaf hashes as one blob in SQLite under the data directory. Finding
an item's batch is a binary search in each batch's sorted blob (read 32 bytes at a time through
SQLite's incremental blob I/O, so nothing large is loaded); the proof is then rebuilt from that
batch's leaves (recent trees cached). Writing 3,000,000 leaves costs one blob per 65,536.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from govchain.errors import InputError
from govchain.files import open_sqlite
from govchain.framework.merkle import MerkleTree

SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    scope TEXT NOT NULL, batch_id INTEGER NOT NULL, root BLOB NOT NULL, count INTEGER NOT NULL,
    leaves BLOB NOT NULL, PRIMARY KEY (scope, batch_id));
"""
CACHED_TREES = 4


@dataclass(frozen=True)
class ItemProof:
    """Everything a verifier needs besides the item and the chain."""

    batch_id: int
    leaf: bytes
    proof: tuple[bytes, ...]
    root: bytes

    def as_json(self) -> dict[str, object]:
        return {
            "batchId": self.batch_id,
            "leaf": "0x" + self.leaf.hex(),
            "proof": ["0x" + p.hex() for p in self.proof],
            "root": "0x" + self.root.hex(),
        }


class MerkleBatchIndex:
    """The leaves of every anchored batch of one contract (``scope``), in an SQLite file."""

    def __init__(self, path: Path, scope: str) -> None:
        self.path = path
        self.scope = scope
        self._local = threading.local()
        self._trees: OrderedDict[int, MerkleTree] = OrderedDict()
        self._lock = threading.Lock()
        self._db().executescript(SCHEMA)

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = open_sqlite(self.path)
            self._local.db = db
        return db

    def record(self, batch_id: int, root: bytes, leaves: Sequence[bytes]) -> None:
        """Keep a tree's sorted ``leaves`` under ``batch_id`` (after its ``root`` was anchored)."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            # A batch id seen before means the chain was reset (or a test reverted it): the
            # chain's new batch replaces the stale record.
            db.execute(
                "INSERT OR REPLACE INTO batches VALUES (?, ?, ?, ?, ?)",
                (self.scope, batch_id, root, len(leaves), b"".join(leaves)),
            )
            db.execute("COMMIT")
            with self._lock:
                self._trees.pop(batch_id, None)
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def prove(self, leaf: bytes, batch_id: int | None = None) -> ItemProof:
        """The proof of ``leaf`` (searching every batch unless ``batch_id`` is given);
        :class:`ItemNotFound` if no recorded batch holds it."""
        found = self._find(leaf, batch_id)
        if found is None:
            raise ItemNotFound(f"No anchored batch holds the item 0x{leaf.hex()}.")
        tree = self._tree(found)
        return ItemProof(found, leaf, tuple(tree.proof(leaf)), tree.root)

    def _find(self, leaf: bytes, only: int | None) -> int | None:
        db = self._db()
        rows = db.execute(
            "SELECT rowid, batch_id, count FROM batches WHERE scope = ? ORDER BY batch_id DESC",
            (self.scope,),
        ).fetchall()
        for rowid, batch_id, count in rows:
            if only is not None and batch_id != only:
                continue
            with db.blobopen("batches", "leaves", rowid, readonly=True) as blob:
                low, high = 0, count - 1
                while low <= high:
                    middle = (low + high) // 2
                    blob.seek(middle * 32)
                    probe = blob.read(32)
                    if probe == leaf:
                        return int(batch_id)
                    if probe < leaf:
                        low = middle + 1
                    else:
                        high = middle - 1
        return None

    def batch_ids(self) -> list[int]:
        rows = self._db().execute(
            "SELECT batch_id FROM batches WHERE scope = ? ORDER BY batch_id", (self.scope,)
        )
        return [int(r[0]) for r in rows]

    def count(self) -> int:
        row = (
            self._db()
            .execute("SELECT COALESCE(SUM(count), 0) FROM batches WHERE scope = ?", (self.scope,))
            .fetchone()
        )
        return int(row[0])

    def _tree(self, batch_id: int) -> MerkleTree:
        with self._lock:
            if batch_id in self._trees:
                self._trees.move_to_end(batch_id)
                return self._trees[batch_id]
        row = (
            self._db()
            .execute(
                "SELECT leaves FROM batches WHERE scope = ? AND batch_id = ?",
                (self.scope, batch_id),
            )
            .fetchone()
        )
        blob = bytes(row[0])
        tree = MerkleTree(_split(blob), presorted=True)
        with self._lock:
            self._trees[batch_id] = tree
            while len(self._trees) > CACHED_TREES:
                self._trees.popitem(last=False)
        return tree


def _split(blob: bytes) -> Sequence[bytes]:
    return [blob[i : i + 32] for i in range(0, len(blob), 32)]


class ItemNotFound(InputError):
    """The item was never anchored (or not through this installation's index)."""
