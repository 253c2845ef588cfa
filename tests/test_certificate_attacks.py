"""Attacks on certificates from the security review (issue 10): each is tried as an attacker
would, refused with a typed error and no state change, and every document involved is checked by
both our verifier and OpenAttestation's reference verifier (oa-verify), which must agree."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from eth_utils import keccak

from govchain.chain.reverts import MissingRole
from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.framework.certificates import openattestation as oa
from govchain.framework.certificates.registry import (
    BatchRoot,
    DocumentRef,
    NotACertificate,
)
from govchain.framework.certificates.service import Certificates
from tests.conftest import REPO
from tests.test_certificates import licence

Actor = Callable[[str], Sender]
Doc = dict[str, Any]


def verdicts(gc: GovChain, documents: Sequence[Doc]) -> list[bool]:
    """Both verifiers' verdicts on ``documents``; the test fails where they disagree."""
    ours = [r.valid for r in gc.certificates.verify_many(documents)]
    done = subprocess.run(
        ["node", str(REPO / "tests" / "js" / "oa_verify.js"), gc.chain.url],
        input=json.dumps(list(documents)),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    theirs = [v["valid"] for v in json.loads(done.stdout)]
    assert ours == theirs, f"SDK {ours} vs oa-verify {theirs}"
    return ours


@pytest.fixture
def licences(certs: Certificates, regulator: Sender) -> list[Doc]:
    drafts = [licence(holder=f"9111010800000001{n:02d}") for n in range(4)]
    return certs.issue_batch(regulator, "business_licence", drafts)


def _batch_holding(
    certs: Certificates, issuer: Sender, type_name: str, stolen: Sequence[bytes]
) -> tuple[BatchRoot, list[tuple[bytes, ...]]]:
    """A batch ``issuer`` builds with other certificates' target hashes as its leaves; the
    batch and each stolen hash's proof under the root the chain will record."""
    ctype = certs.type(type_name)
    binding = certs.store.binding_leaf(ctype, issuer.address).hex()
    tree = oa.MerkleTree([h.hex() for h in stolen])
    root = bytes.fromhex(oa.pair_hash(tree.root, binding))
    proofs = [
        (*(bytes.fromhex(p) for p in tree.proof(h.hex())), bytes.fromhex(binding)) for h in stolen
    ]
    return BatchRoot(bytes.fromhex(tree.root), 0, 0, root), proofs


def test_an_issuer_of_another_type_cannot_revoke_a_licence(
    gc: GovChain, certs: Certificates, actor: Actor, licences: list[Doc]
) -> None:
    """The bank (KYC issuer and revoker) puts a licence's target hash into its own KYC batch and
    revokes it there. Before the fix oa-verify then called the licence REVOKED while our
    verifier said VALID; now the licence's status belongs to the licence type."""
    bank, kyc = actor("bank-bob"), certs.type("kyc_attestation")
    ref = DocumentRef.of(licences[0])
    batch, proofs = _batch_holding(certs, bank, "kyc_attestation", [ref.target])
    certs.store.issue_root(bank, batch, kyc)
    stolen = DocumentRef(batch.root, ref.target, proofs[0], ref.leaf)
    certs.store.revoke(bank, stolen, "fraud")  # it marks a KYC certificate, nothing else
    with pytest.raises(MissingRole, match="BUSINESS_LICENCE_REVOKER_ROLE"):
        certs.store.revoke(bank, ref, "fraud")  # under the licence's own root: not its role
    with pytest.raises(MissingRole, match="BUSINESS_LICENCE_REVOKER_ROLE"):
        certs.store.revoke(bank, ref.whole_batch, "fraud")
    assert verdicts(gc, licences) == [True] * 4
    # shown under the bank's KYC root, the licence is refused (wrong store for that root)
    forged = json.loads(json.dumps(licences[0]))
    forged["signature"]["merkleRoot"] = batch.root.hex()
    forged["signature"]["proof"] = [p.hex() for p in stolen.proof]
    assert verdicts(gc, [forged]) == [False]


def test_an_interior_merkle_node_is_never_accepted_as_a_certificate(
    gc: GovChain, certs: Certificates, regulator: Sender, licences: list[Doc]
) -> None:
    ref = DocumentRef.of(licences[0])
    a, b = sorted((ref.target, ref.proof[0]))
    node = keccak(a + b)  # the parent of the first certificate: covers half the batch
    interior = DocumentRef(ref.root, node, ref.proof[1:], a + b)
    with pytest.raises(NotACertificate):
        certs.store.revoke(regulator, interior, "fraud")
    with pytest.raises(NotACertificate):
        certs.store.suspend(regulator, interior, "court_order")
    assert verdicts(gc, licences) == [True] * 4


def test_nobody_can_take_a_root_first_under_another_type_or_issuer(
    gc: GovChain, certs: Certificates, actor: Actor, regulator: Sender
) -> None:
    """Front-running: an attacker copies the root and binding proof from a pending issuance and
    sends it first, under its own type, or under the same type with its own key."""
    ctype = certs.type("business_licence")
    _, datas = certs.build(regulator.address, ctype.code, [licence()])
    documents, batches = certs.wrap(regulator.address, ctype, datas)
    pending = batches[0]
    bank, kyc = actor("bank-bob"), certs.type("kyc_attestation")
    clerk = actor("haidian")
    gc.directory.contract.transact(
        actor("bureau"),
        "grantRole",
        certs.store.contract.call("issuerRole", ctype.code),
        clerk.address,
    )
    # sent first with the pending batch: each gets a root bound to itself, never the issuer's
    taken = [
        certs.store.issue_root(bank, pending, kyc),
        certs.store.issue_root(clerk, pending, ctype),
    ]
    roots = [certs.store.contract.events(r)[0]["root"] for r in taken]
    assert pending.root not in roots and certs.store.issuance(pending.root) is None
    certs.store.issue_root(regulator, pending, ctype)  # the real issuer is not blocked
    record = certs.store.issuance(pending.root)
    assert record is not None and record.issuer == regulator.address
    assert verdicts(gc, documents) == [True]


def test_a_revoked_certificate_cannot_be_laundered_under_a_new_root(
    gc: GovChain, certs: Certificates, actor: Actor, regulator: Sender, licences: list[Doc]
) -> None:
    ctype = certs.type("business_licence")
    certs.revoke(regulator, licences[1], "fraud")
    ref = DocumentRef.of(licences[1])
    # its target hash "issued" on its own gets a root bound to the issuer, never the hash
    single = BatchRoot(ref.target, 0, 0, b"")
    receipt = certs.store.issue_root(regulator, single, ctype)
    assert certs.store.contract.events(receipt)[0]["root"] != ref.target
    alone = json.loads(json.dumps(licences[1]))
    alone["signature"].update(merkleRoot=ref.target.hex(), proof=[])
    # a new batch of the same type that holds the revoked certificate: the revocation follows it
    batch, proofs = _batch_holding(certs, regulator, "business_licence", [ref.target])
    laundered = json.loads(json.dumps(licences[1]))
    laundered["signature"].update(merkleRoot=batch.root.hex(), proof=[p.hex() for p in proofs[0]])
    assert verdicts(gc, [alone, laundered, licences[1], licences[2]]) == [False, False, False, True]


def test_hiding_the_dates_type_or_store_never_makes_a_certificate_valid(
    gc: GovChain, certs: Certificates, regulator: Sender
) -> None:
    past = datetime(2020, 1, 1, tzinfo=UTC)
    expired = certs.issue(
        regulator,
        "business_licence",
        licence(valid_from=past, valid_until=past + timedelta(days=30)),
    )
    future = datetime.now(UTC) + timedelta(days=10)
    early = certs.issue(regulator, "business_licence", licence(valid_from=future))
    good = certs.issue(regulator, "business_licence", licence())
    hidden = [
        certs.hide(expired, ["validUntil"]),
        certs.hide(expired, ["validUntil", "validFrom"]),
        certs.hide(early, ["validFrom"]),
        certs.hide(good, ["certificateType"]),  # the type comes from the chain
        certs.hide(good, ["issuers.0.documentStore"]),
    ]
    assert verdicts(gc, [expired, early, good, *hidden]) == [
        False,  # expired
        False,  # not yet valid
        True,
        False,  # expired, its end date hidden: the chain keeps the window
        False,
        False,  # not yet valid, its start date hidden
        True,  # type hidden: taken from the chain, still the licence it is
        False,  # store hidden: nobody can check it
    ]
    results = certs.verify_many(hidden)
    assert "expired" in results[0].check("validity dates").detail
    assert "hides" in results[4].check("store").detail


def test_a_document_claiming_another_type_than_issued_is_refused(
    gc: GovChain, certs: Certificates, regulator: Sender
) -> None:
    """The regulator issues (as BUSINESS_LICENCE) data claiming to be a food permit: the chain
    records the type, so the claim fails with both verifiers."""
    ctype = certs.type("business_licence")
    _, datas = certs.build(regulator.address, ctype.code, [licence()])
    datas[0]["certificateType"] = "FOOD_BUSINESS_PERMIT"
    documents, batches = certs.wrap(regulator.address, ctype, datas)
    certs.store.issue_root(regulator, batches[0], ctype)
    result = certs.verify(documents[0])
    assert (
        not result.check("issuer").ok
        and "claims FOOD_BUSINESS_PERMIT" in result.check("issuer").detail
    )
    # oa-verify knows nothing of types: it sees a licence-store document, issued and in force;
    # the type check is ours alone, so this is the one case where we are stricter
    assert not result.valid


def test_certificates_of_a_suspended_issuer_stay_valid_for_both_verifiers(
    gc: GovChain, certs: Certificates, actor: Actor, regulator: Sender, licences: list[Doc]
) -> None:
    gc.directory.suspend(actor("bureau"), regulator.address, "audit")
    assert verdicts(gc, licences) == [True] * 4


def test_a_batch_with_several_validity_windows_gets_one_root_per_window(
    gc: GovChain, certs: Certificates, regulator: Sender
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    drafts = [
        licence(valid_from=start, valid_until=start + timedelta(days=3650)),
        licence(valid_from=start, valid_until=start + timedelta(days=365)),
        licence(valid_from=start, valid_until=start + timedelta(days=3650)),
        licence(valid_from=start, valid_until=datetime(2026, 6, 1, tzinfo=UTC)),
    ]
    documents = certs.issue_batch(regulator, "business_licence", drafts)
    assert len({oa.merkle_root(d) for d in documents}) == 3
    assert [oa.get_data(d)["validUntil"][:10] for d in documents] == [
        "2035-12-30",
        "2027-01-01",
        "2035-12-30",
        "2026-06-01",
    ]
    assert verdicts(gc, documents) == [True, True, True, False]
