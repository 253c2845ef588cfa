"""SDK for the DataSharing contract: catalogue, requests, consent, grants, delivery log, audit."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from govchain.chain import labels
from govchain.chain.abi import Event
from govchain.chain.chain import Receipt
from govchain.chain.contracts import Contract
from govchain.chain.tx import Sender
from govchain.chain.typeddata import sign_typed, typed_data
from govchain.enums import parse_enum
from govchain.errors import ContractRevert, InputError, revert_error
from govchain.framework.codes import PURPOSES, REASONS, SCOPES
from govchain.framework.directory import parse_address, reason_code
from govchain.hashing import keccak

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

PAGE = 500


if TYPE_CHECKING:
    from govchain.framework.index import EventIndex


class Sharing(IntEnum):
    OPEN = 1
    ON_APPROVAL = 2
    NOT_SHARED = 3

    @classmethod
    def parse(cls, text: str | int) -> Sharing:
        return parse_enum(cls, text, "a sharing class")


class Status(IntEnum):
    PENDING = 1
    APPROVED = 2
    REJECTED = 3
    REVOKED = 4


NOT_LIVE = {
    1: "it has not been approved",
    2: "the data subject has not consented",
    3: "it has expired",
    4: "it was revoked",
    5: "the requester is suspended",
}


def resource_id(slug: str) -> bytes:
    """The on-chain id of a catalogue resource named ``slug`` (e.g. social-insurance/records)."""
    text = slug.strip().lower()
    if not text or any(c.isspace() for c in text):
        raise InputError(
            f"'{slug}' is not a resource name (no spaces, e.g. social-insurance/records)."
        )
    return keccak(text=text)


@dataclass(frozen=True)
class Resource:
    resource_id: bytes
    owner: str
    sharing: Sharing
    personal: bool
    listed: bool
    title_hash: bytes
    schema_hash: bytes


@dataclass(frozen=True)
class Request:
    request_id: int
    resource_id: bytes
    requester: str
    subject: str | None
    status: Status
    consented: bool
    wanted_expiry: datetime
    expiry: datetime | None
    deliveries: int
    purpose: bytes
    scope: bytes

    @property
    def purpose_text(self) -> str:
        return PURPOSES.name(self.purpose)


class DataSharingClient:
    """The on-chain half of data sharing."""

    def __init__(self, contract: Contract, index: EventIndex) -> None:
        self.contract = contract
        self.index = index

    @property
    def address(self) -> str:
        return self.contract.address

    # -- catalogue ---------------------------------------------------------------------------
    def list_resource(
        self,
        owner: Sender,
        slug: str,
        *,
        title: str,
        schema: bytes,
        sharing: Sharing | str,
        personal: bool,
    ) -> Receipt:
        return self.contract.transact(
            owner,
            "listResource",
            resource_id(slug),
            keccak(text=title.strip()),
            keccak(schema),
            int(Sharing.parse(sharing)),
            personal,
        )

    def change_resource(
        self, owner: Sender, slug: str, sharing: Sharing | str, listed: bool
    ) -> Receipt:
        return self.contract.transact(
            owner, "changeResource", resource_id(slug), int(Sharing.parse(sharing)), listed
        )

    def resource(self, rid: bytes) -> Resource:
        raw = self.contract.call("resource", rid)
        if int(raw["owner"], 16) == 0:
            raise UnknownResource(
                f"There is no resource 0x{rid.hex()} in the catalogue.", args={"resourceId": rid}
            )
        return _resource(rid, raw)

    def resources(self) -> list[Resource]:
        ids: list[bytes] = []
        while True:
            page = self.contract.call("resourceIds", len(ids), PAGE)
            ids += [bytes(i) for i in page]
            if len(page) < PAGE:
                break
        raws = self.contract.call_many([("resource", (i,)) for i in ids])
        return [_resource(i, r) for i, r in zip(ids, raws, strict=True)]

    # -- requests ----------------------------------------------------------------------------
    def request(
        self,
        requester: Sender,
        slug: str,
        *,
        purpose: str,
        wanted_expiry: datetime,
        subject: str | None = None,
    ) -> int:
        """Request access; returns the request id."""
        receipt = self.contract.transact(
            requester,
            "request",
            resource_id(slug),
            parse_address(subject) if subject else "0x" + "00" * 20,
            PURPOSES.code(purpose),
            int(wanted_expiry.timestamp()),
        )
        return int(self.contract.events(receipt, "AccessRequested")[0]["requestId"])

    def approve(
        self,
        owner: Sender,
        request_id: int,
        *,
        expiry: datetime,
        scope: str | bytes = "full-record",
    ) -> Receipt:
        """Approve until ``expiry``; ``scope`` is a code of the published catalogue, or the 32-byte
        id of the one item the grant covers (a KYC attestation)."""
        if isinstance(scope, bytes) and len(scope) != 32:
            raise InputError("A scope is a catalogue code or a 32-byte item id.")
        code = scope if isinstance(scope, bytes) else SCOPES.code(scope)
        return self.contract.transact(owner, "approve", request_id, int(expiry.timestamp()), code)

    def reject(self, owner: Sender, request_id: int, reason: str) -> Receipt:
        return self.contract.transact(owner, "reject", request_id, reason_code(reason))

    def consent(self, subject: Sender, request_id: int) -> Receipt:
        """The subject consents by its own transaction."""
        return self.contract.transact(subject, "consent", request_id)

    def sign_consent(
        self, subject: LocalAccount, request_id: int, valid_seconds: int = 7 * 86400
    ) -> tuple[int, bytes]:
        """The subject's EIP-712 consent signature (no transaction): (deadline, signature). It
        consents to the approved request as approved: its purpose, scope and expiry."""
        q = self.get(request_id)
        deadline = int(time.time()) + valid_seconds
        typed = typed_data(
            "GovChain DataSharing",
            self.contract.chain.chain_id,
            self.address,
            "Consent",
            [
                ("requestId", "uint256"),
                ("resourceId", "bytes32"),
                ("requester", "address"),
                ("purpose", "bytes32"),
                ("scope", "bytes32"),
                ("expiry", "uint64"),
                ("deadline", "uint256"),
            ],
            {
                "requestId": request_id,
                "resourceId": q.resource_id,
                "requester": q.requester,
                "purpose": q.purpose,
                "scope": q.scope,
                "expiry": int(q.expiry.timestamp()) if q.expiry else 0,
                "deadline": deadline,
            },
        )
        return deadline, sign_typed(subject, typed)

    def submit_consent(
        self, relay: Sender, request_id: int, deadline: int, signature: bytes
    ) -> Receipt:
        """Anyone submits a subject's signed consent."""
        return self.contract.transact(
            relay, "consentWithSignature", request_id, deadline, signature
        )

    def revoke(self, party: Sender, request_id: int) -> Receipt:
        return self.contract.transact(party, "revoke", request_id)

    def get(self, request_id: int) -> Request:
        return _request(request_id, self.contract.call("getRequest", request_id))

    def not_live_reason(self, request_id: int) -> str | None:
        """None if the grant is live now, else why not (a phrase)."""
        state = int(self.contract.call("grantState", request_id))
        return None if state == 0 else NOT_LIVE.get(state, f"state {state}")

    # -- deliveries --------------------------------------------------------------------------
    def deliver(self, provider: Sender, request_id: int, content_hash: bytes) -> int:
        receipt = self.contract.transact(provider, "deliver", request_id, content_hash)
        return int(self.contract.events(receipt, "DataDelivered")[0]["deliveryId"])

    def acknowledge(
        self, receiver: Sender, request_id: int, delivery_id: int, content_hash: bytes
    ) -> Receipt:
        return self.contract.transact(
            receiver, "acknowledge", request_id, delivery_id, content_hash
        )

    def delivery(self, request_id: int, delivery_id: int) -> dict[str, Any]:
        raw: dict[str, Any] = self.contract.call("delivery", request_id, delivery_id)
        if raw["deliveredAt"] == 0:
            raise UnknownDelivery(
                f"Request {request_id} has no delivery {delivery_id}.",
                args={"requestId": request_id, "deliveryId": delivery_id},
            )
        return raw

    # -- audit -------------------------------------------------------------------------------
    def trail(
        self,
        *,
        resource: bytes | None = None,
        requester: str | None = None,
        subject: str | None = None,
    ) -> list[Event]:
        """Every data-sharing event, optionally only those of one resource, requester or subject,
        in chain order. Rebuilt from event logs alone (no storage reads), as the event index
        holds them."""
        events = self.index.events(self.contract.name)
        by_request: dict[int, Event] = {}
        for e in events:
            if e.name == "AccessRequested":
                by_request[int(e["requestId"])] = e
        out = []
        for e in events:
            req = by_request.get(int(e.args.get("requestId", 0)))
            rid = e.args.get("resourceId") or (req["resourceId"] if req else None)
            who = e.args.get("requester") or (req["requester"] if req else None)
            subj = e.args.get("subject") or (req["subject"] if req else None)
            if resource is not None and rid != resource:
                continue
            if requester is not None and (who or "").lower() != requester.lower():
                continue
            if subject is not None and (subj or "").lower() != subject.lower():
                continue
            out.append(e)
        return out


