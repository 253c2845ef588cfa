"""No single key rules all: a committee of agencies (3 of 5 seats) with a timelock decides the
administrative changes; operators and guardians hold delegated powers only. Every attack below is
refused with a typed error and changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from govchain.chain.reverts import MissingRole
from govchain.chain.tx import Sender
from govchain.cli.main import cli
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.devnet.seed import COMMITTEE, GUARDIANS, seed_governance
from govchain.framework.casebase.errors import CasePaused
from govchain.framework.certificates.types import type_id
from govchain.framework.governance.client import Action, Committee
from govchain.framework.governance.errors import (
    AlreadySeated,
    AlreadyVoted,
    CommitteeOnly,
    CommitteeTooSmall,
    NoSeat,
    NotACommitteeMember,
    NotAnActiveAgency,
    ProposalState,
    SeatNotTransferable,
    SeatsOwnerOnly,
    TimelockNotReady,
    WrongProposalState,
)
from govchain.framework.governance.settings import DEV

Actor = Callable[[str], Sender]
NEWCOMER = "0x00000000000000000000000000000000000000A1"
CLERK = "0x00000000000000000000000000000000000000C1"


def addr(key: str) -> str:
    return cast.BY_KEY[key].address


@pytest.fixture
def committee(gc: GovChain) -> Iterator[Committee]:
    """The seeded platform handed over to the demo committee (inside the test's snapshot)."""
    seed_governance(gc, gc.sender(cast.bureau().account))
    travel(gc, 1)  # a member proposes with the seats it held a moment before
    yield gc.governance


def travel(gc: GovChain, seconds: int) -> None:
    gc.chain.rpc.call("evm_increaseTime", [seconds])
    gc.chain.rpc.call("evm_mine")


def propose_and_vote(
    gc: GovChain,
    committee: Committee,
    actor: Actor,
    actions: Sequence[Action],
    description: str,
    *,
    yes: Sequence[str] = COMMITTEE[:3],
    no: Sequence[str] = (),
) -> int:
    ref = committee.propose(actor(COMMITTEE[0]), actions, description)
    travel(gc, 1)  # the vote opens after the proposal's second (voting delay 0)
    for key in yes:
        committee.vote(actor(key), ref.id, "for")
    for key in no:
        committee.vote(actor(key), ref.id, "against")
    travel(gc, DEV.voting_period + 1)
    return ref.id


def decide(
    gc: GovChain, committee: Committee, actor: Actor, actions: Sequence[Action], text: str
) -> int:
    """Propose, 3 of 5 for, queue, wait for the timelock, execute."""
    pid = propose_and_vote(gc, committee, actor, actions, text)
    committee.queue(actor("commerce"), pid)
    travel(gc, DEV.timelock_delay + 1)
    committee.execute(actor("commerce"), pid)
    return pid


# -- the handover ----------------------------------------------------------------------------


def test_handover_leaves_the_deployer_no_power(gc: GovChain, committee: Committee) -> None:
    info = committee.info()
    bureau = cast.bureau().address
    assert info.handed_over
    assert info.holders["DEFAULT_ADMIN_ROLE"] == [committee.timelock.address]
    assert sorted(info.members) == sorted(addr(k) for k in COMMITTEE)
    assert info.threshold == 3 and info.timelock_delay == DEV.timelock_delay
    assert sorted(info.holders["GUARDIAN_ROLE"]) == sorted(addr(k) for k in GUARDIANS)
    assert info.holders["OPERATOR_ROLE"] == [bureau]
    assert not committee.timelock.call("hasRole", b"\0" * 32, bureau)
    assert seed_governance(gc, gc.sender(cast.bureau().account)) == []  # idempotent


# -- a single agency cannot --------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "operator", "guardian", "supervisor"])
def test_single_agency_cannot_grant_administrative_roles(
    gc: GovChain, committee: Committee, actor: Actor, role: str
) -> None:
    for key in ("bureau", "commerce"):  # the operator, and a committee member
        with pytest.raises(MissingRole, match="DEFAULT_ADMIN_ROLE"):
            gc.directory.grant(actor(key), addr("customs-beijing"), role)
    assert not gc.directory.has_role(addr("customs-beijing"), role)


def test_single_agency_cannot_revoke_the_committee(
    gc: GovChain, committee: Committee, actor: Actor
) -> None:
    with pytest.raises(MissingRole, match="DEFAULT_ADMIN_ROLE"):
        gc.directory.revoke(actor("bureau"), committee.timelock.address, "admin")
    with pytest.raises(MissingRole, match="DEFAULT_ADMIN_ROLE"):
        gc.directory.revoke(actor("bureau"), addr("commerce"), "guardian")
    assert gc.directory.has_role(committee.timelock.address, "admin")
    assert gc.directory.has_role(addr("commerce"), "guardian")


def test_single_agency_cannot_define_certificate_types(
    gc: GovChain, committee: Committee, actor: Actor
) -> None:
    before = len(gc.certificates.store.types(refresh=True))
    for key in ("bureau", "market-regulator"):
        with pytest.raises(MissingRole, match="DEFAULT_ADMIN_ROLE"):
            gc.certificates.store.define_type(actor(key), "fishing_licence")
    assert len(gc.certificates.store.types(refresh=True)) == before


def test_single_agency_cannot_register_or_suspend_an_agency(
    gc: GovChain, committee: Committee, actor: Actor
) -> None:
    with pytest.raises(MissingRole, match="DEFAULT_ADMIN_ROLE"):
        gc.directory.register(
            actor("bureau"), NEWCOMER, kind="agency", name="Shadow Bureau", district="beijing"
        )
    assert not gc.directory.is_registered(NEWCOMER)
    with pytest.raises(MissingRole, match="DEFAULT_ADMIN_ROLE"):
        gc.directory.suspend(actor("bureau"), addr("customs-beijing"), "audit")
    with pytest.raises(MissingRole, match="DEFAULT_ADMIN_ROLE"):  # an agency in disguise
        gc.directory.update(
            actor("bureau"), addr("merchant"), kind="agency", name="X", district="beijing"
        )
    assert gc.directory.is_active(addr("customs-beijing"))
    assert gc.directory.get(addr("merchant")).kind.name == "ENTERPRISE"


def test_only_the_committee_changes_seats_threshold_and_timelock(
    committee: Committee, actor: Actor
) -> None:
    member = actor("commerce")
    with pytest.raises(SeatsOwnerOnly):
        member.send(committee.seats.tx("addMember", addr("hr")))
    with pytest.raises(SeatsOwnerOnly):
        member.send(committee.seats.tx("removeMember", addr("finance")))
    with pytest.raises(CommitteeOnly):
        member.send(committee.governor.tx("setThreshold", 1))
    with pytest.raises(MissingRole, match="PROPOSER_ROLE"):
        member.send(committee.timelock.tx("schedule", NEWCOMER, 0, b"", b"\0" * 32, b"\1" * 32, 60))
    assert committee.info().threshold == 3 and len(committee.info().members) == 5


def test_non_members_cannot_propose_or_vote(
    gc: GovChain, committee: Committee, actor: Actor
) -> None:
    action = committee.grant(addr("customs-beijing"), "supervisor")
    with pytest.raises(NotACommitteeMember):
        committee.propose(actor("customs-beijing"), [action], "customs wants to supervise")
    ref = committee.propose(actor("commerce"), [action], "customs supervises")
    assert ref.id == 1  # proposals are numbered
    travel(gc, 1)
    with pytest.raises(NoSeat):
        committee.vote(actor("customs-beijing"), ref.id, "for")
    committee.vote(actor("commerce"), ref.id, "for")
    with pytest.raises(AlreadyVoted):
        committee.vote(actor("commerce"), ref.id, "for")
    status = committee.status(ref.id)
    assert status.votes_for == 1 and status.state is ProposalState.ACTIVE
    assert status.description == "customs supervises"
    assert status.voters == {addr("commerce"): "for"}


# -- the threshold and the timelock ------------------------------------------------------------


def test_two_of_five_votes_do_not_pass(gc: GovChain, committee: Committee, actor: Actor) -> None:
    action = committee.grant(addr("customs-beijing"), "guardian")
    pid = propose_and_vote(gc, committee, actor, [action], "2 of 5", yes=COMMITTEE[:2])
    assert committee.status(pid).state is ProposalState.DEFEATED
    with pytest.raises(WrongProposalState, match="defeated"):
        committee.queue(actor("commerce"), pid)
    with pytest.raises(WrongProposalState):
        committee.execute(actor("commerce"), pid)
    assert not gc.directory.has_role(addr("customs-beijing"), "guardian")


def test_more_against_than_for_does_not_pass(
    gc: GovChain, committee: Committee, actor: Actor
) -> None:
    """Three for reaches the threshold, but with six seats and three against it is no majority."""
    decide(gc, committee, actor, [committee.add_member(addr("hr"))], "a sixth seat")
    action = committee.grant(addr("customs-beijing"), "guardian")
    pid = propose_and_vote(
        gc, committee, actor, [action], "split", yes=COMMITTEE[:3], no=(*COMMITTEE[3:], "hr")
    )
    assert committee.status(pid).state is ProposalState.DEFEATED


def test_three_of_five_pass_but_wait_for_the_timelock(
    gc: GovChain, committee: Committee, actor: Actor
) -> None:
    action = committee.grant(addr("bank-bob"), "operator")
    pid = propose_and_vote(gc, committee, actor, [action], "Bank of Beijing as operator")
    status = committee.status(pid)
    assert status.state is ProposalState.SUCCEEDED and status.votes_for == 3
    assert status.threshold == 3
    assert "grantRole(OPERATOR_ROLE, Bank of Beijing" in status.actions[0].summary
    with pytest.raises(TimelockNotReady):  # cannot skip the queue
        committee.execute(actor("commerce"), pid)
    committee.queue(actor("commerce"), pid)
    assert committee.status(pid).state is ProposalState.QUEUED
    with pytest.raises(TimelockNotReady):
        committee.execute(actor("commerce"), pid)
    assert not gc.directory.has_role(addr("bank-bob"), "operator")
    travel(gc, DEV.timelock_delay + 1)
    committee.execute(actor("customs-beijing"), pid)  # anyone may execute a ready decision
    assert committee.status(pid).state is ProposalState.EXECUTED
    assert gc.directory.has_role(addr("bank-bob"), "operator")
    with pytest.raises(WrongProposalState):
        committee.execute(actor("commerce"), pid)


def test_committee_registers_an_agency_and_defines_a_type(
    gc: GovChain, committee: Committee, actor: Actor
) -> None:
    actions = [
        committee.register_agency(
            NEWCOMER, name="Beijing Fisheries Bureau", district="beijing", roles=["supervisor"]
        ),
        committee.define_type("fishing_licence"),
    ]
    decide(gc, committee, actor, actions, "a fisheries bureau and its licence")
    assert gc.directory.get(NEWCOMER).kind.name == "AGENCY"
    assert gc.directory.has_role(NEWCOMER, "supervisor")
    assert gc.directory.contract.call("typeCode", type_id("fishing_licence")) != 0


# -- the committee changes itself --------------------------------------------------------------


def test_committee_adds_and_removes_a_seat_by_vote(
    gc: GovChain, committee: Committee, actor: Actor
) -> None:
    decide(gc, committee, actor, [committee.add_member(addr("hr"))], "HR joins")
    assert addr("hr") in committee.info().members
    assert committee.seats.call("getVotes", addr("hr")) == 1
    decide(gc, committee, actor, [committee.remove_member(addr("finance"))], "finance leaves")
    members = committee.info().members
    assert addr("finance") not in members and len(members) == 5
    assert committee.seats.call("getVotes", addr("finance")) == 0
    travel(gc, 1)
    with pytest.raises(NotACommitteeMember):
        committee.propose(actor("finance"), [committee.define_type("x")], "from outside")


def test_seats_go_once_and_to_active_agencies_only(
    gc: GovChain, committee: Committee, actor: Actor
) -> None:
    for action, error in (
        (committee.add_member(addr("commerce")), AlreadySeated),
        (committee.add_member(addr("merchant")), NotAnActiveAgency),
    ):
        pid = propose_and_vote(gc, committee, actor, [action], f"seat {action.summary}")
        committee.queue(actor("commerce"), pid)
        travel(gc, DEV.timelock_delay + 1)
        with pytest.raises(error):
            committee.execute(actor("commerce"), pid)
    assert len(committee.info().members) == 5


def test_the_committee_never_shrinks_below_its_threshold(
    gc: GovChain, committee: Committee, actor: Actor
) -> None:
    actions = [committee.remove_member(addr(k)) for k in COMMITTEE[2:]]
    pid = propose_and_vote(gc, committee, actor, actions, "three leave at once")
    committee.queue(actor("commerce"), pid)
    travel(gc, DEV.timelock_delay + 1)
    with pytest.raises(CommitteeTooSmall):
        committee.execute(actor("commerce"), pid)
    assert len(committee.info().members) == 5
    actions = [committee.set_threshold(2), *actions[:1]]
    decide(gc, committee, actor, actions, "threshold 2, then one leaves")
    info = committee.info()
    assert info.threshold == 2 and len(info.members) == 4


def test_seats_are_not_transferable(committee: Committee, actor: Actor) -> None:
    commerce, hr = addr("commerce"), addr("hr")
    seat = committee.seats.call("seatOf", commerce)
    member = actor("commerce")
    for fn, args in (
        ("transferFrom", (commerce, hr, seat)),
        ("safeTransferFrom", (commerce, hr, seat)),
        ("approve", (hr, seat)),
        ("setApprovalForAll", (hr, True)),
        ("delegate", (hr,)),
    ):
        with pytest.raises(SeatNotTransferable):
            member.send(committee.seats.tx(fn, *args))
    assert committee.seats.call("ownerOf", seat) == commerce
    assert committee.seats.call("getVotes", commerce) == 1
    assert committee.seats.call("getVotes", hr) == 0


# -- the emergency pause -----------------------------------------------------------------------


def test_guardian_pauses_a_case_and_only_the_committee_unpauses(
    gc: GovChain, committee: Committee, actor: Actor
) -> None:
    port, broker = gc.port, actor("broker")
    port.submit(broker, "020220261000099991", port="CNTXG", region="beijing", goods=b"bl")
    with pytest.raises(MissingRole, match="GUARDIAN_ROLE"):  # not a guardian
        actor("customs-beijing").send(port.contract.tx("pause"))
    actor("commerce").send(port.contract.tx("pause"))  # a guardian, at once
    assert port.contract.call("paused") is True
    with pytest.raises(CasePaused, match="port case is paused"):
        port.accept(actor("customs-beijing"), "020220261000099991")
    with pytest.raises(CasePaused):
        port.submit(broker, "020220261000099992", port="CNTXG", region="beijing", goods=b"bl")
    assert port.get("020220261000099991").state == "submitted"
    for key in ("commerce", "bureau", "finance"):  # guardians, members: nobody alone
        with pytest.raises(MissingRole, match="DEFAULT_ADMIN_ROLE"):
            actor(key).send(port.contract.tx("unpause"))
    assert port.contract.call("paused") is True
    decide(gc, committee, actor, [committee.unpause(port.contract.name)], "port resumes")
    assert port.contract.call("paused") is False
    port.accept(actor("customs-beijing"), "020220261000099991")
    assert port.get("020220261000099991").state == "accepted"


def test_the_committee_may_pause_by_vote(gc: GovChain, committee: Committee, actor: Actor) -> None:
    logistics = gc.logistics
    decide(gc, committee, actor, [committee.pause(logistics.contract.name)], "halt logistics")
    assert logistics.contract.call("paused") is True
    with pytest.raises(CasePaused):
        actor("forwarder").send(logistics.contract.tx("anchorBatch", b"\1" * 32, 1))
    with pytest.raises(CasePaused):  # pausing twice
        actor("commerce").send(logistics.contract.tx("pause"))


# -- the operator: the daily work, nothing more ------------------------------------------------


def test_operator_registers_a_clerk_and_grants_operational_roles(
    gc: GovChain, committee: Committee, actor: Actor
) -> None:
    operator = actor("bureau")
    gc.directory.register(
        operator, CLERK, kind="enterprise", name="Clerk 1", district="haidian", roles=["merchant"]
    )
    gc.directory.grant(operator, CLERK, "declarant")
    assert gc.directory.has_active_role(CLERK, "merchant")
    assert gc.directory.has_active_role(CLERK, "declarant")
    for role in ("admin", "operator", "guardian", "supervisor"):
        with pytest.raises(MissingRole, match="DEFAULT_ADMIN_ROLE"):
            gc.directory.grant(operator, CLERK, role)
        assert not gc.directory.has_role(CLERK, role)
    with pytest.raises(MissingRole, match="DEFAULT_ADMIN_ROLE"):  # no admin role at birth
        gc.directory.register(
            operator, NEWCOMER, kind="bank", name="B", district="xicheng", roles=["operator"]
        )
    assert not gc.directory.is_registered(NEWCOMER)
    gc.directory.suspend(operator, CLERK, "audit")
    gc.directory.reactivate(operator, CLERK)
    gc.directory.revoke(operator, CLERK, "declarant")
    assert not gc.directory.has_role(CLERK, "declarant")


def test_without_operator_role_nobody_registers(
    gc: GovChain, committee: Committee, actor: Actor
) -> None:
    with pytest.raises(MissingRole, match="OPERATOR_ROLE"):
        gc.directory.register(
            actor("commerce"), CLERK, kind="enterprise", name="C", district="haidian"
        )
    with pytest.raises(MissingRole, match="OPERATOR_ROLE"):
        gc.directory.grant(actor("commerce"), addr("merchant"), "declarant")
    assert not gc.directory.is_registered(CLERK)


# -- the CLI -------------------------------------------------------------------------------------


def test_gov_cli_propose_vote_queue_execute_status(
    gc: GovChain, committee: Committee, cli_env: dict[str, str | None], tmp_path: Path
) -> None:
    def gov(*args: str) -> Result:
        result = CliRunner().invoke(cli, ["gov", *args], env=cli_env)
        assert "Traceback" not in result.output + result.stderr
        return result

    r = gov("propose", "grant", "bank-bob", "operator", "-m", "onboarding", "--from", "commerce")
    assert r.exit_code == 0, r.stderr
    assert "Proposal 1: grant OPERATOR_ROLE to Bank of Beijing" in r.output
    refused = gov(
        "propose", "grant", "bank-bob", "operator", "-m", "x", "--from", "customs-beijing"
    )
    assert refused.exit_code == 1 and refused.stderr.startswith("error: ")
    assert "holds no seat" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    travel(gc, 1)
    for key in ("commerce", "finance", "finreg"):
        assert gov("vote", "1", "for", "--from", key).exit_code == 0
    readable = gov("status", "1").output
    assert "Proposal 1: active" in readable and "3 for, 0 against" in readable
    assert "1. GovChainCore.grantRole(OPERATOR_ROLE, Bank of Beijing" in readable
    shown = json.loads(gov("status", "1", "--json").output)
    assert shown["state"] == "active" and shown["votes"]["for"] == 3 and shown["threshold"] == 3
    travel(gc, DEV.voting_period + 1)
    assert "is queued" in gov("queue", "1", "--from", "commerce").output
    early = gov("execute", "1", "--from", "commerce")
    assert early.exit_code == 1 and "timelock" in early.stderr
    travel(gc, DEV.timelock_delay + 1)
    assert "is executed" in gov("execute", "1", "--from", "commerce").output
    assert gc.directory.has_role(addr("bank-bob"), "operator")
    actions = tmp_path / "actions.json"
    actions.write_text(
        json.dumps([{"action": "threshold", "seats": 2}, {"action": "pause", "case": "port"}])
    )
    r = gov("propose", "file", str(actions), "-m", "two at once", "--from", "finance")
    assert r.exit_code == 0 and "Proposal 2" in r.output, r.stderr
    overview = gov("status")
    assert "5 seats, 3 votes for decide" in overview.output and "two at once" in overview.output
    data = json.loads(gov("status", "--json").output)
    assert data["handedOver"] and len(data["proposals"]) == 2 and data["paused"]["port"] is False
    assert gov("pause", "port", "--from", "bureau").exit_code == 0
    assert json.loads(gov("status", "--json").output)["paused"]["port"] is True
    bad = gov("pause", "nowhere", "--from", "bureau")
    assert bad.exit_code == 2 and "not a case" in bad.stderr
