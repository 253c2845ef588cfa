"""Envelope encryption for off-chain documents.

Each document gets a fresh 256-bit content key and a fresh 32-byte salt. What the chain anchors is
the document's commitment, ``keccak256("govchain-doc-v2" || salt || plaintext)``: without the
salt, which only readers learn (it is encrypted with the document), nobody can test guesses of a
short document against the chain. The salted document is encrypted with AES-256-GCM, the
commitment bound in as associated data, so a ciphertext cannot be passed off under another one.
The content key is wrapped for each authorised reader with ECIES over secp256k1, the curve of
the reader's Ethereum account: an ephemeral key pair, ECDH with the reader's public key,
HKDF-SHA256, AES-256-GCM. Only holders of a reader's private key can unwrap; the store never
sees a plaintext or a content key.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from coincurve import PrivateKey, PublicKey
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from govchain.framework.docstore.errors import DocumentTampered, InvalidPublicKey, NotAReader
from govchain.hashing import keccak, to_checksum_address

WRAP_INFO = b"govchain-docstore-v1 key wrap"
COMMIT_DOMAIN = b"govchain-doc-v2"
SALT_BYTES = 32


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def commitment(data: bytes, salt: bytes) -> bytes:
    """The salted commitment of a document: what the chain anchors."""
    if len(salt) != SALT_BYTES:
        raise ValueError("A document salt has 32 bytes.")
    return keccak(COMMIT_DOMAIN + salt + data)


def public_key_of(private_key: bytes) -> bytes:
    """The 64-byte uncompressed public key (no 0x04 prefix) of a private key."""
    return PrivateKey(private_key).public_key.format(compressed=False)[1:]


def address_of(public_key: bytes) -> str:
    """The Ethereum address of a 64-byte public key."""
    if len(public_key) != 64:
        raise InvalidPublicKey("A public key must be 64 bytes (uncompressed, without 0x04).")
    return to_checksum_address(keccak(public_key)[12:])


def check_public_key(address: str, public_key: bytes) -> bytes:
    """``public_key`` if it is a valid curve point belonging to ``address``."""
    if address_of(public_key) != to_checksum_address(address):
        raise InvalidPublicKey(f"That public key does not belong to {address}.")
    try:
        PublicKey(b"\x04" + public_key)
    except ValueError:
        raise InvalidPublicKey(f"The public key given for {address} is not on the curve.") from None
    return public_key


@dataclass(frozen=True)
class WrappedKey:
    """A content key encrypted to one reader."""

    ephemeral: bytes  # 33-byte compressed ephemeral public key
    nonce: bytes
    ciphertext: bytes

    def to_json(self) -> dict[str, str]:
        return {
            "ephemeral": _b64(self.ephemeral),
            "nonce": _b64(self.nonce),
            "ciphertext": _b64(self.ciphertext),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> WrappedKey:
        return cls(_unb64(raw["ephemeral"]), _unb64(raw["nonce"]), _unb64(raw["ciphertext"]))


@dataclass(frozen=True)
class Envelope:
    """An encrypted document: ciphertext plus one wrapped key per reader (by address)."""

    content_hash: bytes
    nonce: bytes
    ciphertext: bytes
    media_type: str = "application/octet-stream"
    keys: dict[str, WrappedKey] = field(default_factory=dict)
    created: str = ""

    @property
    def hash_hex(self) -> str:
        return "0x" + self.content_hash.hex()


def seal(
    plaintext: bytes, readers: dict[str, bytes], media_type: str, salt: bytes | None = None
) -> tuple[Envelope, bytes]:
    """Encrypt ``plaintext`` (with ``salt``, fresh if not given) for ``readers`` ({address:
    public key}); returns the envelope and the content key (for the caller to forget, or to wrap
    for later readers)."""
    salt = salt if salt is not None else new_salt()
    digest = commitment(plaintext, salt)
    key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(12)
    ciphertext = AESGCM(key).encrypt(nonce, salt + plaintext, digest)
    keys: dict[str, WrappedKey] = {
        str(to_checksum_address(a)): wrap_key(key, check_public_key(a, p), digest)
        for a, p in readers.items()
    }
    created = datetime.now(UTC).isoformat(timespec="seconds")
    return Envelope(digest, nonce, ciphertext, media_type, keys, created), key


def wrap_key(key: bytes, public_key: bytes, digest: bytes) -> WrappedKey:
    """ECIES: encrypt the content key to a reader's secp256k1 public key."""
    ephemeral = PrivateKey()
    shared = ephemeral.ecdh(b"\x04" + public_key)
    eph_pub = ephemeral.public_key.format(compressed=True)
    wrapping = _kdf(shared, eph_pub)
    nonce = os.urandom(12)
    return WrappedKey(eph_pub, nonce, AESGCM(wrapping).encrypt(nonce, key, digest))


def unwrap_key(wrapped: WrappedKey, private_key: bytes, digest: bytes) -> bytes:
    shared = PrivateKey(private_key).ecdh(wrapped.ephemeral)
    try:
        return AESGCM(_kdf(shared, wrapped.ephemeral)).decrypt(
            wrapped.nonce, wrapped.ciphertext, digest
        )
    except InvalidTag:
        raise NotAReader("This key cannot open the document (wrong reader key).") from None


def open_envelope(envelope: Envelope, address: str, private_key: bytes) -> bytes:
    """Decrypt as reader ``address``; the document must match the envelope's commitment."""
    wrapped = envelope.keys.get(to_checksum_address(address))
    if wrapped is None:
        raise NotAReader(
            f"{to_checksum_address(address)} is not a reader of document {envelope.hash_hex}."
        )
    key = unwrap_key(wrapped, private_key, envelope.content_hash)
    try:
        salted = AESGCM(key).decrypt(envelope.nonce, envelope.ciphertext, envelope.content_hash)
    except InvalidTag:
        raise DocumentTampered(
            f"Document {envelope.hash_hex} was altered in the store: it does not decrypt."
        ) from None
    salt, plaintext = salted[:SALT_BYTES], salted[SALT_BYTES:]
    if len(salt) != SALT_BYTES or commitment(plaintext, salt) != envelope.content_hash:
        raise DocumentTampered(f"Document {envelope.hash_hex} does not match its commitment.")
    return plaintext


def _kdf(shared: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=WRAP_INFO).derive(shared)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)
