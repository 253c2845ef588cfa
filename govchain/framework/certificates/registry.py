"""The certificate store on chain (part of GovChainCore): types, issuance, revocation, status."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from govchain.chain import labels
from govchain.chain.chain import Receipt
from govchain.chain.contracts import Contract
from govchain.chain.tx import Sender, TxRequest
from govchain.errors import ContractRevert, InputError, revert_error
from govchain.framework.certificates import openattestation as oa
from govchain.framework.certificates.types import (
    BY_NAME,
    CATALOGUE,
    CertificateType,
    RevocationReason,
    SuspensionReason,
    binding_leaf,
    normalise_name,
    register_role_names,
    type_id,
)
from govchain.framework.merkle import proof_path


@dataclass(frozen=True)
class Issuance:
    """What the chain records about a batch root."""

    issuer: str
    code: int
    block_number: int
    first_day: int  # days since 1970-01-01 UTC
    last_day: int  # 0 = no expiry
    revoke_reason: int
    suspend_reason: int


@dataclass(frozen=True)
class BatchRoot:
    """One batch to issue: the documents' tree root, the validity window every document under
    it states (first and last day), and the root the chain will record for it (the pair hash of
    the batch and the issuer's binding leaf)."""

    batch: bytes
    first_day: int
    last_day: int
    root: bytes


@dataclass(frozen=True)
class HashStatus:
    revoke_reason: int
    suspend_reason: int
    by: str
    block_number: int

    @property
    def revoked(self) -> bool:
        return self.revoke_reason != 0

    @property
    def suspended(self) -> bool:
        return self.suspend_reason != 0


@dataclass(frozen=True)
class DocumentRef:
    """Where a wrapped document sits on chain: its batch root, target hash and proof, and the
    leaf (the preimage of its target hash) that revoking it alone takes."""

    root: bytes
    target: bytes
    proof: tuple[bytes, ...]
    leaf: bytes = b""

    @classmethod
    def of(cls, document: dict[str, Any]) -> DocumentRef:
        sig = oa.read_signature(document)
        return cls(
            _b(sig.merkle_root),
            _b(sig.target_hash),
            tuple(_b(p) for p in sig.proof),
            oa.leaf_preimage(document),
        )

    @property
    def whole_batch(self) -> DocumentRef:
        return DocumentRef(self.root, self.root, ())

    @property
    def is_whole_batch(self) -> bool:
        return self.target == self.root


class CertificateStore:
    """SDK for the on-chain certificate store. ``names`` are extra type names known off chain
    (types defined with :meth:`define_type` that are not in the catalogue)."""

    def __init__(self, contract: Contract, names: Sequence[str] = ()) -> None:
        self.contract = contract
        self.extra_names = {normalise_name(n) for n in names}
        self._types: list[CertificateType] | None = None

    @property
    def address(self) -> str:
        return self.contract.address

    # -- types -------------------------------------------------------------------------------
    def types(self, *, refresh: bool = False) -> list[CertificateType]:
        """Every type defined on chain (and registers their role names)."""
        if self._types is None or refresh:
            count = int(self.contract.call("typeCount"))
            codes = range(1, count + 1)
            ids = self.contract.call_many([("typeIdOf", (c,)) for c in codes])
            stores = self.contract.call_many([("typeStore", (c,)) for c in codes])
            by_id = {type_id(name): name for name in (*BY_NAME, *self.extra_names)}
            self._types = []
            for code, tid, store in zip(codes, ids, stores, strict=True):
                name = by_id.get(bytes(tid))
                ctype = CertificateType(
                    code, bytes(tid), name, BY_NAME.get(name or ""), store=str(store)
                )
                register_role_names(ctype)
                self._types.append(ctype)
        return self._types

    def type(self, name_or_code: str | int) -> CertificateType:
        """A defined type by name (``business_licence``) or code; a clear error otherwise."""
        known = self.types()
        if isinstance(name_or_code, int) or str(name_or_code).isdigit():
            code = int(name_or_code)
            if 1 <= code <= len(known):
                return known[code - 1]
        else:
            name = normalise_name(str(name_or_code))
            for ctype in known:
                if ctype.name == name:
                    return ctype
        names = ", ".join(t.label.lower() for t in known)
        raise UnknownCertificateType(
            f"'{name_or_code}' is not a certificate type on this chain (known: {names})."
        )

    def define_type(self, admin: Sender, name: str) -> CertificateType:
        """Define a new type (directory administrator)."""
        canonical = normalise_name(name)
        self.contract.transact(admin, "defineType", type_id(canonical))
        self.extra_names.add(canonical)
        self.types(refresh=True)
        return self.type(canonical)

    def setup_catalogue(
        self,
        admin: Sender,
        *,
        holders: Callable[[str], str] | None = None,
        only: Collection[str] | None = None,
    ) -> list[str]:
        """Define the catalogue's types that are missing (``only`` these, when given) and,
        given ``holders`` (the address of each catalogue issuer's key, e.g. the demo cast's),
        grant their issuer and revoker roles. Idempotent; returns what it did."""
        done: list[str] = []
        defined = {t.name for t in self.types()}
        if only is not None:
            only = {normalise_name(n) for n in only}
        wanted_types = [i for i in CATALOGUE if only is None or i.name in only]
        missing = [info for info in wanted_types if info.name not in defined]
        admin.send_many([self.contract.tx("defineType", type_id(i.name)) for i in missing])
        done += [f"defined {i.name}" for i in missing]
        if holders is None:
            self.types(refresh=True)
            return done
        wanted: list[tuple[str, str]] = []
        for ctype in self.types(refresh=True):
            if ctype.info is None or (only is not None and ctype.name not in only):
                continue
            wanted += [(holders(k), ctype.issuer_role) for k in ctype.info.issuers]
            wanted += [(holders(k), ctype.revoker_role) for k in ctype.info.revokers]
        held = self.contract.call_many([("hasRole", (self._role(r), a)) for a, r in wanted])
        grants = [(a, r) for (a, r), h in zip(wanted, held, strict=True) if h is not True]
        admin.send_many([self.contract.tx("grantRole", self._role(r), a) for a, r in grants])
        done += [f"granted {r} to {labels.describe(a)}" for a, r in grants]
        return done

    # -- issuance ----------------------------------------------------------------------------
    def binding_leaf(self, ctype: CertificateType, issuer: str) -> bytes:
        """The leaf binding a batch to ``issuer`` and ``ctype`` (``bindingLeaf`` on chain)."""
        return binding_leaf(self.contract.chain.chain_id, self.address, ctype.code, issuer)

    def issue_root_tx(self, batch: BatchRoot, ctype: CertificateType) -> TxRequest:
        return self.contract.tx(
            "issueCertificate", batch.batch, ctype.code, batch.first_day, batch.last_day
        )

    def issue_root(self, issuer: Sender, batch: BatchRoot, ctype: CertificateType) -> Receipt:
        """Issue one Merkle root (a batch of documents of one validity window) of ``ctype``."""
        return issuer.send(self.issue_root_tx(batch, ctype))

    def issue_roots(
        self, issuer: Sender, batches: Sequence[BatchRoot], ctype: CertificateType
    ) -> Receipt:
        """Issue many roots of ``ctype`` in one transaction."""
        return issuer.send(self.issue_roots_tx(batches, ctype))

    def issue_roots_tx(self, batches: Sequence[BatchRoot], ctype: CertificateType) -> TxRequest:
        """One transaction issuing ``batches`` (one ``issueCertificate`` when there is one)."""
        if len(batches) == 1:
            return self.issue_root_tx(batches[0], ctype)
        return self.contract.tx(
            "bulkIssueCertificates",
            [b.batch for b in batches],
            ctype.code,
            [b.first_day for b in batches],
            [b.last_day for b in batches],
        )

    # -- revocation and suspension -----------------------------------------------------------
    def revoke(self, revoker: Sender, ref: DocumentRef, reason: int | str) -> Receipt:
        code = _reason(RevocationReason, reason)
        if ref.is_whole_batch:
            return self.contract.transact(revoker, "revokeBatch", ref.root, code)
        return self.contract.transact(
            revoker, "revokeCertificate", ref.root, ref.leaf, list(ref.proof), code
        )

    def suspend(self, revoker: Sender, ref: DocumentRef, reason: int | str) -> Receipt:
        code = _reason(SuspensionReason, reason)
        if ref.is_whole_batch:
            return self.contract.transact(revoker, "suspendBatch", ref.root, code)
        return self.contract.transact(
            revoker, "suspendCertificate", ref.root, ref.leaf, list(ref.proof), code
        )

    def reinstate(self, revoker: Sender, ref: DocumentRef) -> Receipt:
        if ref.is_whole_batch:
            return self.contract.transact(revoker, "reinstateBatch", ref.root)
        return self.contract.transact(
            revoker, "reinstateCertificate", ref.root, ref.leaf, list(ref.proof)
        )

    # -- reads -------------------------------------------------------------------------------
    def issuance(self, root: bytes) -> Issuance | None:
        got = self.contract.call("issuance", root)
        return None if int(got["issuer"], 16) == 0 else issuance_of(got)

    def type_store(self, ctype: CertificateType) -> Contract:
        """The type's document store, as OpenAttestation verifiers ask it."""
        return Contract(self.contract.chain, "CertificateTypeStore", ctype.store)

    def in_force(self, ctype: CertificateType, ref: DocumentRef) -> bool:
        """What the type's document store tells an OpenAttestation verifier: the root issued as
        this type, and no hash on the certificate's path (target, interior nodes, root) out of
        force."""
        store = self.type_store(ctype)
        path = proof_path(ref.target, ref.proof)
        answers = store.call_many([("isIssued", (ref.root,)), *(("isRevoked", (h,)) for h in path)])
        return answers[0] is True and not any(answers[1:]) and path[-1] == ref.root

    def certificate_status(self, root: bytes, target: bytes) -> HashStatus:
        """The status of one certificate inside a batch (its own marks, not the batch's)."""
        return _status(self.contract.call("certificateStatus", root, target))

    def _role(self, name: str) -> bytes:
        from govchain.chain.roles import role_id

        return role_id(name)


def _reason(enum: type[RevocationReason] | type[SuspensionReason], value: int | str) -> int:
    from govchain.framework.certificates.types import parse_reason

    return parse_reason(enum, value)


def issuance_of(raw: dict[str, Any]) -> Issuance:
    return Issuance(
        raw["issuer"],
        int(raw["code"]),
        int(raw["blockNumber"]),
        int(raw["firstDay"]),
        int(raw["lastDay"]),
        int(raw["revokeReason"]),
        int(raw["suspendReason"]),
    )


def _status(raw: dict[str, Any]) -> HashStatus:
    return HashStatus(
        int(raw["revokeReason"]), int(raw["suspendReason"]), raw["by"], int(raw["blockNumber"])
    )


def _b(hex_hash: str) -> bytes:
    return bytes.fromhex(hex_hash.removeprefix("0x"))


class UnknownCertificateType(InputError):
    """The type is not defined on this chain."""


# -- the certificate store's errors, as a clerk reads them -------------------------------------
@revert_error("CertificateTypeExists", "That certificate type is already defined ({typeId}).")
class CertificateTypeExists(ContractRevert):
    pass


@revert_error("InvalidCertificateType", "A certificate type needs a non-zero id.")
class InvalidCertificateType(ContractRevert):
    pass


@revert_error("AlreadyIssued", "This certificate (root {root}) was already issued.")
class AlreadyIssued(ContractRevert):
    pass


@revert_error("NotIssued", "This certificate was never issued on this chain (root {root}).")
class NotIssued(ContractRevert):
    pass


@revert_error(
    "AlreadyRevoked", "This certificate is already revoked ({hash}); revocation is final."
)
class AlreadyRevoked(ContractRevert):
    pass


@revert_error("AlreadySuspended", "This certificate is already suspended ({hash}).")
class AlreadySuspended(ContractRevert):
    pass


@revert_error("NotSuspended", "This certificate is not suspended, so it cannot be reinstated.")
class NotSuspended(ContractRevert):
    pass


@revert_error(
    "NotInBatch",
    "The certificate {targetHash} does not belong to batch {root} (its proof does not match).",
)
class NotInBatch(ContractRevert):
    pass


@revert_error(
    "InvalidValidity",
    "The validity window ends (day {lastDay}) before it starts (day {firstDay}).",
)
class InvalidValidity(ContractRevert):
    pass


@revert_error(
    "NotACertificate",
    "{hash} is an interior node of a batch's Merkle tree, not a certificate: revoke the batch, "
    "or one certificate by its document.",
)
class NotACertificate(ContractRevert):
    pass


@revert_error(
    "UseCertificateStore",
    "A type's document store only answers verifiers: issue, revoke and grant roles through the "
    "certificate store at {store}.",
)
class UseCertificateStore(ContractRevert):
    pass


@revert_error("ReasonRequired", "Give a reason code for revoking or suspending.")
class ReasonRequired(ContractRevert):
    pass


# The certificate store's own EmptyBatch (case contracts' MerkleAnchors have another one).
@revert_error(
    "EmptyBatch",
    "The batch of certificates is empty (or its lists differ in length).",
    contract="CertificateStore",
)
@revert_error(
    "EmptyBatch",
    "The batch of certificates is empty (or its lists differ in length).",
    contract="GovChainCore",
)
class EmptyBatch(ContractRevert):
    pass
