"""Verifying a certificate: each check reported on its own, as OpenAttestation verifiers do.

Checks, in order: ``integrity`` (the data matches its target hash and the proof leads to the root),
``store`` (it names this chain's certificate store), ``issued`` (the root is on chain), ``not
revoked`` and ``not suspended`` (neither the batch root nor this certificate), ``validity dates``,
and ``issuer role`` (the participant who issued the root still holds the type's issuer role, is
active, and the type on chain is the one the document claims). Chain reads for many documents go
out in a few batch requests, once per distinct batch root.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from govchain.chain import labels
from govchain.errors import GovChainError
from govchain.framework.certificates import openattestation as oa
from govchain.framework.certificates.documents import validity
from govchain.framework.certificates.registry import CertificateStore, DocumentRef
from govchain.framework.certificates.types import RevocationReason, SuspensionReason, issuer_role_id

MARKS_PER_CALL = 2000
CHECKS = (
    "integrity",
    "store",
    "issued",
    "not revoked",
    "not suspended",
    "validity dates",
    "issuer role",
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

    issuance: dict[bytes, Any]
    status: dict[bytes, Any]
    role_ok: dict[tuple[str, int], bool]

    @classmethod
    def load(cls, store: CertificateStore, refs: Sequence[DocumentRef]) -> _ChainView:
        roots = sorted({r.root for r in refs})
        hashes = sorted({h for r in refs for h in (r.root, r.target)})
        issued = store.contract.call_many([("issuance", (root,)) for root in roots])
        marks = store.contract.call_many(
            [
                ("marksOf", (hashes[i : i + MARKS_PER_CALL],))
                for i in range(0, len(hashes), MARKS_PER_CALL)
            ]
        )
        flagged = [h for h, m in zip(hashes, (m for part in marks for m in part), strict=True) if m]
        statuses = store.contract.call_many([("statusOf", (h,)) for h in flagged])
        issuance = dict(zip(roots, issued, strict=True))
        pairs = sorted(
            {
                (i["issuer"], int(i["code"]))
                for i in issued
                if isinstance(i, dict) and int(i["issuer"], 16)
            }
        )
        held = store.contract.call_many(
            [("hasActiveRole", (issuer_role_id(code), issuer)) for issuer, code in pairs]
        )
        return cls(
            issuance,
            dict(zip(flagged, statuses, strict=True)),
            {p: h is True for p, h in zip(pairs, held, strict=True)},
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
    stores = [i.get("documentStore", "") for i in data.get("issuers", []) if isinstance(i, dict)]
    named = any(str(s).lower() == store.address.lower() for s in stores)
    checks.append(
        Check(
            "store",
            named,
            f"issued on store {store.address}"
            if named
            else f"the document names another store ({', '.join(map(str, stores))})",
        )
    )
    record = chain.issuance.get(ref.root) if ref else None
    if not isinstance(record, dict) or int(record["issuer"], 16) == 0:
        record = None
    issued = record is not None
    checks.append(
        Check(
            "issued",
            issued,
            f"in block {record['blockNumber']}" if record else "never issued on this chain",
        )
    )
    hashes = dict.fromkeys((ref.root, ref.target)) if ref else {}
    marks = [(h == ref.root if ref else False, chain.status.get(h)) for h in hashes]
    revoked = [(r, m) for r, m in marks if isinstance(m, dict) and m["revokeReason"]]
    suspended = [(r, m) for r, m in marks if isinstance(m, dict) and m["suspendReason"]]
    batch = ref is not None and ref.root != ref.target
    why_revoked = _why(revoked, "revokeReason", RevocationReason, "revoked", batch)
    why_suspended = _why(suspended, "suspendReason", SuspensionReason, "suspended", batch)
    checks.append(Check("not revoked", not revoked, why_revoked))
    checks.append(Check("not suspended", not suspended, why_suspended))
    checks.append(_dates(data, now))
    checks.append(_issuer(store, data, record, chain))
    return VerificationResult(tuple(checks))


def _why(
    marks: list[tuple[bool, dict[str, Any]]], key: str, enum: Any, verb: str, in_batch: bool
) -> str:
    """Why a check failed. A root's record keeps the reason (who acted is in the event log); a
    certificate inside a batch also records who acted and when."""
    if not marks:
        return f"not {verb}"
    is_root, mark = marks[0]
    reason = enum(mark[key]).name.lower() if mark[key] in enum._value2member_map_ else mark[key]
    if is_root:
        return f"{verb} ({reason}){' with its whole batch' if in_batch else ''}"
    return f"{verb} ({reason}) by {labels.describe(mark['by'])} in block {mark['blockNumber']}"


def _dates(data: dict[str, Any], now: datetime) -> Check:
    try:
        start, end = validity(data)
    except GovChainError as exc:
        return Check("validity dates", False, exc.message)
    if start and now < start:
        return Check("validity dates", False, f"not valid before {start:%Y-%m-%d}")
    if end and now > end:
        return Check("validity dates", False, f"expired on {end:%Y-%m-%d}")
    return Check("validity dates", True, f"valid until {end:%Y-%m-%d}" if end else "no expiry")


def _issuer(
    store: CertificateStore,
    data: dict[str, Any],
    record: dict[str, Any] | None,
    chain: _ChainView,
) -> Check:
    if record is None:
        return Check("issuer role", False, "no issuer on record")
    code = int(record["code"])
    claimed = str(data.get("certificateType", ""))
    try:
        ctype = store.type(code)
    except GovChainError:
        return Check("issuer role", False, f"type code {code} is not defined")
    if claimed and claimed != ctype.label:
        return Check(
            "issuer role", False, f"the document claims {claimed} but was issued as {ctype.label}"
        )
    who = labels.describe(record["issuer"])
    if not chain.role_ok.get((record["issuer"], code)):
        return Check(
            "issuer role", False, f"{who} no longer holds {ctype.issuer_role} or is suspended"
        )
    return Check("issuer role", True, f"issued by {who}, holder of {ctype.issuer_role}")