def _resource(rid: bytes, raw: dict[str, Any]) -> Resource:
    return Resource(
        rid,
        raw["owner"],
        Sharing(raw["sharing"]),
        bool(raw["personal"]),
        bool(raw["listed"]),
        bytes(raw["titleHash"]),
        bytes(raw["schemaHash"]),
    )


def _request(request_id: int, raw: dict[str, Any]) -> Request:
    subject = None if int(raw["subject"], 16) == 0 else raw["subject"]
    return Request(
        request_id=request_id,
        resource_id=bytes(raw["resourceId"]),
        requester=raw["requester"],
        subject=subject,
        status=Status(raw["status"]),
        consented=bool(raw["consented"]),
        wanted_expiry=datetime.fromtimestamp(raw["wantedExpiry"], UTC),
        expiry=datetime.fromtimestamp(raw["expiry"], UTC) if raw["expiry"] else None,
        deliveries=int(raw["deliveries"]),
        purpose=bytes(raw["purpose"]),
        scope=bytes(raw["scope"]),
    )


def describe_event(e: Event) -> str:
    """One readable line about a data-sharing event."""
    a = e.args
    match e.name:
        case "ResourceListed":
            sharing = Sharing(a["sharing"]).name.lower()
            return f"resource listed by {labels.describe(a['owner'])} ({sharing})"
        case "AccessRequested":
            subj = labels.describe(a["subject"]) if int(a["subject"], 16) else "-"
            return (
                f"request #{a['requestId']} by {labels.describe(a['requester'])}, "
                f"purpose {PURPOSES.name(a['purpose'])}, subject {subj}"
            )
        case "AccessApproved":
            until = datetime.fromtimestamp(a["expiry"], UTC)
            return f"request #{a['requestId']} approved until {until:%Y-%m-%d %H:%M}"
        case "AccessRejected":
            return f"request #{a['requestId']} rejected ({REASONS.name(a['reason'])})"
        case "ConsentGiven":
            how = "signature" if a["bySignature"] else "transaction"
            return f"request #{a['requestId']}: subject consented by {how}"
        case "GrantRevoked":
            return f"request #{a['requestId']} revoked by {labels.describe(a['by'])}"
        case "DataDelivered":
            return (
                f"request #{a['requestId']}: delivery {a['deliveryId']} to "
                f"{labels.describe(a['receiver'])}, hash 0x{a['contentHash'].hex()}"
            )
        case "DeliveryAcknowledged":
            return f"request #{a['requestId']}: delivery {a['deliveryId']} acknowledged"
        case _:
            return e.name


