"""Electronic certificates: every rule of the certificate store tried both ways, verification
check by check, selective disclosure, and interoperability with OpenAttestation's verifier."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from govchain.chain.reverts import MissingRole
from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.errors import InputError
from govchain.framework.certificates import openattestation as oa
from govchain.framework.certificates.documents import Draft
from govchain.framework.certificates.registry import (
    AlreadyIssued,
    AlreadyRevoked,
    AlreadySuspended,
    CertificateTypeExists,
    DocumentRef,
    NotInBatch,
    NotSuspended,
    ReasonRequired,
    UnknownCertificateType,
    UseCertificateStore,
)
from govchain.framework.certificates.service import Certificates
from govchain.framework.certificates.types import issuer_role_id, revoker_role_id, type_id
from govchain.framework.directory import ParticipantSuspended
from tests.conftest import REPO

Actor = Callable[[str], Sender]
LICENCE = {
    "companyName": "北京示例科技有限公司",
    "legalRepresentative": "张三",
    "registeredCapital": "10,000,000 CNY",
    "businessScope": "Software development",
    "address": "1 Zhongguancun Street, Haidian",
}
CREDIT_CODE = "91110108MA01ABCDE1"


def licence(holder: str = CREDIT_CODE, **extra: Any) -> Draft:
    return Draft(fields=dict(LICENCE), holder=holder, **extra)


@pytest.fixture
def batch(certs: Certificates, regulator: Sender) -> list[dict[str, Any]]:
    drafts = [licence(holder=f"9111010800000000{n:02d}") for n in range(5)]
    return certs.issue_batch(regulator, "business_licence", drafts)


def test_single_certificate_verifies_on_every_check(certs: Certificates, regulator: Sender) -> None:
    document = certs.issue(regulator, "business_licence", licence())
    result = certs.verify(document)
    assert result.valid, result.as_dict()
    assert [c.name for c in result.checks] == [
        "integrity",
        "issued",
        "store",
        "not revoked",
        "not suspended",
        "validity dates",
        "issuer",
    ]
    ref = DocumentRef.of(document)
    record = certs.store.issuance(ref.root)
    assert record is not None and record.issuer == regulator.address
    assert record.code == certs.type("business_licence").code


def test_document_names_issuer_type_holder_hash_validity_and_store(
    certs: Certificates, regulator: Sender
) -> None:
    document = certs.issue(regulator, "business_licence", licence())
    data = oa.get_data(document)
    assert data["certificateType"] == "BUSINESS_LICENCE"
    # the type's own document store, not the core
    assert data["issuers"][0]["documentStore"] == certs.type("business_licence").store
    assert data["issuers"][0]["name"] == "Beijing Administration for Market Regulation"
    assert data["holder"]["id"].startswith("0x") and len(data["holder"]["id"]) == 66
    assert CREDIT_CODE not in json.dumps(document)  # the plain identifier never appears
    assert data["validUntil"] > data["validFrom"]


def test_batch_shares_one_root_and_every_certificate_verifies(
    certs: Certificates, batch: list[dict[str, Any]]
) -> None:
    assert len({oa.merkle_root(d) for d in batch}) == 1
    assert len({oa.target_hash(d) for d in batch}) == 5
    assert all(r.valid for r in certs.verify_many(batch))


def test_revoking_one_certificate_inside_a_batch_leaves_the_rest(
    certs: Certificates, regulator: Sender, batch: list[dict[str, Any]]
) -> None:
    certs.revoke(regulator, batch[2], "fraud")
    results = certs.verify_many(batch)
    assert [r.valid for r in results] == [True, True, False, True, True]
    assert "fraud" in results[2].check("not revoked").detail
    with pytest.raises(AlreadyRevoked):
        certs.revoke(regulator, batch[2], "fraud")


def test_revoking_the_whole_batch(
    certs: Certificates, regulator: Sender, batch: list[dict[str, Any]]
) -> None:
    certs.revoke(regulator, batch[0], "superseded", whole_batch=True)
    assert not any(r.valid for r in certs.verify_many(batch))


def test_suspension_is_reversible_and_revocation_final(
    certs: Certificates, regulator: Sender, batch: list[dict[str, Any]]
) -> None:
    doc = batch[1]
    with pytest.raises(NotSuspended):
        certs.reinstate(regulator, doc)
    certs.suspend(regulator, doc, "under_investigation")
    result = certs.verify(doc)
    assert not result.check("not suspended").ok and result.check("not revoked").ok
    ctype = certs.type("business_licence")
    assert not certs.store.in_force(ctype, DocumentRef.of(doc))  # OpenAttestation's view
    with pytest.raises(AlreadySuspended):
        certs.suspend(regulator, doc, "court_order")
    certs.reinstate(regulator, doc)
    assert certs.verify(doc).valid
    certs.revoke(regulator, doc, "court_order")
    with pytest.raises(AlreadyRevoked):
        certs.suspend(regulator, doc, "court_order")
    with pytest.raises(AlreadyRevoked):
        certs.reinstate(regulator, doc)


def test_reason_codes_are_required(
    certs: Certificates, regulator: Sender, batch: list[dict[str, Any]]
) -> None:
    ref = DocumentRef.of(batch[0])
    with pytest.raises(ReasonRequired):
        certs.store.contract.transact(
            regulator, "revokeCertificate", ref.root, ref.leaf, list(ref.proof), 0
        )
    with pytest.raises(ReasonRequired):
        certs.store.contract.transact(regulator, "revokeBatch", ref.root, 0)
    with pytest.raises(InputError, match="not a reason"):
        certs.revoke(regulator, batch[0], "bored")


def test_bad_proof_is_refused(
    certs: Certificates, regulator: Sender, batch: list[dict[str, Any]]
) -> None:
    ref = DocumentRef.of(batch[0])
    forged = DocumentRef(ref.root, b"\x11" * 32, ref.proof, b'["not a leaf of this batch"]')
    with pytest.raises(NotInBatch):
        certs.store.revoke(regulator, forged, "fraud")


def test_only_the_types_issuer_role_may_issue(certs: Certificates, actor: Actor) -> None:
    with pytest.raises(MissingRole, match="BUSINESS_LICENCE_ISSUER_ROLE"):
        certs.issue(actor("sci-tech"), "business_licence", licence())
    # a role for one type does not cover another
    with pytest.raises(MissingRole, match="HIGH_TECH_ENTERPRISE_ISSUER_ROLE"):
        certs.issue(
            actor("market-regulator"),
            "high_tech_enterprise",
            Draft({"companyName": "X", "technologyField": "AI"}),
        )


def test_suspended_issuer_is_refused(
    gc: GovChain, certs: Certificates, actor: Actor, regulator: Sender
) -> None:
    gc.directory.suspend(actor("bureau"), regulator.address, "audit")
    with pytest.raises(ParticipantSuspended):
        certs.issue(regulator, "business_licence", licence())


def test_revoking_needs_the_revoker_role_not_the_issuer_role(
    gc: GovChain, certs: Certificates, actor: Actor
) -> None:
    bureau, clerk = actor("bureau"), actor("haidian")
    code = certs.type("business_licence").code
    gc.directory.contract.transact(bureau, "grantRole", issuer_role_id(code), clerk.address)
    document = certs.issue(clerk, "business_licence", licence())
    with pytest.raises(MissingRole, match="BUSINESS_LICENCE_REVOKER_ROLE"):
        certs.revoke(clerk, document, "fraud")
    gc.directory.contract.transact(bureau, "grantRole", revoker_role_id(code), clerk.address)
    certs.revoke(clerk, document, "issued_in_error")


def test_issuing_the_same_root_twice_is_refused(
    certs: Certificates, regulator: Sender, batch: list[dict[str, Any]]
) -> None:
    ctype = certs.type("business_licence")
    _, batches = certs.wrap(regulator.address, ctype, [oa.get_data(batch[0])])
    certs.store.issue_root(regulator, batches[0], ctype)
    with pytest.raises(AlreadyIssued):
        certs.store.issue_root(regulator, batches[0], ctype)


def test_unknown_type_is_refused(certs: Certificates, regulator: Sender) -> None:
    with pytest.raises(UnknownCertificateType, match="not a certificate type"):
        certs.issue(regulator, "pilot_licence", licence())
    with pytest.raises(MissingRole):  # an undefined code has no role holders on chain
        certs.store.contract.transact(regulator, "issueCertificate", b"\x01" * 32, 999, 0, 0)


def test_defining_types_is_for_the_administrator(
    certs: Certificates, actor: Actor, regulator: Sender
) -> None:
    with pytest.raises(MissingRole, match="DEFAULT_ADMIN_ROLE"):
        certs.store.define_type(regulator, "PILOT_LICENCE")
    ctype = certs.store.define_type(actor("bureau"), "PILOT_LICENCE")
    assert ctype.name == "PILOT_LICENCE" and ctype.code == len(certs.store.types())
    with pytest.raises(CertificateTypeExists):
        certs.store.define_type(actor("bureau"), "pilot_licence")


def test_validity_dates(certs: Certificates, regulator: Sender) -> None:
    past = datetime(2020, 1, 1, tzinfo=UTC)
    expired = certs.issue(
        regulator,
        "business_licence",
        licence(valid_from=past, valid_until=past + timedelta(days=30)),
    )
    check = certs.verify(expired).check("validity dates")
    assert not check.ok and "expired on 2020-01-31" in check.detail
    future = datetime.now(UTC) + timedelta(days=10)
    early = certs.issue(regulator, "business_licence", licence(valid_from=future))
    assert not certs.verify(early).check("validity dates").ok
    with pytest.raises(InputError, match="ends before it starts"):
        certs.issue(regulator, "business_licence", licence(valid_from=future, valid_until=past))


def test_certificates_issued_before_the_issuer_lost_its_role_or_was_suspended_stay_valid(
    gc: GovChain, certs: Certificates, actor: Actor, regulator: Sender
) -> None:
    """The rule: the store checks the issuer's role at issuance; later changes to the issuer
    do not touch what it issued (revoking is the revoker's decision). SDK and oa-verify agree."""
    document = certs.issue(regulator, "business_licence", licence())
    gc.directory.revoke(actor("bureau"), regulator.address, "business_licence_issuer")
    gc.directory.suspend(actor("bureau"), regulator.address, "audit")
    result = certs.verify(document)
    assert result.valid, result.as_dict()
    assert "certificates issued before stay valid" in result.check("issuer").detail
    assert certs.store.in_force(certs.type("business_licence"), DocumentRef.of(document))
    with pytest.raises(ParticipantSuspended):  # but it issues nothing new
        certs.issue(regulator, "business_licence", licence())


def test_tampered_unissued_and_foreign_documents_fail(
    certs: Certificates, regulator: Sender
) -> None:
    document = certs.issue(regulator, "business_licence", licence())
    tampered = json.loads(json.dumps(document))
    salted = tampered["data"]["fields"]["companyName"]
    tampered["data"]["fields"]["companyName"] = salted.replace("示例", "假冒")
    assert not certs.verify(tampered).check("integrity").ok
    _, datas = certs.build(regulator.address, "business_licence", [licence()])
    never = oa.wrap_document(datas[0])
    result = certs.verify(never)
    assert not result.check("issued").ok and not result.valid
    foreign = dict(datas[0], issuers=[dict(datas[0]["issuers"][0], documentStore="0x" + "ab" * 20)])
    ctype = certs.type("business_licence")
    documents, batches = certs.wrap(regulator.address, ctype, [foreign])
    certs.store.issue_root(regulator, batches[0], ctype)
    assert not certs.verify(documents[0]).check("store").ok


def test_missing_fields_are_named(certs: Certificates, regulator: Sender) -> None:
    with pytest.raises(InputError, match="missing field.*legalRepresentative"):
        certs.issue(regulator, "business_licence", Draft({"companyName": "X"}))


def test_hidden_fields_still_verify_and_the_last_field_of_an_object_cannot_go(
    certs: Certificates, regulator: Sender
) -> None:
    document = certs.issue(regulator, "business_licence", licence())
    redacted = certs.hide(document, ["fields.address", "holder.kind"])
    assert "address" not in oa.get_data(redacted)["fields"]
    assert certs.verify(redacted).valid
    with pytest.raises(InputError):
        certs.hide(redacted, ["holder.id"])  # the last field of `holder`


def test_each_type_has_its_own_openattestation_document_store(
    certs: Certificates, regulator: Sender, batch: list[dict[str, Any]]
) -> None:
    licence_type, kyc_type = certs.type("business_licence"), certs.type("kyc_attestation")
    assert licence_type.store != kyc_type.store != certs.store.address
    store = certs.store.type_store(licence_type)
    assert store.call("supportsInterface", bytes.fromhex("01ffc9a7"))  # ERC-165
    assert store.call("typeCode") == licence_type.code
    assert store.call("name") == "GovChain Certificates"
    ref = DocumentRef.of(batch[0])
    assert store.call("isIssued", ref.root) and store.call("getIssuedBlock", ref.root) > 0
    assert not store.call("isRevoked", ref.root) and not store.call("isRevoked", ref.target)
    assert certs.store.in_force(licence_type, ref)
    # another type's store knows nothing of this batch
    other = certs.store.type_store(kyc_type)
    assert not other.call("isIssued", ref.root) and not certs.store.in_force(kyc_type, ref)
    # writes go through the certificate store, which binds roots to their issuer
    with pytest.raises(UseCertificateStore):
        store.transact(regulator, "issue", ref.root)
    with pytest.raises(UseCertificateStore):
        store.transact(regulator, "revoke", ref.target)
    assert certs.store.contract.call("typeCode", type_id("OA_DOCUMENT")) == 1


def test_openattestation_reference_verifier_agrees(
    gc: GovChain, certs: Certificates, regulator: Sender, batch: list[dict[str, Any]]
) -> None:
    good = certs.issue(regulator, "business_licence", licence())
    tampered = json.loads(json.dumps(good))
    tampered["data"]["fields"]["address"] = tampered["data"]["fields"]["address"] + "!"
    _, datas = certs.build(regulator.address, "business_licence", [licence()])
    never = oa.wrap_document(datas[0])
    certs.revoke(regulator, batch[0], "fraud")
    certs.suspend(regulator, batch[1], "court_order")
    redacted = certs.hide(batch[2], ["fields.address"])
    documents = [good, tampered, never, batch[0], batch[1], redacted, batch[3]]
    done = subprocess.run(
        ["node", str(REPO / "tests" / "js" / "oa_verify.js"), gc.chain.url],
        input=json.dumps(documents),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    verdicts = json.loads(done.stdout)
    assert [(v["integrity"], v["status"]) for v in verdicts] == [
        ("VALID", "VALID"),  # good
        ("INVALID", "VALID"),  # tampered: integrity fails
        ("VALID", "INVALID"),  # never issued
        ("VALID", "INVALID"),  # revoked inside its batch
        ("VALID", "INVALID"),  # suspended counts as revoked for OpenAttestation
        ("VALID", "VALID"),  # a field hidden: still valid
        ("VALID", "VALID"),  # the rest of the batch is untouched
    ]


def test_the_sdk_computes_binding_leaves_and_roots_as_the_chain_does(
    certs: Certificates, regulator: Sender, batch: list[dict[str, Any]]
) -> None:
    ctype = certs.type("business_licence")
    core = certs.store.contract
    local = certs.store.binding_leaf(ctype, regulator.address)
    assert local == core.call("bindingLeaf", ctype.code, regulator.address)
    _, batches = certs.wrap(regulator.address, ctype, [oa.get_data(batch[0])])
    assert batches[0].root == core.call("rootOf", batches[0].batch, ctype.code, regulator.address)
    signature = batch[0]["signature"]
    assert signature["proof"][-1] == local.hex()  # every proof ends with the binding leaf


def test_one_view_and_the_batched_reads_give_the_same_verdicts(
    certs: Certificates, regulator: Sender, batch: list[dict[str, Any]], monkeypatch: Any
) -> None:
    """A few documents are verified with one `verification` view each, in one request; many by
    the batched reads. Both see the same chain: revoked, suspended, whole-batch revoked,
    never issued, valid."""
    from govchain.framework.certificates import verification

    certs.revoke(regulator, batch[0], "superseded")
    certs.suspend(regulator, batch[1], "under_investigation")
    other = certs.issue_batch(regulator, "business_licence", [licence(), licence()])
    certs.revoke(regulator, other[0], "superseded", whole_batch=True)
    forged = json.loads(json.dumps(batch[4]))
    forged["signature"]["merkleRoot"] = "ab" * 32
    documents = [*batch, *other, forged]
    few = [r.as_dict() for r in certs.verify_many(documents)]
    monkeypatch.setattr(verification, "ONE_VIEW_UP_TO", 0)
    many = [r.as_dict() for r in certs.verify_many(documents)]
    assert few == many
    assert [r["valid"] for r in few] == [False, False, True, True, True, False, False, False]
