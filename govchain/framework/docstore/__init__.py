"""Encrypted off-chain documents addressed by hash (the chain holds only the hashes)."""

from govchain.framework.docstore.crypto import Envelope, address_of, commitment, public_key_of
from govchain.framework.docstore.errors import (
    DocumentExists,
    DocumentNotFound,
    DocumentTampered,
    InvalidPublicKey,
    NotAReader,
)
from govchain.framework.docstore.store import DocumentStore, LocalDocumentStore
from govchain.framework.docstore.vault import DocumentVault

__all__ = [
    "DocumentExists",
    "DocumentNotFound",
    "DocumentStore",
    "DocumentTampered",
    "DocumentVault",
    "Envelope",
    "InvalidPublicKey",
    "LocalDocumentStore",
    "NotAReader",
    "address_of",
    "commitment",
    "public_key_of",
]