# -- the contract's errors, as a clerk reads them ----------------------------------------------
@revert_error("UnknownResource", "There is no resource {resourceId} in the catalogue.")
class UnknownResource(ContractRevert):
    pass


@revert_error("UnknownDelivery", "Request {requestId} has no delivery {deliveryId}.")
class UnknownDelivery(ContractRevert):
    pass


@revert_error("ResourceExists", "A resource with id {resourceId} is already in the catalogue.")
class ResourceExists(ContractRevert):
    pass


@revert_error("NotResourceOwner", "{account} does not own resource {resourceId}.")
class NotResourceOwner(ContractRevert):
    pass


@revert_error("InvalidSharingClass", "Choose a sharing class: open, on-approval or not-shared.")
class InvalidSharingClass(ContractRevert):
    pass


@revert_error(
    "ResourceNotShared",
    "Resource {resourceId} is not shared (withdrawn, or not-shared).",
)
class ResourceNotShared(ContractRevert):
    pass


@revert_error(
    "SubjectRequired",
    "Resource {resourceId} holds personal data: name the data subject.",
)
class SubjectRequired(ContractRevert):
    pass


@revert_error("SubjectIsRequester", "{requester} cannot be the data subject of its own request.")
class SubjectIsRequester(ContractRevert):
    pass


