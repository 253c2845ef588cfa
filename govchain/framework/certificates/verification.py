"""Verifying a certificate: each check reported on its own, as OpenAttestation verifiers do.

Checks, in order: ``integrity`` (the data matches its target hash and the proof leads to the root),
``issued`` (the root is on chain, as a batch the issuer built), ``store`` (the document names the
document store of the type the chain recorded), ``not revoked`` and ``not suspended`` (neither the
batch nor this certificate), ``validity dates`` (the window the chain recorded for the batch) and
``issuer`` (who issued it; the type and issuer the document shows match the chain's).

Nothing the holder can hide decides a verdict: type, issuer and validity come from the chain, and
whatever the document shows of them must agree with it. The OpenAttestation reference verifier,
asking the type's document store, reaches the same verdict. Certificates issued before their
issuer was suspended or lost its issuer role stay valid: the store checked the role at issuance;
revoking them is the revoker's decision. One document is one request (the store's
``verification`` view); many go out in two batch requests, once per distinct batch root.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from govchain.chain import labels
from govchain.errors import GovChainError
from govchain.framework.certificates import openattestation as oa
from govchain.framework.certificates.documents import day_range, window_of
from govchain.framework.certificates.registry import (
    CertificateStore,
    DocumentRef,
    Issuance,
    issuance_of,
)
from govchain.framework.certificates.types import (
    CertificateType,
    RevocationReason,
    SuspensionReason,
)

MARKS_PER_CALL = 2000
#: Up to this many distinct certificates, one request of ``verification`` views; beyond, the
#: batched reads (``marksOf`` covers 2,000 certificates a call) ask the node for less.
ONE_VIEW_UP_TO = 64
CHECKS = (
    "integrity",
    "issued",
    "store",
    "not revoked",
    "not suspended",
    "validity dates",
    "issuer",
)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class VerificationResult:
    checks: tuple[Check, ...]

    @property
    def valid(self) -> bool:
        return all(c.ok for c in self.checks)

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    def as_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks],
        }


def verify_documents(
    store: CertificateStore, documents: Sequence[dict[str, Any]], now: datetime | None = None
) -> list[VerificationResult]:
    """Verify many documents; one result per document, in order."""
    moment = now or datetime.now(UTC)
    refs: list[DocumentRef | None] = []
    for doc in documents:
        try:
            refs.append(DocumentRef.of(doc))
        except GovChainError:
            refs.append(None)
    chain = _ChainView.load(store, [r for r in refs if r is not None])
    return [
        _verify_one(store, doc, ref, chain, moment)
        for doc, ref in zip(documents, refs, strict=True)
    ]


@dataclass
class _ChainView:
    """Everything verification needs from the chain, fetched in batch requests."""

    issuance: dict[bytes, Issuance]
    status: dict[tuple[bytes, bytes], dict[str, Any]]
    active: dict[str, bool]

    @classmethod
    def load(cls, store: CertificateStore, refs: Sequence[DocumentRef]) -> _ChainView:
        keys = sorted({(r.root, r.target) for r in refs})
        if len(keys) <= ONE_VIEW_UP_TO:
            found = cls._one_view(store, keys)
            if found is not None:
                return found
        return cls._by_parts(store, refs)

    @classmethod
    def _one_view(
        cls, store: CertificateStore, keys: Sequence[tuple[bytes, bytes]]
    ) -> _ChainView | None:
        """One request: the store's ``verification(root, target)`` for each certificate. None
        when the deployed store predates that view (then the reads go by parts)."""
        views = store.contract.call_many([("verification", key) for key in keys])
        if any(isinstance(v, BaseException) for v in views):
            return None
        view = cls({}, {}, {})
        for (root, target), v in zip(keys, views, strict=True):
            if not int(v["issuer"], 16):
                continue
            view.issuance[root] = issuance_of(v)
            view.active[v["issuer"]] = v["issuerActive"] is True
            marked = v["certificateRevokeReason"] or v["certificateSuspendReason"]
            if target != root and marked:
                view.status[(root, target)] = {
                    "revokeReason": v["certificateRevokeReason"],
                    "suspendReason": v["certificateSuspendReason"],
                    "by": v["certificateBy"],
                    "blockNumber": v["certificateBlock"],
                }
        return view

    @classmethod
    def _by_parts(cls, store: CertificateStore, refs: Sequence[DocumentRef]) -> _ChainView:
        """Many documents: two requests whatever their number, marks 2,000 to a call."""
        roots = sorted({r.root for r in refs})
        pairs = sorted({(r.root, r.target) for r in refs if r.target != r.root})
        chunks = [pairs[i : i + MARKS_PER_CALL] for i in range(0, len(pairs), MARKS_PER_CALL)]
        # Two round trips whatever the number of documents: what each root is and which
        # certificates carry a mark, together; then the marks' details and the issuers' standing.
        first = store.contract.call_many(
            [("issuance", (root,)) for root in roots]
            + [("marksOf", ([p[0] for p in c], [p[1] for p in c])) for c in chunks]
        )
        issued, marks = first[: len(roots)], first[len(roots) :]
        for part in marks:
            if isinstance(part, BaseException):
                raise part
        issuance = {
            root: issuance_of(raw)
            for root, raw in zip(roots, issued, strict=True)
            if isinstance(raw, dict) and int(raw["issuer"], 16)
        }
        flagged = [p for p, m in zip(pairs, (m for part in marks for m in part), strict=True) if m]
        issuers = sorted({i.issuer for i in issuance.values()})
        second = store.contract.call_many(
            [("certificateStatus", p) for p in flagged] + [("isActive", (a,)) for a in issuers]
        )
        statuses, active = second[: len(flagged)], second[len(flagged) :]
        return cls(
            issuance,
            dict(zip(flagged, statuses, strict=True)),
            {a: x is True for a, x in zip(issuers, active, strict=True)},
        )


def _verify_one(
    store: CertificateStore,
    doc: dict[str, Any],
    ref: DocumentRef | None,
    chain: _ChainView,
    now: datetime,
) -> VerificationResult:
    checks: list[Check] = []
    try:
        intact = ref is not None and oa.verify_integrity(doc)
        data = oa.get_data(doc) if ref is not None else {}
    except GovChainError as exc:
        intact, data = False, {}
        checks.append(Check("integrity", False, exc.message))
    if not checks:
        checks.append(
            Check(
                "integrity",
                intact,
                "the data matches its signature"
                if intact
                else "the document was altered after issuance",
            )
        )
    record = chain.issuance.get(ref.root) if ref and ref.target != ref.root else None
    ctype = _type(store, record)
    checks.append(
        Check(
            "issued",
            record is not None,
            f"as {ctype.label if ctype else record.code} in block {record.block_number}"
            if record
            else "never issued on this chain",
        )
    )
    checks.append(_store(store, data, ctype))
    root_marks = [(True, _root_mark(record))] if record else []
    leaf = chain.status.get((ref.root, ref.target)) if ref else None
    marks = root_marks + ([(False, leaf)] if leaf else [])
    revoked = [(r, m) for r, m in marks if m["revokeReason"]]
    suspended = [(r, m) for r, m in marks if m["suspendReason"]]
    why_revoked = _why(revoked, "revokeReason", RevocationReason, "revoked")
    why_suspended = _why(suspended, "suspendReason", SuspensionReason, "suspended")
    checks.append(Check("not revoked", not revoked, why_revoked))
    checks.append(Check("not suspended", not suspended, why_suspended))
    checks.append(_dates(data, record, now))
    checks.append(_issuer(data, record, ctype, chain))
    return VerificationResult(tuple(checks))


def _type(store: CertificateStore, record: Issuance | None) -> CertificateType | None:
    if record is None:
        return None
    try:
        return store.type(record.code)
    except GovChainError:
        return None


def _root_mark(record: Issuance) -> dict[str, Any]:
    return {"revokeReason": record.revoke_reason, "suspendReason": record.suspend_reason}


def _store(store: CertificateStore, data: dict[str, Any], ctype: CertificateType | None) -> Check:
    issuers = data.get("issuers")
    entries = issuers if isinstance(issuers, list) else []
    found = [i.get("documentStore") for i in entries if isinstance(i, dict)]
    named = [s for s in found if isinstance(s, str) and s]
    if not named or len(named) != len(entries):
        return Check("store", False, "the document hides or lacks its document store")
    if ctype is None:
        return Check("store", False, f"names {', '.join(named)}, where nothing was issued")
    wrong = [s for s in named if s.lower() != ctype.store.lower()]
    if wrong:
        return Check(
            "store",
            False,
            f"names {', '.join(wrong)}, not the {ctype.label} store {ctype.store}",
        )
    return Check("store", True, f"the {ctype.label} store {ctype.store}")


def _why(marks: list[tuple[bool, dict[str, Any]]], key: str, enum: Any, verb: str) -> str:
    """Why a check failed. A root's record keeps the reason (who acted is in the event log); a
    certificate inside a batch also records who acted and when."""
    if not marks:
        return f"not {verb}"
    is_root, mark = marks[0]
    reason = enum(mark[key]).name.lower() if mark[key] in enum._value2member_map_ else mark[key]
    if is_root:
        return f"{verb} ({reason}) with its whole batch"
    return f"{verb} ({reason}) by {labels.describe(mark['by'])} in block {mark['blockNumber']}"


def _dates(data: dict[str, Any], record: Issuance | None, now: datetime) -> Check:
    """The window the chain recorded decides; dates the document shows must match it."""
    if record is None:
        return Check("validity dates", False, "no validity on record")
    try:
        shown = window_of(data)
    except GovChainError as exc:
        return Check("validity dates", False, exc.message)
    on_chain = (record.first_day, record.last_day)
    for name, seen, kept in zip(("validFrom", "validUntil"), shown, on_chain, strict=True):
        if name in data and seen != kept:
            return Check(
                "validity dates", False, f"the document's {name} differs from its issuance"
            )
    start, end = day_range(*on_chain)
    if start and now < start:
        return Check("validity dates", False, f"not valid before {start:%Y-%m-%d}")
    if end and now > end:
        return Check("validity dates", False, f"expired on {end:%Y-%m-%d}")
    return Check("validity dates", True, f"valid until {end:%Y-%m-%d}" if end else "no expiry")


def _issuer(
    data: dict[str, Any],
    record: Issuance | None,
    ctype: CertificateType | None,
    chain: _ChainView,
) -> Check:
    if record is None:
        return Check("issuer", False, "no issuer on record")
    if ctype is None:
        return Check("issuer", False, f"type code {record.code} is not defined")
    claimed = data.get("certificateType")
    if claimed is not None and claimed != ctype.label:
        return Check(
            "issuer", False, f"the document claims {claimed} but was issued as {ctype.label}"
        )
    shown = data.get("issuer")
    named = shown.get("address") if isinstance(shown, dict) else None
    # Several participants may hold a type's issuer role and share its store (as in
    # OpenAttestation, where the store is the identity); the one on record is reported.
    also = (
        f"; the document names {named}"
        if isinstance(named, str) and named.lower() != record.issuer.lower()
        else ""
    )
    who = labels.describe(record.issuer)
    standing = (
        ""
        if chain.active.get(record.issuer)
        else " (since suspended; certificates issued before stay valid)"
    )
    return Check(
        "issuer",
        True,
        f"issued by {who}, holder of {ctype.issuer_role} at issuance{standing}{also}",
    )
