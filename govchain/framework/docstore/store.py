"""Where encrypted documents live: a small interface and the embedded default.

:class:`LocalDocumentStore` keeps each ciphertext in a file under ``<root>/blobs/`` (written
atomically) and an SQLite index (``<root>/index.sqlite3``, WAL mode) of documents and of the
wrapped key of each reader. It only ever holds ciphertext and wrapped keys.

For several machines, implement :class:`DocumentStore` over an S3-compatible object store: the
ciphertext as object ``blobs/<hash>`` (its ETag/content-MD5 guards the upload), the wrapped keys
as small JSON objects ``keys/<hash>/<address>.json`` (adding a reader is one PUT, so concurrent
grants never overwrite each other), listing by prefix. Nothing else changes: the vault talks to
the interface only.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Protocol

from govchain.files import open_sqlite, private_dir, write_atomic
from govchain.framework.docstore.crypto import Envelope, WrappedKey
from govchain.framework.docstore.errors import DocumentExists, DocumentNotFound, DocumentTampered
from govchain.hashing import to_checksum_address

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    hash TEXT PRIMARY KEY, size INTEGER NOT NULL, media_type TEXT NOT NULL,
    nonce TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS readers (
    hash TEXT NOT NULL, address TEXT NOT NULL, wrapped TEXT NOT NULL,
    PRIMARY KEY (hash, address));
"""


class DocumentStore(Protocol):
    """Storage of encrypted documents by content hash."""

    def put(self, envelope: Envelope) -> None: ...

    def get(self, content_hash: bytes) -> Envelope: ...

    def has(self, content_hash: bytes) -> bool: ...

    def add_reader(self, content_hash: bytes, address: str, wrapped: WrappedKey) -> None: ...

    def hashes(self) -> list[bytes]: ...


class LocalDocumentStore:
    """Files plus an SQLite index under ``root``. Safe for many threads."""

    def __init__(self, root: Path) -> None:
        self.root = root
        private_dir(root / "blobs")
        self._local = threading.local()
        with self._db() as db:
            db.executescript(SCHEMA)

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = open_sqlite(self.root / "index.sqlite3", timeout=30)
            self._local.db = db
        return db

    def _blob(self, content_hash: bytes) -> Path:
        hexed = content_hash.hex()
        return self.root / "blobs" / hexed[:2] / hexed

    def put(self, envelope: Envelope) -> None:
        """Store a new document. An existing one is never overwritten: its readers' keys wrap
        its own content key, which a second encryption of the same bytes does not share."""
        if self.has(envelope.content_hash):
            raise DocumentExists(
                f"Document 0x{envelope.content_hash.hex()} is already stored: add readers to it."
            )
        blob = self._blob(envelope.content_hash)
        private_dir(blob.parent)
        write_atomic(blob, envelope.ciphertext)
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(
                "INSERT OR IGNORE INTO documents VALUES (?, ?, ?, ?, ?)",
                (
                    envelope.content_hash.hex(),
                    len(envelope.ciphertext),
                    envelope.media_type,
                    envelope.nonce.hex(),
                    envelope.created,
                ),
            )
            db.executemany(
                "INSERT OR REPLACE INTO readers VALUES (?, ?, ?)",
                [
                    (envelope.content_hash.hex(), a, json.dumps(k.to_json()))
                    for a, k in envelope.keys.items()
                ],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def get(self, content_hash: bytes) -> Envelope:
        row = (
            self._db()
            .execute(
                "SELECT media_type, nonce, created FROM documents WHERE hash = ?",
                (content_hash.hex(),),
            )
            .fetchone()
        )
        if row is None:
            raise DocumentNotFound(f"Document 0x{content_hash.hex()} is not in the document store.")
        try:
            ciphertext = self._blob(content_hash).read_bytes()
        except FileNotFoundError:
            raise DocumentTampered(
                f"The stored bytes of document 0x{content_hash.hex()} are missing."
            ) from None
        keys = {
            address: WrappedKey.from_json(json.loads(wrapped))
            for address, wrapped in self._db().execute(
                "SELECT address, wrapped FROM readers WHERE hash = ?", (content_hash.hex(),)
            )
        }
        return Envelope(content_hash, bytes.fromhex(row[1]), ciphertext, row[0], keys, row[2])

    def has(self, content_hash: bytes) -> bool:
        row = (
            self._db()
            .execute("SELECT 1 FROM documents WHERE hash = ?", (content_hash.hex(),))
            .fetchone()
        )
        return row is not None

    def add_reader(self, content_hash: bytes, address: str, wrapped: WrappedKey) -> None:
        if not self.has(content_hash):
            raise DocumentNotFound(f"Document 0x{content_hash.hex()} is not in the document store.")
        self._db().execute(
            "INSERT OR REPLACE INTO readers VALUES (?, ?, ?)",
            (content_hash.hex(), to_checksum_address(address), json.dumps(wrapped.to_json())),
        )

    def hashes(self) -> list[bytes]:
        rows = self._db().execute("SELECT hash FROM documents ORDER BY created, hash")
        return [bytes.fromhex(r[0]) for r in rows]
