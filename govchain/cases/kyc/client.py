"""What the eKYC case adds to the generic client: reuse of a bank's attestation by another bank
through the data-sharing framework, and the supervisor's audit of who read whose KYC.

Each attesting bank offers its KYC dossiers as one personal resource of the data-sharing catalogue
(``kyc-dossiers/<bank>``). A reusing bank requests it for one enterprise (purpose ``kyc-reuse``);
the attesting bank approves with the attestation's id as the grant's scope; the enterprise
consents (by transaction or signature); the attesting bank shares the anchored dossier — its key
wrapped for the requester, the delivery logged with the dossier's own commitment; the reusing bank
fetches it (checked against the chain, acknowledged) and records its reliance on chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from govchain.chain.abi import Event
from govchain.chain.results import Receipt
from govchain.chain.tx import Sender
from govchain.errors import GovChainError, InputError
from govchain.framework.casebase.client import CaseClient, ItemNotFound, Record
from govchain.framework.casebase.values import unix_time
from govchain.framework.directory import parse_address
from govchain.framework.sharing.client import Request, UnknownResource, resource_id
from govchain.framework.sharing.exchange import Delivered

SCHEMA = b"govchain/kyc-dossier/v1"
ZERO = "0x" + "00" * 20


def resource_slug(bank: str) -> str:
    """The catalogue name of a bank's KYC dossiers."""
    return f"kyc-dossiers/{parse_address(bank).lower()}"


class NotAKycGrant(GovChainError):
    """The data-sharing request is not one for a bank's KYC dossier."""


