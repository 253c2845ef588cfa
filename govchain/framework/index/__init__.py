"""The incremental event index of every GovChain contract (SQLite by default, or PostgreSQL)."""

from govchain.framework.index.backends import open_store
from govchain.framework.index.indexer import EventIndex
from govchain.framework.index.store import IndexStore, ItemRow, LogRow, SqliteIndexStore

__all__ = [
    "EventIndex",
    "IndexStore",
    "ItemRow",
    "LogRow",
    "SqliteIndexStore",
    "open_store",
]
