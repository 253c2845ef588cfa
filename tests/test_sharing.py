"""Data sharing: catalogue, requests, consent, grants, deliveries, audit — every rule both ways,
the encrypted round trip, tamper detection, and a scan for plaintext identifiers on chain."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from eth_utils import keccak

from govchain.chain.reverts import MissingRole
from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.devnet.cast import CITIZEN_BY_KEY
from govchain.errors import ContractRevert, InputError
from govchain.framework.directory import ParticipantSuspended
from govchain.framework.docstore import DocumentTampered
from govchain.framework.sharing.client import DataSharingClient, Status
from govchain.framework.sharing.exchange import DataExchange, GrantRefused

Actor = Callable[[str], Sender]
RECORDS = "social-insurance/records"
CITIZEN = CITIZEN_BY_KEY["citizen-zhang"]
CLAIM = "unemployment-claim"  # a purpose from the published catalogue
PAYLOAD = json.dumps(
    {
        "citizen": CITIZEN.name,
        "idNumber": CITIZEN.id_number,
        "months": 36,
        "lastEmployer": "Jinghua Electronics",
    }
).encode()


def soon(days: int = 30) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


@pytest.fixture
def sharing(gc: GovChain) -> DataSharingClient:
    return gc.sharing


@pytest.fixture
def exchange(gc: GovChain, tmp_path: Path) -> DataExchange:
    from govchain.framework.docstore import DocumentVault, LocalDocumentStore

    return DataExchange(
        gc.sharing, gc.directory, DocumentVault(LocalDocumentStore(tmp_path / "docs"))
    )


@pytest.fixture
def listed(sharing: DataSharingClient, actor: Actor) -> str:
    sharing.list_resource(
        actor("social-insurance"),
        RECORDS,
        title="Contribution records",
        schema=b'{"type":"object"}',
        sharing="on-approval",
        personal=True,
    )
    return RECORDS


@pytest.fixture
def granted(sharing: DataSharingClient, actor: Actor, listed: str) -> int:
    rid = sharing.request(
        actor("hr"),
        listed,
        purpose="unemployment-claim",
        wanted_expiry=soon(60),
        subject=CITIZEN.address,
    )
    sharing.approve(actor("social-insurance"), rid, expiry=soon(30))
    deadline, signature = sharing.sign_consent(CITIZEN.account, rid)
    sharing.submit_consent(actor("hr"), rid, deadline, signature)
    return rid


def error_name(exc: pytest.ExceptionInfo[ContractRevert]) -> str:
    return exc.value.error_name


# -- catalogue --------------------------------------------------------------------------------
def test_listing_needs_the_provider_role(sharing: DataSharingClient, actor: Actor) -> None:
    with pytest.raises(MissingRole, match="DATA_PROVIDER_ROLE"):
        sharing.list_resource(
            actor("customs-beijing"),
            "customs/grades",
            title="Tax grades",
            schema=b"",
            sharing="open",
            personal=False,
        )


def test_catalogue_entries(sharing: DataSharingClient, actor: Actor, listed: str) -> None:
    [entry] = sharing.resources()
    assert entry.owner == cast.BY_KEY["social-insurance"].address
    assert (
        entry.personal and entry.listed and entry.title_hash == keccak(text="Contribution records")
    )
    with pytest.raises(ContractRevert) as exc:
        sharing.list_resource(
            actor("social-insurance"),
            RECORDS,
            title="Again",
            schema=b"",
            sharing="open",
            personal=False,
        )
    assert error_name(exc) == "ResourceExists"
    with pytest.raises(ContractRevert) as exc:
        sharing.change_resource(actor("hr"), RECORDS, "open", True)
    assert error_name(exc) == "NotResourceOwner"


# -- requests, approval, consent --------------------------------------------------------------
def test_request_approve_consent_makes_a_live_grant(
    sharing: DataSharingClient, actor: Actor, granted: int
) -> None:
    q = sharing.get(granted)
    assert q.status is Status.APPROVED and q.consented and q.subject == CITIZEN.address
    assert q.purpose_text == "unemployment-claim"
    assert sharing.not_live_reason(granted) is None


def test_personal_data_needs_a_subject(
    sharing: DataSharingClient, actor: Actor, listed: str
) -> None:
    with pytest.raises(ContractRevert) as exc:
        sharing.request(actor("hr"), listed, purpose="benefit-eligibility", wanted_expiry=soon())
    assert error_name(exc) == "SubjectRequired"


def test_only_the_owner_approves_or_rejects_and_only_once(
    sharing: DataSharingClient, actor: Actor, listed: str
) -> None:
    rid = sharing.request(
        actor("hr"),
        listed,
        purpose="unemployment-claim",
        wanted_expiry=soon(10),
        subject=CITIZEN.address,
    )
    with pytest.raises(ContractRevert) as exc:
        sharing.approve(actor("hr"), rid, expiry=soon(5))
    assert error_name(exc) == "NotResourceOwner"
    with pytest.raises(ContractRevert) as exc:
        sharing.approve(actor("social-insurance"), rid, expiry=soon(20))  # beyond what was asked
    assert error_name(exc) == "InvalidExpiry"
    sharing.reject(actor("social-insurance"), rid, "no-legal-basis")
    assert sharing.get(rid).status is Status.REJECTED
    with pytest.raises(ContractRevert) as exc:
        sharing.approve(actor("social-insurance"), rid, expiry=soon(5))
    assert error_name(exc) == "RequestNotPending"


def test_no_delivery_without_approval_or_consent(
    sharing: DataSharingClient, exchange: DataExchange, actor: Actor, listed: str
) -> None:
    rid = sharing.request(
        actor("hr"),
        listed,
        purpose="unemployment-claim",
        wanted_expiry=soon(),
        subject=CITIZEN.address,
    )
    with pytest.raises(GrantRefused, match="not been approved"):
        exchange.deliver(actor("social-insurance"), rid, PAYLOAD)
    with pytest.raises(ContractRevert) as exc:  # the contract refuses too
        sharing.deliver(actor("social-insurance"), rid, keccak(PAYLOAD))
    assert error_name(exc) == "GrantNotLive" and "not been approved" in exc.value.message
    sharing.approve(actor("social-insurance"), rid, expiry=soon(10))
    with pytest.raises(GrantRefused, match="not consented"):
        exchange.deliver(actor("social-insurance"), rid, PAYLOAD)


def test_consent_must_come_from_the_subject(
    sharing: DataSharingClient, actor: Actor, listed: str
) -> None:
    rid = sharing.request(
        actor("hr"),
        listed,
        purpose="unemployment-claim",
        wanted_expiry=soon(),
        subject=CITIZEN.address,
    )
    early, unbound = sharing.sign_consent(CITIZEN.account, rid)  # before approval: no terms
    with pytest.raises(ContractRevert) as exc:
        sharing.submit_consent(actor("hr"), rid, early, unbound)
    assert error_name(exc) == "ConsentBeforeApproval"
    with pytest.raises(ContractRevert) as exc:
        sharing.consent(actor("hr"), rid)
    assert error_name(exc) == "NotDataSubject"
    sharing.approve(actor("social-insurance"), rid, expiry=soon(1), scope="last-12-months")
    with pytest.raises(ContractRevert) as exc:  # signed before the scope and expiry were set
        sharing.submit_consent(actor("hr"), rid, early, unbound)
    assert error_name(exc) == "InvalidConsentSignature"
    other = CITIZEN_BY_KEY["citizen-li"]
    deadline, forged = sharing.sign_consent(other.account, rid)
    with pytest.raises(ContractRevert) as exc:
        sharing.submit_consent(actor("hr"), rid, deadline, forged)
    assert error_name(exc) == "InvalidConsentSignature"
    with pytest.raises(ContractRevert) as exc:
        sharing.consent(actor("hr"), rid)
    assert error_name(exc) == "NotDataSubject"
    deadline, signature = sharing.sign_consent(CITIZEN.account, rid)
    sharing.submit_consent(actor("hr"), rid, deadline, signature)
    with pytest.raises(ContractRevert) as exc:
        sharing.submit_consent(actor("hr"), rid, deadline, signature)
    assert error_name(exc) == "AlreadyConsented"


def test_an_enterprise_subject_consents_as_a_participant(
    sharing: DataSharingClient, exchange: DataExchange, actor: Actor
) -> None:
    sharing.list_resource(
        actor("social-insurance"),
        "social-insurance/headcount",
        title="Headcount",
        schema=b"",
        sharing="open",
        personal=True,
    )
    sme = actor("sme")
    rid = sharing.request(
        actor("bank-bob"),
        "social-insurance/headcount",
        purpose="credit-assessment",
        wanted_expiry=soon(),
        subject=sme.address,
    )
    assert sharing.get(rid).status is Status.APPROVED  # open: approved at once
    assert sharing.not_live_reason(rid) == "the data subject has not consented"
    sharing.consent(sme, rid)
    delivered = exchange.deliver(actor("social-insurance"), rid, b'{"headcount": 42}')
    assert exchange.fetch(actor("bank-bob"), rid, delivered.delivery_id) == b'{"headcount": 42}'


# -- delivery, fetch, revocation, expiry --------------------------------------------------------
def test_encrypted_delivery_round_trip_and_acknowledgement(
    sharing: DataSharingClient, exchange: DataExchange, actor: Actor, granted: int
) -> None:
    delivered = exchange.deliver(actor("social-insurance"), granted, PAYLOAD)
    assert delivered.delivery_id == 1 and delivered.content_hash != keccak(PAYLOAD)  # salted
    assert exchange.fetch(actor("hr"), granted, 1) == PAYLOAD
    record = sharing.delivery(granted, 1)
    assert record["acknowledgedAt"] > 0 and bytes(record["contentHash"]) == delivered.content_hash
    with pytest.raises(ContractRevert) as exc:
        sharing.acknowledge(actor("hr"), granted, 1, keccak(PAYLOAD))
    assert error_name(exc) == "AlreadyAcknowledged"


def test_only_the_owner_delivers_and_only_the_requester_acknowledges(
    sharing: DataSharingClient, actor: Actor, granted: int
) -> None:
    with pytest.raises(ContractRevert) as exc:
        sharing.deliver(actor("hr"), granted, keccak(PAYLOAD))
    assert error_name(exc) == "NotResourceOwner"
    delivery = sharing.deliver(actor("social-insurance"), granted, keccak(PAYLOAD))
    with pytest.raises(ContractRevert) as exc:
        sharing.acknowledge(actor("tax"), granted, delivery, keccak(PAYLOAD))
    assert error_name(exc) == "NotRequestParty"
    with pytest.raises(ContractRevert) as exc:
        sharing.acknowledge(actor("hr"), granted, delivery, keccak(b"something else"))
    assert error_name(exc) == "DeliveryHashMismatch"


def test_a_third_party_cannot_decrypt(exchange: DataExchange, actor: Actor, granted: int) -> None:
    from govchain.framework.docstore import NotAReader

    exchange.deliver(actor("social-insurance"), granted, PAYLOAD)
    logged = bytes(exchange.client.delivery(granted, 1)["contentHash"])
    with pytest.raises(NotAReader):
        exchange.vault.open(logged, actor("tax").account)


def test_tampered_store_is_detected_never_returned(
    exchange: DataExchange, actor: Actor, granted: int, tmp_path: Path
) -> None:
    delivered = exchange.deliver(actor("social-insurance"), granted, PAYLOAD)
    blob = next((tmp_path / "docs" / "blobs").rglob(delivered.content_hash.hex()))
    raw = bytearray(blob.read_bytes())
    raw[-1] ^= 0xFF
    blob.write_bytes(bytes(raw))
    with pytest.raises(DocumentTampered):
        exchange.fetch(actor("hr"), granted, delivered.delivery_id)


@pytest.mark.parametrize("who", ["social-insurance", "subject"])
def test_revocation_by_owner_or_subject_stops_future_deliveries(
    sharing: DataSharingClient,
    exchange: DataExchange,
    actor: Actor,
    granted: int,
    who: str,
    gc: GovChain,
) -> None:
    exchange.deliver(actor("social-insurance"), granted, PAYLOAD)
    revoker = actor(who) if who != "subject" else gc.sender(CITIZEN.account)
    sharing.revoke(revoker, granted)
    with pytest.raises(GrantRefused, match="revoked"):
        exchange.deliver(actor("social-insurance"), granted, PAYLOAD)
    with pytest.raises(GrantRefused, match="revoked"):
        exchange.fetch(actor("hr"), granted, 1)
    assert sharing.get(granted).deliveries == 1  # the log keeps what was delivered
    with pytest.raises(ContractRevert) as exc:
        sharing.revoke(actor("hr"), granted)
    assert error_name(exc) == "NotRequestParty"


def test_expired_grant_refuses(
    gc: GovChain, sharing: DataSharingClient, exchange: DataExchange, actor: Actor, granted: int
) -> None:
    gc.chain.rpc.call("evm_increaseTime", [31 * 86400])
    gc.chain.rpc.call("evm_mine")
    assert sharing.not_live_reason(granted) == "it has expired"
    with pytest.raises(GrantRefused, match="expired"):
        exchange.deliver(actor("social-insurance"), granted, PAYLOAD)


def test_suspended_parties_are_refused(
    gc: GovChain, sharing: DataSharingClient, actor: Actor, granted: int
) -> None:
    gc.directory.suspend(actor("bureau"), cast.BY_KEY["hr"].address, "audit")
    assert sharing.not_live_reason(granted) == "the requester is suspended"
    with pytest.raises(ParticipantSuspended):
        sharing.request(
            actor("hr"),
            RECORDS,
            purpose="benefit-eligibility",
            wanted_expiry=soon(),
            subject=CITIZEN.address,
        )


# -- audit and privacy ----------------------------------------------------------------------------
def test_audit_trail_by_resource_requester_and_subject(
    sharing: DataSharingClient, exchange: DataExchange, actor: Actor, granted: int
) -> None:
    delivered = exchange.deliver(actor("social-insurance"), granted, PAYLOAD)
    exchange.fetch(actor("hr"), granted, delivered.delivery_id)
    names = [e.name for e in sharing.trail(subject=CITIZEN.address)]
    assert names == [
        "AccessRequested",
        "AccessApproved",
        "ConsentGiven",
        "DataDelivered",
        "DeliveryAcknowledged",
    ]
    assert len(sharing.trail(requester=cast.BY_KEY["hr"].address)) == 5
    assert next(e.name for e in sharing.trail(resource=keccak(text=RECORDS))) == "ResourceListed"
    assert sharing.trail(requester=cast.BY_KEY["tax"].address) == []


def test_no_plaintext_identifier_reaches_the_chain(
    gc: GovChain, sharing: DataSharingClient, exchange: DataExchange, actor: Actor, granted: int
) -> None:
    delivered = exchange.deliver(actor("social-insurance"), granted, PAYLOAD)
    exchange.fetch(actor("hr"), granted, delivered.delivery_id)
    secrets = [CITIZEN.id_number, CITIZEN.name, "Jinghua Electronics"]
    needles = [s.encode().hex() for s in secrets]
    seen = []
    block = gc.chain.rpc.call("eth_getBlockByNumber", ["latest", True])
    for _ in range(12):  # the whole scenario: listing, request, approval, consent, delivery, ack
        for tx in block["transactions"]:
            seen.append(tx["input"].lower())
            receipt = gc.chain.rpc.call("eth_getTransactionReceipt", [tx["hash"]])
            seen += [log["data"].lower() + "".join(log["topics"]) for log in receipt["logs"]]
        block = gc.chain.rpc.call("eth_getBlockByHash", [block["parentHash"], True])
    assert len(seen) > 5
    for needle in needles:
        assert not any(needle in blob for blob in seen), "a plaintext identifier is on chain"


def test_a_requester_cannot_be_its_own_data_subject(
    sharing: DataSharingClient, actor: Actor, listed: str
) -> None:
    hr = actor("hr")
    with pytest.raises(ContractRevert) as exc:
        sharing.request(hr, listed, purpose=CLAIM, wanted_expiry=soon(), subject=hr.address)
    assert error_name(exc) == "SubjectIsRequester"


def test_purposes_and_reasons_go_on_chain_only_as_catalogue_codes(
    sharing: DataSharingClient, actor: Actor, listed: str
) -> None:
    with pytest.raises(InputError, match="not a purpose code"):
        sharing.request(
            actor("hr"),
            listed,
            purpose="claim of Zhang Wei, case 2026-1042",
            wanted_expiry=soon(),
            subject=CITIZEN.address,
        )
    rid = sharing.request(
        actor("hr"),
        listed,
        purpose="unemployment-claim",
        wanted_expiry=soon(),
        subject=CITIZEN.address,
    )
    raw = sharing.contract.call("getRequest", rid)
    assert bytes(raw["purpose"]) == (1).to_bytes(32, "big")
    assert sharing.get(rid).purpose_text == "unemployment-claim"
