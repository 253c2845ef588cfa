"""The role matrix: every state-changing function of every deployed contract, called (as an
``eth_call``, so nothing changes) by every demo participant and by an outsider. Whoever may not
call it is refused, and refused by an access rule (a missing role, not a party, not the owner),
not by some unrelated input check that would hide a missing one. Transitions of the cases are
tried at every step of their walkthroughs, batch entry points and document types included.

The test fails if a function of a deployed contract is in no probe, so a new function cannot
escape the matrix; it prints the count tried (``pytest -s``)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from eth_utils import keccak

from govchain.chain import artifacts
from govchain.chain.contracts import Contract
from govchain.chain.deploy import CORE
from govchain.chain.roles import role_id
from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.devnet.seed import COMMITTEE, seed_governance
from govchain.errors import ContractRevert
from govchain.framework.casebase import registry
from govchain.framework.casebase.client import CaseClient, ItemNotFound
from govchain.framework.certificates.registry import DocumentRef
from govchain.framework.codes import PURPOSES, REASONS
from govchain.framework.sharing.client import resource_id
from tests.test_case_framework import arguments, walkthrough
from tests.test_certificates import licence

Actor = Callable[[str], Sender]
OUTSIDER = "0x" + "0e" * 20
ADMIN = bytes(32)
OPERATOR = keccak(text="OPERATOR_ROLE")
GUARDIAN = keccak(text="GUARDIAN_ROLE")

#: Errors that refuse a caller for who it is.
ACCESS_ERRORS = {
    "AccessControlUnauthorizedAccount",
    "AccessControlBadConfirmation",
    "ParticipantNotRegistered",
    "ParticipantIsSuspended",
    "NotParty",
    "NotResourceOwner",
    "NotRequestParty",
    "NotDataSubject",
    "WrongRegion",
    "NotPortTerminal",
    "RefundNotClaimable",
    "OwnableUnauthorizedAccount",
    "SeatNotTransferable",
    "GovernorOnlyExecutor",
    "GovernorOnlyProposer",
    "TimelockUnauthorizedCaller",
    "NoSeat",
    "NotAMember",
    "GovernorRestrictedProposer",
    "GovernorInsufficientProposerVotes",
    "ERC721InsufficientApproval",
    "GovernorUnableToCancel",
    "NotThisDistrict",
    "NotEnrolled",
}

#: Entry points open to anyone by design: the caller proves nothing about itself (a signature
#: inside carries the authority), or the call only advances what others decided, or it is a
#: token-receiver callback.
OPEN = {
    ("DataSharing", "consentWithSignature"),
    ("GovCommittee", "castVoteBySig"),
    ("GovCommittee", "castVoteWithReasonAndParamsBySig"),
    ("GovCommittee", "queue"),
    ("GovCommittee", "execute"),
    ("GovCommittee", "onERC721Received"),
    ("GovCommittee", "onERC1155Received"),
    ("GovCommittee", "onERC1155BatchReceived"),
    ("CommitteeTimelock", "onERC721Received"),
    ("CommitteeTimelock", "onERC1155Received"),
    ("CommitteeTimelock", "onERC1155BatchReceived"),
}


@dataclass(frozen=True)
class Probe:
    """One call, and who may make it."""

    contract: Contract
    fn: str
    args: tuple[Any, ...]
    may: Callable[[str], bool]
    label: str = ""


def members() -> list[str]:
    return [m.address for m in cast.CAST] + [OUTSIDER]


def refusal(contract: Contract, fn: str, args: Sequence[Any], caller: str) -> str | None:
    """The error name if ``caller`` is refused, None if the call would go through."""
    try:
        contract.call(fn, *args, sender=caller)
    except ContractRevert as exc:
        return exc.error_name or "revert"
    return None


class Matrix:
    def __init__(self, gc: GovChain) -> None:
        self.core = gc.contract(CORE)
        self.tried = 0
        self.refused = 0
        self.functions: set[tuple[str, str]] = set()

    def holds(self, role: bytes) -> Callable[[str], bool]:
        return lambda who: who != OUTSIDER and bool(self.core.call("hasActiveRole", role, who))

    def run(self, probe: Probe) -> None:
        self.functions.add((probe.contract.name, probe.fn))
        for who in members():
            allowed = probe.may(who)
            error = refusal(probe.contract, probe.fn, probe.args, who)
            self.tried += 1
            if allowed:
                continue
            where = f"{probe.contract.name}.{probe.fn}{probe.label} by {who}"
            assert error is not None, f"{where} went through"
            assert error in ACCESS_ERRORS, f"{where} refused by {error}, not by an access rule"
            self.refused += 1


@pytest.fixture
def matrix(gc: GovChain) -> Iterator[Matrix]:
    m = Matrix(gc)
    yield m
    print(f"\nrole matrix: {m.refused} refusals checked over {m.tried} calls")


def test_framework_contracts(gc: GovChain, actor: Actor, matrix: Matrix) -> None:
    core = matrix.core
    admin = matrix.holds(ADMIN)
    # the two tiers: the administrator, or the operator for anyone but agencies and holders of
    # administrative roles (the sme, the retailer and a new enterprise here)
    manager = lambda who: admin(who) or matrix.holds(OPERATOR)(who)  # noqa: E731
    everyone_registered = lambda who: who != OUTSIDER  # noqa: E731
    certs, sharing = gc.certificates, gc.sharing
    regulator = actor("market-regulator")
    licence_type = certs.type("business_licence")
    issuer, revoker = (core.call(f, licence_type.code) for f in ("issuerRole", "revokerRole"))
    batch = certs.issue_batch(regulator, "business_licence", [licence(), licence("9111")])
    ref = DocumentRef.of(batch[0])
    _, datas = certs.build(regulator.address, licence_type.code, [licence()])
    _, fresh = certs.wrap(regulator.address, licence_type, datas)
    gc.directory.suspend(actor("bureau"), cast.BY_KEY["retailer"].address, "audit")
    merchant_role = role_id("MERCHANT_ROLE")
    role_admin = lambda role: matrix.holds(core.call("getRoleAdmin", role))  # noqa: E731
    probes = [
        Probe(core, "defineType", (keccak(text="NEW_TYPE"),), admin),
        Probe(core, "register", (OUTSIDER[:-2] + "01", 2, keccak(text="x"), 110108, []), manager),
        Probe(
            core,
            "register",
            (OUTSIDER[:-2] + "02", 1, keccak(text="x"), 110108, []),
            admin,
            " agency",
        ),
        Probe(core, "update", (cast.BY_KEY["sme"].address, 2, keccak(text="y"), 110108), manager),
        Probe(core, "suspend", (cast.BY_KEY["sme"].address, REASONS.code("audit")), manager),
        Probe(
            core, "suspend", (cast.BY_KEY["tax"].address, REASONS.code("audit")), admin, " agency"
        ),
        Probe(core, "reactivate", (cast.BY_KEY["retailer"].address,), manager),
        Probe(
            core,
            "grantRole",
            (merchant_role, cast.BY_KEY["sme"].address),
            lambda who: admin(who) or role_admin(merchant_role)(who),
        ),
        Probe(core, "grantRole", (ADMIN, cast.BY_KEY["sme"].address), role_admin(ADMIN), " admin"),
        Probe(
            core,
            "revokeRole",
            (merchant_role, cast.BY_KEY["merchant"].address),
            lambda who: admin(who) or role_admin(merchant_role)(who),
        ),
        Probe(
            core,
            "renounceRole",
            (merchant_role, cast.BY_KEY["merchant"].address),
            lambda who: who == cast.BY_KEY["merchant"].address,
        ),
        # open by design: the key proves itself (it hashes to the participant's address)
        Probe(core, "registerEncryptionKey", (_public_key("sme"),), lambda who: True),
        Probe(
            core, "issueCertificate", _issue_args(fresh[0], licence_type.code), matrix.holds(issuer)
        ),
        Probe(
            core,
            "bulkIssueCertificates",
            _bulk_args(fresh[0], licence_type.code),
            matrix.holds(issuer),
        ),
    ]
    leaf_args = (ref.root, ref.leaf, list(ref.proof))
    can_revoke = matrix.holds(revoker)
    probes += [
        Probe(core, "revokeCertificate", (*leaf_args, 1), can_revoke),
        Probe(core, "suspendCertificate", (*leaf_args, 1), can_revoke),
        Probe(core, "revokeBatch", (ref.root, 1), can_revoke),
        Probe(core, "suspendBatch", (ref.root, 1), can_revoke),
    ]
    certs.suspend(regulator, batch[1], "court_order")
    certs.store.suspend(regulator, ref.whole_batch, "court_order")
    other = DocumentRef.of(batch[1])
    probes += [
        Probe(
            core, "reinstateCertificate", (other.root, other.leaf, list(other.proof)), can_revoke
        ),
        Probe(core, "reinstateBatch", (ref.root,), can_revoke),
    ]
    # data sharing: a listed resource, a pending and a live request, a delivery
    ds = sharing.contract
    owner, requester = actor("social-insurance"), actor("hr")
    resource = "social-insurance/matrix"
    sharing.list_resource(
        owner, resource, title="t", schema=b"{}", sharing="on-approval", personal=True
    )
    rid_bytes = resource_id(resource)
    until = datetime.now(UTC) + timedelta(days=30)
    citizen = cast.BY_KEY["sme"].address
    pending, live = (
        sharing.request(
            requester, resource, purpose="unemployment-claim", wanted_expiry=until, subject=citizen
        )
        for _ in range(2)
    )
    sharing.approve(owner, live, expiry=until)
    sharing.consent(actor("sme"), live)
    delivery = sharing.deliver(owner, live, keccak(text="content"))
    is_ = lambda *keys: lambda who: who in {cast.BY_KEY[k].address for k in keys}  # noqa: E731
    probes += [
        Probe(
            ds,
            "listResource",
            (keccak(text="new"), keccak(text="t"), keccak(text="s"), 2, False),
            everyone_registered,
        ),
        Probe(ds, "changeResource", (rid_bytes, 2, True), is_("social-insurance")),
        Probe(
            ds,
            "request",
            (rid_bytes, citizen, PURPOSES.code("unemployment-claim"), int(until.timestamp())),
            everyone_registered,
        ),
        Probe(ds, "approve", (pending, 0, bytes(32)), is_("social-insurance")),
        Probe(ds, "reject", (pending, REASONS.code("no-legal-basis")), is_("social-insurance")),
        Probe(ds, "revoke", (live,), is_("social-insurance", "sme")),
        Probe(ds, "deliver", (live, keccak(text="more")), is_("social-insurance")),
        Probe(ds, "acknowledge", (live, delivery, keccak(text="content")), is_("hr")),
    ]
    sharing.approve(owner, pending, expiry=until)
    probes.append(Probe(ds, "consent", (pending,), is_("sme")))
    claims = gc.contract("ClaimRegistry")  # only enrolled hubs open and close claims
    nobody = lambda who: False  # noqa: E731
    probes += [
        Probe(claims, "enrol", (OUTSIDER, True), admin),
        Probe(claims, "open", (keccak(text="person"), keccak(text="claim")), nobody),
        Probe(claims, "close", (keccak(text="person"), keccak(text="claim")), nobody),
    ]
    for probe in probes:
        matrix.run(probe)
    _check_covered(matrix, ["GovChainCore", "DataSharing", "ClaimRegistry"])


def _public_key(key: str) -> bytes:
    account = cast.BY_KEY[key].account
    return bytes(account._key_obj.public_key.to_bytes())


def _issue_args(batch: Any, code: int) -> tuple[Any, ...]:
    return (batch.batch, code, batch.first_day, batch.last_day)


def _bulk_args(batch: Any, code: int) -> tuple[Any, ...]:
    return ([batch.batch], code, [batch.first_day], [batch.last_day])


_fresh = itertools.count(500)


@pytest.mark.parametrize("name", [c.name for c in registry.cases()])
def test_case_contracts(gc: GovChain, actor: Actor, matrix: Matrix, name: str) -> None:
    client = gc.case(name)
    spec = client.spec
    guide = walkthrough(spec)
    for path in guide.paths:
        reference = guide.reference(next(_fresh))
        for method, who, args in path:
            verb = spec.verb(method)
            prepared = client.prepare(method, actor(who), reference, **arguments(args))
            fn, call_args = _decoded(client, prepared.tx.data)
            may = matrix.holds(role_id(verb.role))
            matrix.run(Probe(client.contract, fn, call_args, may, f"[{method}]"))
            if verb.batch and not verb.files:
                item = client.resolve(reference, spec.kind(verb.kind))
                ref = call_args[2] if fn == "step" else bytes(32)
                matrix.run(
                    Probe(
                        client.contract, "stepBatch", (verb.code, [item], [ref]), may, f"[{method}]"
                    )
                )
            ready = guide.arguments(client, actor, (method, who, args), reference)
            client.act(method, actor(who), reference, **arguments(ready))
        _documents(client, matrix, reference)
    _case_extras(gc, client, matrix)
    _check_covered(matrix, [client.contract.name])


def _decoded(client: CaseClient, data: str | bytes) -> tuple[str, tuple[Any, ...]]:
    fn, args = client.contract.iface.decode_call(data)
    return fn, tuple(args)


def _documents(client: CaseClient, matrix: Matrix, reference: str) -> None:
    """Every document type on an item, by everyone: only its role (and a party) may anchor."""
    if not client.spec.documents:  # a case without documents: nobody anchors any
        item = client.resolve(reference, client.spec.kinds[0])
        for who in members():
            error = refusal(client.contract, "anchorDocument", (item, 1, keccak(text="d")), who)
            assert error == "UnknownDocumentType", (who, error)
        matrix.functions.add((client.contract.name, "anchorDocument"))
    for doc in client.spec.documents:
        try:  # on this path's item of the document's kind, if the path made one
            item = client.resolve(reference, doc.kind)
        except ItemNotFound:
            continue
        rule = client.contract.call("documentRule", doc.code)
        matrix.run(
            Probe(
                client.contract,
                "anchorDocument",
                (item, doc.code, keccak(text=f"doc {doc.code}")),
                matrix.holds(bytes(rule["role"])),
                f"[{doc.name}]",
            )
        )


def _case_extras(gc: GovChain, client: CaseClient, matrix: Matrix) -> None:
    """Entry points outside the transition table."""
    contract = client.contract
    fns = {f for f in contract.iface.functions}
    admin = matrix.holds(ADMIN)
    if "registerRegion" in fns:
        matrix.run(Probe(contract, "registerRegion", (130200,), admin))
        terminal = cast.BY_KEY["terminal-hebei"].address
        matrix.run(
            Probe(contract, "registerPort", (b"CNNEW".ljust(32, b"\0"), 130000, terminal), admin)
        )
    if "anchorBatch" in fns:
        airport, logistics = (role_id(r) for r in ("AIRPORT_ROLE", "LOGISTICS_ROLE"))
        may = lambda who: matrix.holds(airport)(who) or matrix.holds(logistics)(who)  # noqa: E731
        matrix.run(Probe(contract, "anchorBatch", (keccak(text="root"), 10), may))
    if "pause" in fns:
        guardian = matrix.holds(GUARDIAN)
        matrix.run(Probe(contract, "pause", (), lambda who: admin(who) or guardian(who)))
        contract.transact(gc.sender(cast.bureau().account), "pause")
        matrix.run(Probe(contract, "unpause", (), admin))
    if "defineService" in fns:  # a district hub's catalogue: its own office only
        own = cast.BY_KEY[client.spec.name].address  # this district's office, no other
        office = lambda who: who == own  # noqa: E731
        service = (99, [role_id("TAX_ROLE")], [5], [], [])
        matrix.run(Probe(contract, "defineService", service, office))
        matrix.run(Probe(contract, "retireService", (1,), office))
    if "submitBatch" in fns:
        declarant = role_id("DECLARANT_ROLE")
        key = client.key(client.spec.kinds[0], "020220269990000001")
        filing = (key, b"CNTXG".ljust(32, b"\0"), 110000, keccak(text="goods"))
        matrix.run(Probe(contract, "submitBatch", ([filing],), matrix.holds(declarant)))


def _check_covered(matrix: Matrix, names: Sequence[str]) -> None:
    for name in names:
        iface = artifacts.interface(name)
        writes = {
            f["name"]
            for fs in iface.functions.values()
            for f in fs
            if f.get("stateMutability") not in ("view", "pure")
        }
        missing = sorted(
            w for w in writes if (name, w) not in matrix.functions and (name, w) not in OPEN
        )
        assert not missing, f"{name}: no probe for {missing}"


def test_governance_contracts(gc: GovChain, actor: Actor, matrix: Matrix) -> None:
    """After the handover to the demo committee: the committee's own contracts, and the
    directory's administrator powers, now the timelock's alone."""
    seed_governance(gc, gc.sender(cast.bureau().account))
    gc.chain.rpc.call("evm_increaseTime", [1])
    gc.chain.rpc.call("evm_mine")
    committee = gc.governance
    seats, governor, timelock = committee.seats, committee.governor, committee.timelock
    nobody = lambda who: False  # noqa: E731
    members = {cast.BY_KEY[k].address for k in COMMITTEE}
    member = lambda who: who in members  # noqa: E731
    proposer = actor("commerce")
    action = committee.set_threshold(3)
    ref = committee.propose(proposer, [action], "matrix: a pending proposal")
    pending = (
        [action.target],
        [action.value],
        [action.data],
        keccak(text="matrix: a pending proposal"),
    )
    # the same second: the proposal is pending, only its proposer may cancel it
    matrix.run(Probe(governor, "cancel", (ref.id,), lambda who: who == proposer.address))
    matrix.run(Probe(governor, "cancel", pending, lambda who: who == proposer.address, " (4 args)"))
    gc.chain.rpc.call("evm_increaseTime", [1])
    gc.chain.rpc.call("evm_mine")
    a_seat = seats.call("seatOf", proposer.address)
    probes = [
        Probe(seats, "addMember", (cast.BY_KEY["tax"].address,), nobody),
        Probe(seats, "removeMember", (proposer.address,), nobody),
        Probe(seats, "transferOwnership", (proposer.address,), nobody),
        Probe(seats, "transferFrom", (proposer.address, OUTSIDER, a_seat), nobody),
        Probe(seats, "safeTransferFrom", (proposer.address, OUTSIDER, a_seat), nobody),
        Probe(
            seats, "safeTransferFrom", (proposer.address, OUTSIDER, a_seat, b""), nobody, " (data)"
        ),
        Probe(governor, "propose", ([action.target], [0], [action.data], "another"), member),
        Probe(governor, "castVote", (ref.id, 1), member),
        Probe(governor, "castVoteWithReason", (ref.id, 1, "why"), member),
        Probe(governor, "castVoteWithReasonAndParams", (ref.id, 1, "why", b""), member),
        Probe(governor, "relay", (OUTSIDER, 0, b""), nobody),
        Probe(governor, "setThreshold", (2,), nobody),
        Probe(governor, "setVotingDelay", (0,), nobody),
        Probe(governor, "setVotingPeriod", (600,), nobody),
        Probe(governor, "setProposalThreshold", (0,), nobody),
        Probe(governor, "updateTimelock", (OUTSIDER,), nobody),
        Probe(timelock, "schedule", (OUTSIDER, 0, b"", bytes(32), bytes(32), 10**6), nobody),
        Probe(
            timelock, "scheduleBatch", ([OUTSIDER], [0], [b""], bytes(32), bytes(32), 10**6), nobody
        ),
        Probe(timelock, "cancel", (keccak(text="op"),), nobody),
        Probe(timelock, "execute", (OUTSIDER, 0, b"", bytes(32), bytes(32)), nobody),
        Probe(timelock, "executeBatch", ([OUTSIDER], [0], [b""], bytes(32), bytes(32)), nobody),
        Probe(timelock, "grantRole", (bytes(32), proposer.address), nobody),
        Probe(timelock, "revokeRole", (bytes(32), timelock.address), nobody),
        Probe(timelock, "renounceRole", (bytes(32), timelock.address), nobody),
        Probe(timelock, "updateDelay", (0,), nobody),
    ]
    for probe in probes:
        matrix.run(probe)
    _check_covered(matrix, ["CommitteeSeats", "GovCommittee", "CommitteeTimelock"])
    # and the directory's administrator powers belong to no participant any more
    admin_only = [
        Probe(matrix.core, "defineType", (keccak(text="AFTER"),), nobody),
        Probe(matrix.core, "grantRole", (ADMIN, proposer.address), nobody),
        Probe(matrix.core, "grantRole", (GUARDIAN, proposer.address), nobody),
        Probe(
            matrix.core, "register", (OUTSIDER[:-2] + "03", 1, keccak(text="a"), 110108, []), nobody
        ),
    ]
    for probe in admin_only:
        matrix.run(probe)