@revert_error(
    "ConsentBeforeApproval",
    "Request #{requestId} is not approved yet: the subject consents to it as approved "
    "(its scope and expiry).",
)
class ConsentBeforeApproval(ContractRevert):
    pass


@revert_error("UnknownRequest", "There is no data request #{requestId}.")
class UnknownRequest(ContractRevert):
    pass


@revert_error(
    "RequestNotPending",
    "Request #{requestId} can no longer change that way (already decided, rejected or revoked).",
)
class RequestNotPending(ContractRevert):
    pass


@revert_error(
    "NotRequestParty",
    "{account} is not the party of request #{requestId} that may do that.",
)
class NotRequestParty(ContractRevert):
    pass


@revert_error(
    "NotDataSubject",
    "Only the data subject may consent to request #{requestId}; {account} is not it.",
)
class NotDataSubject(ContractRevert):
    pass


@revert_error(
    "InvalidExpiry",
    "That expiry ({expiry}) is not acceptable: it must be in the future and within what was asked.",
)
class InvalidExpiry(ContractRevert):
    pass


@revert_error(
    "ConsentNotNeeded",
    "Request #{requestId} concerns no personal data: no consent is needed.",
)
class ConsentNotNeeded(ContractRevert):
    pass


@revert_error("AlreadyConsented", "The subject has already consented to request #{requestId}.")
class AlreadyConsented(ContractRevert):
    pass


@revert_error("ConsentExpired", "The consent signature expired ({deadline}).")
class ConsentExpired(ContractRevert):
    pass


@revert_error(
    "InvalidConsentSignature",
    "The consent for request #{requestId} is not signed by its data subject.",
)
class InvalidConsentSignature(ContractRevert):
    pass


@revert_error("GrantNotLive", "Request #{requestId} does not allow deliveries now: {reason}.")
class GrantNotLive(ContractRevert):
    @staticmethod
    def readable_args(args: dict[str, Any], context: str) -> dict[str, str]:
        return {"reason": NOT_LIVE.get(int(args["reason"]), str(args["reason"]))}


@revert_error(
    "DeliveryHashMismatch",
    "The data does not match the hash logged for delivery {deliveryId} of request #{requestId}.",
)
class DeliveryHashMismatch(ContractRevert):
    pass


@revert_error(
    "AlreadyAcknowledged",
    "Delivery {deliveryId} of request #{requestId} was already acknowledged.",
)
class AlreadyAcknowledged(ContractRevert):
    pass
