"""Which database an event index lives in, chosen by URL: SQLite (the default) or PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from govchain.config import SQLITE_INDEX_SCHEME, check_index_url, is_postgres_url
from govchain.framework.index.postgres import PostgresIndexStore
from govchain.framework.index.store import IndexStore, SqliteIndexStore


def open_store(url: str | None, *, path: Path, namespace: str) -> IndexStore:
    """The store at ``url`` (``Config.index_url``); without one, the SQLite file ``path``.
    ``namespace`` (network and chain id) keeps different chains apart in one PostgreSQL
    database."""
    if url is None:
        return SqliteIndexStore(path)
    check_index_url(url)
    if is_postgres_url(url):
        return PostgresIndexStore(url, namespace)
    return SqliteIndexStore(Path(url[len(SQLITE_INDEX_SCHEME) - 1 :]))
