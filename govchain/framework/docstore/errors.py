"""Document-store errors, each one sentence a clerk understands."""

from __future__ import annotations

from govchain.errors import GovChainError, InputError


class DocumentNotFound(GovChainError):
    """No document with that content hash is in the store."""


class DocumentExists(GovChainError):
    """A document with that content hash is already stored (it is never overwritten)."""


class DocumentTampered(GovChainError):
    """The stored bytes no longer match the hash they are filed (and anchored on chain) under."""


class NotAReader(GovChainError):
    """The account has no key to this document."""


class InvalidPublicKey(InputError):
    """A public key is malformed or does not belong to the address it is given for."""