@dataclass(frozen=True)
class AuditEntry:
    """One thing that happened to an enterprise's KYC, as the supervisor reads it."""

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
    """Case 3's client: the generic verbs plus reuse under consent and the audit."""

    # -- the attesting bank ----------------------------------------------------------------
    def offer(self, bank: Sender) -> bytes:
        """List the bank's KYC dossiers in the data-sharing catalogue (once; personal data, so
        every grant needs the enterprise's consent). Returns the resource id."""
        slug = resource_slug(bank.address)
        rid = resource_id(slug)
        try:
            self.exchange.client.resource(rid)
        except UnknownResource:
            self.exchange.client.list_resource(
                bank,
                slug,
                title=f"KYC dossiers of {bank.address}",
                schema=SCHEMA,
                sharing="on-approval",
                personal=True,
            )
        return rid

    def approve_reuse(
        self, bank: Sender, request_id: int, *, until: Any, credit_code: str | None = None
    ) -> Receipt:
        """Approve a request for one of the bank's dossiers: the grant is scoped to the bank's
        valid attestation of the request's enterprise (of ``credit_code`` when the bank attested
        several codes for that account), until ``until``."""
        request = self._kyc_request(request_id)
        if request.resource_id != resource_id(resource_slug(bank.address)):
            raise NotAKycGrant(f"Request #{request_id} is not for {bank.address}'s KYC dossiers.")
        if credit_code is not None:
            attestation = self.resolve(credit_code, "attestation", filer=bank.address)
            if self.records([attestation])[0].fields["enterprise"] != request.subject:
                raise NotAKycGrant(
                    f"Request #{request_id} is for another enterprise than {credit_code}."
                )
        else:
            attestation = self._attestation_of(bank.address, request.subject or ZERO)
        expiry = datetime.fromtimestamp(unix_time(until), UTC)
        return self.exchange.client.approve(bank, request_id, expiry=expiry, scope=attestation)

    def share(self, bank: Sender, request_id: int) -> Delivered:
        """Deliver the attestation's latest dossier under a live grant (refused otherwise)."""
        request = self._kyc_request(request_id)
        return self.exchange.share_document(bank, request_id, self._dossier(request.scope))

    # -- the reusing bank ------------------------------------------------------------------
    def request_reuse(
        self, bank: Sender, credit_code: str, *, until: Any, attester: str | None = None
    ) -> int:
        """Ask to reuse the attestation of ``credit_code`` (by ``attester`` when several banks
        attested it); returns the data-sharing request number."""
        record = self.get(credit_code, "attestation", filer=attester)
        if record.state != "valid" or record.fields["expired"]:
            raise InputError(
                f"The attestation of {credit_code} is not valid now: ask its bank to renew it."
            )
        return self.exchange.client.request(
            bank,
            resource_slug(record.filer),
            purpose="kyc-reuse",
            wanted_expiry=datetime.fromtimestamp(unix_time(until), UTC),
            subject=record.fields["enterprise"],
        )

    def fetch(self, bank: Sender, request_id: int) -> bytes:
        """The dossier delivered under the grant: decrypted, checked against the logged hash and
        against the attestation's anchored dossier, acknowledged on chain."""
        request = self._kyc_request(request_id)
        if request.deliveries == 0:
            raise InputError(f"Nothing has been delivered under request #{request_id} yet.")
        logged = bytes(self.exchange.client.delivery(request_id, request.deliveries)["contentHash"])
        anchored = {d.content_hash for d in self.documents(request.scope, "attestation")}
        if logged not in anchored:
            raise NotAKycGrant(
                f"Delivery {request.deliveries} of request #{request_id} is not a dossier of the "
                "attestation it was granted for."
            )
        return self.exchange.fetch(bank, request_id, request.deliveries)

    # -- the supervisor --------------------------------------------------------------------
    def audit(self, enterprise: str | None = None) -> list[AuditEntry]:
        """Who read whose KYC, when, under which consent: every attestation step, every
        request, grant, consent, delivery, acknowledgement and revocation on a bank's KYC
        dossiers, and every reliance — in chain order."""
        wanted = parse_address(enterprise) if enterprise else None
        banks = {resource_id(resource_slug(r.filer)): r.filer for r in self.items("attestation")}
        rows: list[tuple[Event, str, str, int | None, str]] = []
        requests: dict[int, tuple[str, str]] = {}
        for e in self.exchange.client.trail():
            q = requests.get(int(e.args.get("requestId", 0)))
            if e.name == "AccessRequested":
                if bytes(e["resourceId"]) not in banks:
                    continue
                q = requests[int(e["requestId"])] = (e["requester"], e["subject"])
            if q is None:
                continue
            detail = _sharing_detail(e)
            rows.append((e, e.name, q[0], int(e["requestId"]), detail))
        for e in self.index.events(self.spec.contract):
            if e.name in ("Attested", "Relied"):
                rows.append((e, e.name, "", int(e.args.get("consent", 0)) or None, ""))
        entries = []
        times = self._block_times({e.block_number for e, *_ in rows})
        subjects = {n: s for n, (_, s) in requests.items()}
        for e, name, bank, consent, detail in sorted(
            rows, key=lambda r: (r[0].block_number, r[0].log_index)
        ):
            if name == "Attested":
                company, who = e["enterprise"], self._filer(e["id"])
                detail = f"level {e['level']}, valid until {_date(e['validUntil'])}"
            elif name == "Relied":
                company, who = self._enterprise_of(e["attestation"]), self._filer(e["id"])
                detail = f"on attestation 0x{bytes(e['attestation']).hex()[:12]}…"
            else:
                company, who = subjects.get(consent or 0, ZERO), bank
            if wanted is not None and parse_address(company) != wanted:
                continue
            entries.append(
                AuditEntry(
                    e.block_number,
                    times.get(e.block_number),
                    _WHAT[name],
                    who,
                    company,
                    consent,
                    detail,
                )
            )
        return entries

    # -- internals -------------------------------------------------------------------------
    def _kyc_request(self, request_id: int) -> Request:
        request = self.exchange.client.get(request_id)
        if request.purpose_text != "kyc-reuse":
            raise NotAKycGrant(f"Request #{request_id} is not a KYC reuse request.")
        return request

    def _attestation_of(self, bank: str, enterprise: str) -> bytes:
        rows = self.items("attestation", filer=bank, attr=("enterprise", parse_address(enterprise)))
        valid = [
            r.id for r in rows if r.state == self.spec.kind("attestation").state_value("valid")
        ]
        if not valid:
            raise ItemNotFound(f"{bank} holds no valid KYC attestation of {enterprise}.")
        if len(valid) > 1:
            raise InputError(
                f"{bank} attested {enterprise} under {len(valid)} credit codes: say which one."
            )
        return valid[0]

    def _dossier(self, attestation: bytes) -> bytes:
        if attestation == bytes(32):
            raise NotAKycGrant("The request is not approved yet: it names no attestation.")
        dossiers = [d for d in self.documents(attestation, "attestation") if d.type == "dossier"]
        if not dossiers:
            raise ItemNotFound(f"Attestation 0x{attestation.hex()} has no dossier.")
        return dossiers[-1].content_hash

    def _filer(self, item: bytes) -> str:
        return self.records([bytes(item)])[0].filer

    def _enterprise_of(self, attestation: bytes) -> str:
        record: Record = self.records([bytes(attestation)])[0]
        return str(record.fields["enterprise"])

    def _block_times(self, blocks: set[int]) -> dict[int, datetime]:
        calls = [("eth_getBlockByNumber", [hex(n), False]) for n in sorted(blocks)]
        replies = self.contract.chain.rpc.batch(calls) if calls else []
        return {
            int(b["number"], 16): datetime.fromtimestamp(int(b["timestamp"], 16), UTC)
            for b in replies
            if isinstance(b, dict)
        }


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
        return f"until {_date(e['expiry'])}"
    if e.name in ("DataDelivered", "DeliveryAcknowledged"):
        return f"dossier 0x{bytes(e['contentHash']).hex()[:12]}…"
    if e.name == "GrantRevoked":
        return f"by {e['by']}"
    if e.name == "ConsentGiven":
        return "by signature" if e["bySignature"] else "by transaction"
    return ""


def _date(seconds: Any) -> str:
    return datetime.fromtimestamp(int(seconds), UTC).strftime("%Y-%m-%d")
