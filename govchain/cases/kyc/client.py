"""What the eKYC case adds to the generic client: reuse of a bank's attestation by another bank
under the enterprise's consent (the framework's :class:`ItemSharing` on the data-sharing
framework), and the supervisor's audit of who read whose KYC, when, under which consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from govchain.chain.abi import Event
from govchain.framework.casebase.client import CaseClient
from govchain.framework.casebase.consent import ItemSharing
from govchain.framework.casebase.values import show_time
from govchain.framework.directory import parse_address

ZERO = "0x" + "00" * 20


@dataclass(frozen=True)
class AuditEntry:
    """One thing that happened to an enterprise's KYC, as the supervisor reads it: ``bank`` is
    the attesting bank for an attestation, else the bank that asked to read it."""

    block: int
    time: datetime | None
    what: str
    bank: str
    enterprise: str
    consent: int | None
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "block": self.block,
            "time": self.time.isoformat() if self.time else None,
            "what": self.what,
            "bank": self.bank,
            "enterprise": self.enterprise,
            "consent": self.consent,
            "detail": self.detail,
        }


class KycClient(CaseClient):
    """Case 3's client: the generic verbs, reuse under consent (``dossiers``: offer, request,
    approve, share, fetch) and the supervisor's audit."""

    @cached_property
    def dossiers(self) -> ItemSharing:
        """Attestations' dossiers shared under the enterprise's consent (purpose kyc-reuse)."""
        return ItemSharing(
            self, "attestation", purpose="kyc-reuse", subject="enterprise", document="dossier"
        )

    # -- the supervisor --------------------------------------------------------------------
    def audit(self, enterprise: str | None = None) -> list[AuditEntry]:
        """Who read whose KYC, when, under which consent: every attestation, every request,
        grant, consent, delivery, acknowledgement and revocation on banks' KYC dossiers, and
        every reliance — in chain order."""
        wanted = parse_address(enterprise) if enterprise else None
        subjects: dict[int, tuple[str, str]] = {}
        rows: list[tuple[Event, str, str, int | None, str]] = []
        for e, number in self.dossiers.trail():
            if e.name == "AccessRequested":
                subjects[number] = (e["requester"], e["subject"])
            reader, company = subjects[number]
            rows.append((e, reader, company, number, _sharing_detail(e)))
        for e in self.index.events(self.spec.contract):
            if e.name == "Attested":
                detail = f"level {e['level']}, valid until {show_time(e['validUntil'])}"
                rows.append((e, self._filer(e["id"]), e["enterprise"], None, detail))
            elif e.name == "Relied":
                company = str(self.records([bytes(e["attestation"])])[0].fields["enterprise"])
                detail = f"on attestation 0x{bytes(e['attestation']).hex()[:12]}…"
                rows.append((e, self._filer(e["id"]), company, int(e["consent"]), detail))
        rows = [r for r in rows if wanted is None or parse_address(r[2]) == wanted]
        rows.sort(key=lambda r: (r[0].block_number, r[0].log_index))
        times = self.contract.chain.block_times({r[0].block_number for r in rows})
        return [
            AuditEntry(
                e.block_number,
                times.get(e.block_number),
                _WHAT[e.name],
                bank,
                company,
                consent,
                detail,
            )
            for e, bank, company, consent, detail in rows
        ]

    def _filer(self, item: bytes) -> str:
        return self.records([bytes(item)])[0].filer


_WHAT = {
    "Attested": "attested",
    "Relied": "relied",
    "AccessRequested": "requested",
    "AccessApproved": "approved",
    "AccessRejected": "rejected",
    "ConsentGiven": "consented",
    "GrantRevoked": "revoked",
    "DataDelivered": "delivered",
    "DeliveryAcknowledged": "acknowledged",
}


def _sharing_detail(e: Event) -> str:
    if e.name == "AccessApproved":
        return f"until {show_time(e['expiry'])}"
    if e.name in ("DataDelivered", "DeliveryAcknowledged"):
        return f"dossier 0x{bytes(e['contentHash']).hex()[:12]}…"
    if e.name == "GrantRevoked":
        return f"by {e['by']}"
    if e.name == "ConsentGiven":
        return "by signature" if e["bySignature"] else "by transaction"
    return ""
