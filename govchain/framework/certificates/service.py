"""Certificates for agencies: build, wrap, issue (one or a batch in one transaction), verify,
revoke, suspend, reinstate, and hide fields (selective disclosure)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from govchain.chain import labels
from govchain.chain.chain import Receipt
from govchain.chain.tx import Sender
from govchain.errors import InputError
from govchain.framework.certificates import openattestation as oa
from govchain.framework.certificates.documents import (
    Draft,
    IssuerInfo,
    build_data,
    check_fields,
    window_of,
)
from govchain.framework.certificates.registry import BatchRoot, CertificateStore, DocumentRef
from govchain.framework.certificates.types import CertificateType
from govchain.framework.certificates.verification import VerificationResult, verify_documents

DEFAULT_DOMAIN = "govchain.local"


@dataclass(frozen=True)
class Issuance:
    """Certificates issued in one transaction: the documents (in the drafts' order) and the
    transaction's receipt."""

    documents: list[dict[str, Any]]
    receipt: Receipt


class Certificates:
    """The certificate service of one network."""

    def __init__(
        self,
        store: CertificateStore,
        chain_id: int,
        secret: Callable[[], bytes],
        domain: str = DEFAULT_DOMAIN,
    ) -> None:
        self.store = store
        self.chain_id = chain_id
        self._secret = secret
        self.domain = domain

    def type(self, name_or_code: str | int) -> CertificateType:
        return self.store.type(name_or_code)

    def fields(self, type_name: str | int) -> tuple[str, ...]:
        """The fields a clerk must give for a certificate of this type."""
        info = self.type(type_name).info
        return info.fields if info else ()

    def draft(
        self,
        type_name: str | int,
        fields: dict[str, Any],
        *,
        holder: str | None = None,
        valid_from: datetime | None = None,
        valid_until: datetime | None = None,
    ) -> Draft:
        """A :class:`Draft` checked now against the type's fields (a missing or unknown field
        is named at once, with the fields the type takes), not when the batch is issued."""
        draft = Draft(dict(fields), holder, valid_from, valid_until)
        check_fields(self.type(type_name), draft)
        return draft

    def build(
        self,
        issuer: str,
        type_name: str | int,
        drafts: Sequence[Draft],
        now: datetime | None = None,
    ) -> tuple[CertificateType, list[dict[str, Any]]]:
        """The unwrapped data of each draft (checked before anything is signed)."""
        ctype = self.type(type_name)
        now = now or datetime.now(UTC)  # one moment for the whole batch
        info = IssuerInfo(
            issuer, labels.name_of(issuer) or issuer, ctype.store, self.chain_id, self.domain
        )
        secret = self._secret()
        datas = []
        for number, draft in enumerate(drafts, start=1):
            try:
                datas.append(build_data(ctype, draft, info, secret, now))
            except InputError as exc:
                if len(drafts) == 1:
                    raise
                raise InputError(f"Row {number}: {exc.message}") from None
        return ctype, datas

    def issue(self, issuer: Sender, type_name: str | int, draft: Draft) -> dict[str, Any]:
        """Build, wrap and issue one certificate; returns the wrapped document."""
        return self.publish(issuer, type_name, [draft]).documents[0]

    def issue_batch(
        self, issuer: Sender, type_name: str | int, drafts: Sequence[Draft]
    ) -> list[dict[str, Any]]:
        """Build and wrap the drafts and issue them in one transaction: one Merkle root per
        validity window (the chain records each root's window, so verifiers never depend on
        dates a holder could hide). Nothing is returned (so nothing can be handed out) unless
        the transaction succeeded. Documents come back in the drafts' order."""
        return self.publish(issuer, type_name, drafts).documents

    def publish(self, issuer: Sender, type_name: str | int, drafts: Sequence[Draft]) -> Issuance:
        """:meth:`issue_batch` with the transaction's receipt (hash, block, gas)."""
        if not drafts:
            raise InputError("There is nothing to issue.")
        ctype, datas = self.build(issuer.address, type_name, drafts)
        documents, batches = self.wrap(issuer.address, ctype, datas)
        receipt = self.store.issue_roots(issuer, batches, ctype)
        return Issuance(documents, receipt)

    def publish_many(
        self, issuer: Sender, batches: Sequence[tuple[str | int, Sequence[Draft]]]
    ) -> list[Issuance]:
        """Certificates of several types issued together: a Merkle root per type, the
        transactions sent as one batch (all checked before any is sent). In ``batches``' order."""
        built = []
        for type_name, drafts in batches:
            if not drafts:
                raise InputError("There is nothing to issue.")
            ctype, datas = self.build(issuer.address, type_name, drafts)
            documents, roots = self.wrap(issuer.address, ctype, datas)
            built.append((documents, self.store.issue_roots_tx(roots, ctype)))
        receipts = issuer.send_many([tx for _, tx in built]) if built else []
        return [Issuance(d, r) for (d, _), r in zip(built, receipts, strict=True)]

    def wrap(
        self, issuer: str, ctype: CertificateType, datas: Sequence[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], list[BatchRoot]]:
        """Wrap built data into one tree per validity window, each bound to ``issuer`` and
        ``ctype`` (its root pairs the tree with the binding leaf); the documents (in order) and
        the batches to issue."""
        binding = self.store.binding_leaf(ctype, issuer).hex()
        groups: dict[tuple[int, int], list[int]] = {}
        for index, data in enumerate(datas):
            groups.setdefault(window_of(data), []).append(index)
        documents: list[dict[str, Any] | None] = [None] * len(datas)
        batches: list[BatchRoot] = []
        for (first, last), indexes in groups.items():
            wrapped, tree_root = oa.wrap_batch([datas[i] for i in indexes], binding)
            for i, document in zip(indexes, wrapped, strict=True):
                documents[i] = document
            root = bytes.fromhex(oa.merkle_root(wrapped[0]))
            batches.append(BatchRoot(bytes.fromhex(tree_root), first, last, root))
        return [d for d in documents if d is not None], batches

    def verify(self, document: dict[str, Any], now: datetime | None = None) -> VerificationResult:
        return verify_documents(self.store, [document], now)[0]

    def verify_many(
        self, documents: Sequence[dict[str, Any]], now: datetime | None = None
    ) -> list[VerificationResult]:
        return verify_documents(self.store, documents, now)

    def revoke(
        self,
        revoker: Sender,
        document: dict[str, Any],
        reason: int | str,
        *,
        whole_batch: bool = False,
    ) -> Receipt:
        """Revoke this certificate (or, with ``whole_batch``, every certificate of its batch)."""
        return self.store.revoke(revoker, self._ref(document, whole_batch), reason)

    def suspend(
        self,
        revoker: Sender,
        document: dict[str, Any],
        reason: int | str,
        *,
        whole_batch: bool = False,
    ) -> Receipt:
        return self.store.suspend(revoker, self._ref(document, whole_batch), reason)

    def reinstate(
        self, revoker: Sender, document: dict[str, Any], *, whole_batch: bool = False
    ) -> Receipt:
        return self.store.reinstate(revoker, self._ref(document, whole_batch))

    @staticmethod
    def hide(document: dict[str, Any], paths: Sequence[str]) -> dict[str, Any]:
        """Selective disclosure: a copy without ``paths``; it still verifies."""
        return oa.obfuscate(document, list(paths))

    @staticmethod
    def _ref(document: dict[str, Any], whole_batch: bool) -> DocumentRef:
        ref = DocumentRef.of(document)
        return ref.whole_batch if whole_batch else ref
