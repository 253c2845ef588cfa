"""Data exchange: encrypted delivery through the document store, logged and acknowledged on chain.

The provider encrypts what it delivers to the requester's registered public key (and its own),
stores it off chain, and logs the keccak256 of exactly those bytes under the grant; the receiver
decrypts, checks the bytes against the logged hash, and acknowledges with the same hash. Nothing
personal goes on chain: the chain sees hashes, ids and short codes only.
"""

from __future__ import annotations

from dataclasses import dataclass

from govchain.chain.tx import Sender
from govchain.errors import GovChainError
from govchain.framework.directory import Directory, parse_address
from govchain.framework.docstore import DocumentVault
from govchain.framework.sharing.client import DataSharingClient


class GrantRefused(GovChainError):
    """The grant does not allow this now (not approved, no consent, expired, revoked)."""


class NoEncryptionKey(GovChainError):
    """The participant has not registered a public key to encrypt documents to."""


@dataclass(frozen=True)
class Delivered:
    request_id: int
    delivery_id: int
    content_hash: bytes


class DataExchange:
    """Deliver and fetch data under grants."""

    def __init__(self, client: DataSharingClient, directory: Directory, vault: DocumentVault):
        self.client = client
        self.directory = directory
        self.vault = vault

    def public_key(self, account: str) -> bytes:
        """The registered 64-byte public key of a participant."""
        key = bytes(self.directory.contract.call("encryptionKey", parse_address(account)))
        if not key:
            raise NoEncryptionKey(
                f"{account} has not registered an encryption key: it runs "
                "`govchain participant register-key --from <itself>` once."
            )
        return key

    def deliver(
        self, provider: Sender, request_id: int, data: bytes, media_type: str = "application/json"
    ) -> Delivered:
        """Encrypt ``data`` for the requester, store it, and log its hash on chain."""
        self._require_live(request_id, "deliver")
        request = self.client.get(request_id)
        readers = {
            request.requester: self.public_key(request.requester),
            provider.address: self.public_key(provider.address),
        }
        digest = self.vault.seal(data, readers, media_type).content_hash
        delivery_id = self.client.deliver(provider, request_id, digest)
        return Delivered(request_id, delivery_id, digest)

    def share_document(self, provider: Sender, request_id: int, content_hash: bytes) -> Delivered:
        """Deliver a document already sealed in the store (a KYC dossier anchored by its
        commitment): its key is wrapped for the requester — nothing re-encrypted — and the
        delivery is logged with that same commitment, so the audit shows exactly which anchored
        document was delivered. Refused when the grant is not live."""
        self._require_live(request_id, "deliver")
        requester = self.client.get(request_id).requester
        if not self.vault.store.has(content_hash):
            raise GovChainError(f"Document 0x{content_hash.hex()} is not in the document store.")
        self.vault.grant(content_hash, provider.account, requester, self.public_key(requester))
        delivery_id = self.client.deliver(provider, request_id, content_hash)
        return Delivered(request_id, delivery_id, content_hash)

    def fetch(
        self, receiver: Sender, request_id: int, delivery_id: int, *, acknowledge: bool = True
    ) -> bytes:
        """Decrypt a delivery as its receiver, check it against the logged hash, acknowledge.
        Refused when the grant is no longer live; a document whose bytes do not match the
        logged hash raises :class:`DocumentTampered` and is never returned."""
        self._require_live(request_id, "fetch")
        logged = bytes(self.client.delivery(request_id, delivery_id)["contentHash"])
        data = self.vault.open(logged, receiver.account, expected_hash=logged)
        if acknowledge and not self.client.delivery(request_id, delivery_id)["acknowledgedAt"]:
            self.client.acknowledge(receiver, request_id, delivery_id, logged)
        return data

    def _require_live(self, request_id: int, verb: str) -> None:
        why = self.client.not_live_reason(request_id)
        if why is not None:
            raise GrantRefused(f"Cannot {verb} under request #{request_id}: {why}.")
