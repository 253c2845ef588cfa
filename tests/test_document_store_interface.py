"""OpenAttestation's DocumentStore interface, checked against the reference ABI of the npm package
``@govtechsg/document-store`` (pinned in package.json).

Each certificate type's store (``CertificateTypeStore``) has every function of the reference with
the same inputs and outputs, and answers them for its own type; the events ``DocumentIssued`` and
``DocumentRevoked`` come with the reference's signatures from the certificate store (GovChainCore)
for every type, and the role events from the participant directory (the same contract). The
calls below go through web3.py with the reference ABI, as a tool built for OpenAttestation does.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from eth_utils import keccak, to_checksum_address
from web3.contract import Contract as Web3Contract

from govchain.chain import artifacts
from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.framework.certificates.registry import DocumentRef, UseCertificateStore
from govchain.framework.certificates.service import Certificates
from govchain.framework.certificates.types import issuer_role_id, revoker_role_id
from tests.conftest import REPO
from tests.test_certificates import licence

Actor = Callable[[str], Sender]
ABI = list[dict[str, Any]]

# Reference entries that do not apply to a type store, with the reason.
NOT_APPLICABLE = {
    ("event", "Initialized"): "type stores are clones with an immutable type code: no initializer",
}
# Reference events emitted by the certificate store / participant directory (GovChainCore).
FROM_CORE = {"DocumentIssued", "DocumentRevoked", "RoleGranted", "RoleRevoked", "RoleAdminChanged"}


@pytest.fixture(scope="module")
def reference() -> ABI:
    done = subprocess.run(
        ["node", str(REPO / "tests" / "js" / "document_store_abi.js")],
        capture_output=True, text=True, timeout=60, cwd=REPO, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["package"] == "@govtechsg/document-store" and out["version"] == "3.0.0"
    abi: ABI = out["abi"]
    return abi


def signature(entry: dict[str, Any]) -> tuple[Any, ...]:
    """What must match: kind, name, input types (and indexed flags), output types."""
    inputs = tuple((i["type"], bool(i.get("indexed"))) for i in entry.get("inputs", []))
    outputs = tuple(o["type"] for o in entry.get("outputs", []))
    return entry["type"], entry["name"], inputs, outputs


def by_name(abi: ABI, kind: str) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in abi if e["type"] == kind}


def test_every_reference_function_and_event_exists_with_its_signature(reference: ABI) -> None:
    store = artifacts.load("CertificateTypeStore").abi
    core = artifacts.load("GovChainCore").abi
    ours = {"function": by_name(store, "function"), "event": by_name(core, "event")}
    checked = []
    for entry in reference:
        if entry["type"] not in ("function", "event"):
            continue  # the constructor: type stores are created by the certificate store
        key = (entry["type"], entry["name"])
        if key in NOT_APPLICABLE:
            continue
        if entry["type"] == "event":
            assert entry["name"] in FROM_CORE, entry["name"]
        mine = ours[entry["type"]].get(entry["name"])
        assert mine is not None, f"{key} is missing"
        assert signature(mine) == signature(entry), f"{key}: {signature(mine)}"
        if entry.get("stateMutability") in ("view", "pure"):  # reads stay calls
            assert mine["stateMutability"] in ("view", "pure"), key
        checked.append(key)
    functions = [name for kind, name in checked if kind == "function"]
    assert len(functions) == 22 and len(checked) == 27  # everything the reference has
    # the store itself emits nothing: no event in its ABI that a tool could wait for in vain
    assert by_name(store, "event") == {}


def reference_contract(gc: GovChain, abi: ABI, address: str) -> Web3Contract:
    return gc.web3.eth.contract(address=to_checksum_address(address), abi=abi)


def test_a_type_store_answers_the_reference_calls_for_its_own_type(
    gc: GovChain, certs: Certificates, regulator: Sender, actor: Actor, reference: ABI
) -> None:
    licence_type, kyc_type = certs.type("business_licence"), certs.type("kyc_attestation")
    store = reference_contract(gc, reference, licence_type.store).functions
    other = reference_contract(gc, reference, kyc_type.store).functions
    documents = certs.issue_batch(regulator, "business_licence", [licence(), licence("X1")])
    ref = DocumentRef.of(documents[0])
    issued = certs.store.issuance(ref.root)
    assert issued is not None
    at = issued.block_number

    assert store.version().call() == "1.0.0"
    assert store.name().call() == "GovChain Certificates"
    assert store.isIssued(ref.root).call() and not other.isIssued(ref.root).call()
    assert store.getIssuedBlock(ref.root).call() == store.documentIssued(ref.root).call() == at
    assert store.isIssuedBefore(ref.root, at).call()
    assert not store.isIssuedBefore(ref.root, at - 1).call()
    assert not other.isIssuedBefore(ref.root, at).call()
    assert not store.isRevoked(ref.target).call() and store.documentRevoked(ref.target).call() == 0

    revoked = certs.revoke(regulator, documents[0], "fraud").block_number
    assert store.isRevoked(ref.target).call() and not other.isRevoked(ref.target).call()
    assert store.documentRevoked(ref.target).call() == revoked
    assert store.isRevokedBefore(ref.target, revoked).call()
    assert not store.isRevokedBefore(ref.target, revoked - 1).call()
    assert not store.isRevoked(ref.root).call()  # the other certificate is still in force

    # a whole batch: suspended (OpenAttestation sees it revoked), then reinstated
    suspended = certs.suspend(regulator, documents[1], "court_order", whole_batch=True)
    assert store.isRevoked(ref.root).call()
    assert store.documentRevoked(ref.root).call() == suspended.block_number
    assert store.isRevokedBefore(ref.root, suspended.block_number).call()
    certs.reinstate(regulator, documents[1], whole_batch=True)
    assert not store.isRevoked(ref.root).call() and store.documentRevoked(ref.root).call() == 0
    assert not store.isRevokedBefore(ref.root, 2**256 - 1).call()


def test_reference_role_names_are_the_types_issuer_and_revoker_roles(
    gc: GovChain, certs: Certificates, regulator: Sender, actor: Actor, reference: ABI
) -> None:
    licence_type, kyc_type = certs.type("business_licence"), certs.type("kyc_attestation")
    store = reference_contract(gc, reference, licence_type.store).functions
    other = reference_contract(gc, reference, kyc_type.store).functions
    core = gc.certificates.store.contract
    issuer_role, revoker_role = store.ISSUER_ROLE().call(), store.REVOKER_ROLE().call()
    assert issuer_role == keccak(text="ISSUER_ROLE") and revoker_role == keccak(text="REVOKER_ROLE")
    assert store.DEFAULT_ADMIN_ROLE().call() == b"\0" * 32

    customs = actor("customs-beijing").address
    for who in (regulator.address, customs, gc.book.deployer):
        type_issuer = core.call("hasActiveRole", issuer_role_id(licence_type.code), who)
        type_revoker = core.call("hasActiveRole", revoker_role_id(licence_type.code), who)
        assert store.hasRole(issuer_role, who).call() == type_issuer
        assert store.hasRole(revoker_role, who).call() == type_revoker
        assert other.hasRole(issuer_role, who).call() == core.call(
            "hasActiveRole", issuer_role_id(kyc_type.code), who
        )
        admin = core.call("hasActiveRole", b"\0" * 32, who)
        assert store.hasRole(b"\0" * 32, who).call() == admin
    assert store.hasRole(issuer_role, regulator.address).call()
    assert store.hasRole(revoker_role, regulator.address).call()
    assert not store.hasRole(issuer_role, customs).call()
    # a role answers "may act now": not while its holder is suspended
    gc.directory.suspend(actor("bureau"), regulator.address, "audit")
    assert not store.hasRole(issuer_role, regulator.address).call()
    assert core.call("hasRole", issuer_role_id(licence_type.code), regulator.address)
    operator = core.call("OPERATOR_ROLE")
    assert store.getRoleAdmin(issuer_role).call() == operator
    assert store.getRoleAdmin(b"\0" * 32).call() == b"\0" * 32


def test_the_certificate_store_emits_the_reference_events(
    gc: GovChain, certs: Certificates, regulator: Sender, reference: ABI
) -> None:
    core = reference_contract(gc, reference, gc.certificates.store.address)
    start = gc.chain.block_number() + 1
    document = certs.issue(regulator, "business_licence", licence())
    ref = DocumentRef.of(document)
    certs.revoke(regulator, document, "fraud")
    issued = core.events.DocumentIssued().get_logs(from_block=start)
    revoked = core.events.DocumentRevoked().get_logs(from_block=start)
    assert [bytes(e["args"]["document"]) for e in issued] == [ref.root]
    assert [bytes(e["args"]["document"]) for e in revoked] == [ref.target]


def test_writes_through_a_type_store_are_refused_with_where_to_go(
    certs: Certificates, regulator: Sender
) -> None:
    store = certs.store.type_store(certs.type("business_licence"))
    root = b"\1" * 32
    for fn, args in [
        ("issue", (root,)),
        ("bulkIssue", ([root],)),
        ("revoke", (root,)),
        ("bulkRevoke", ([root],)),
        ("grantRole", (keccak(text="ISSUER_ROLE"), regulator.address)),
        ("revokeRole", (keccak(text="ISSUER_ROLE"), regulator.address)),
        ("renounceRole", (keccak(text="ISSUER_ROLE"), regulator.address)),
    ]:
        with pytest.raises(UseCertificateStore) as refused:
            store.transact(regulator, fn, *args)
        assert certs.store.address.lower() in str(refused.value).lower(), fn
