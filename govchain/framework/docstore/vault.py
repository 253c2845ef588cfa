"""The document vault agencies use: seal for readers, open as a reader, grant a new reader."""

from __future__ import annotations

from typing import TYPE_CHECKING

from govchain.framework.docstore.crypto import (
    Envelope,
    check_public_key,
    commitment,
    new_salt,
    open_envelope,
    seal,
    unwrap_key,
    wrap_key,
)
from govchain.framework.docstore.errors import DocumentTampered, NotAReader
from govchain.framework.docstore.store import DocumentStore
from govchain.hashing import to_checksum_address

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount


class DocumentVault:
    """Encrypts into, and decrypts out of, a :class:`DocumentStore`."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    def seal(
        self,
        plaintext: bytes,
        readers: dict[str, bytes],
        media_type: str = "application/json",
        salt: bytes | None = None,
    ) -> Envelope:
        """Encrypt for ``readers`` ({address: 64-byte public key}) and store; returns the
        envelope (its ``content_hash``, the document's salted commitment, is what to anchor on
        chain). Pass the ``salt`` whose commitment was computed beforehand (:meth:`prepare`)."""
        envelope, _key = seal(plaintext, readers, media_type, salt)
        self.store.put(envelope)
        return envelope

    @staticmethod
    def prepare(plaintext: bytes) -> tuple[bytes, bytes]:
        """A fresh salt and the commitment it gives ``plaintext``: anchor the commitment once
        the chain would accept it, then :meth:`seal` with that salt."""
        salt = new_salt()
        return salt, commitment(plaintext, salt)

    def open(
        self, content_hash: bytes, reader: LocalAccount, expected_hash: bytes | None = None
    ) -> bytes:
        """Decrypt as ``reader``. The document must match its commitment ``content_hash`` —
        and, when given, ``expected_hash`` (the one anchored on chain); otherwise
        :class:`DocumentTampered` is raised and no bytes are returned."""
        if expected_hash is not None and expected_hash != content_hash:
            raise DocumentTampered(
                f"Document 0x{content_hash.hex()} is not the one anchored on chain "
                f"(0x{expected_hash.hex()})."
            )
        envelope = self.store.get(content_hash)
        return open_envelope(envelope, reader.address, bytes(reader.key))

    def grant(
        self, content_hash: bytes, granter: LocalAccount, reader: str, public_key: bytes
    ) -> None:
        """Wrap the document's key for one more reader; nothing else is re-encrypted."""
        envelope = self.store.get(content_hash)
        wrapped = envelope.keys.get(to_checksum_address(granter.address))
        if wrapped is None:
            raise NotAReader(
                f"{granter.address} cannot share document 0x{content_hash.hex()}: "
                "it is not a reader."
            )
        key = unwrap_key(wrapped, bytes(granter.key), content_hash)
        check_public_key(reader, public_key)
        self.store.add_reader(content_hash, reader, wrap_key(key, public_key, content_hash))
