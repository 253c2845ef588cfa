"""SDK for the governance committee: build actions, propose, vote, queue, execute, read status.

A proposal is a list of :class:`Action` (calls the committee's timelock will make) and a
description. Its life: pending -> active (members vote for / against / abstain) -> succeeded
(at least ``threshold`` votes for, more for than against, once the vote is over) or defeated ->
queued (the timelock delay runs) -> executed.

    committee = gc.governance
    action = committee.grant("bank-bob-address", "operator")
    ref = committee.propose(commerce, [action], "Bank of Beijing's back office as operator")
    committee.vote(finance, ref.id, "for")
    ...
    committee.queue(commerce, ref.id)      # after the vote closed
    committee.execute(commerce, ref.id)    # after the timelock delay
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from govchain.chain import labels
from govchain.chain.abi import AbiEntry, decode_params
from govchain.chain.chain import Receipt
from govchain.chain.contracts import Contract
from govchain.chain.roles import role_id, role_name
from govchain.chain.tx import Sender, TxRequest
from govchain.errors import GovChainError, InputError
from govchain.framework.certificates.types import normalise_name, type_id
from govchain.framework.directory import Directory, Kind, parse_address, reason_code
from govchain.framework.governance.errors import ProposalState
from govchain.hashing import to_checksum_address

if TYPE_CHECKING:
    from govchain.framework.index import EventIndex

#: How a member votes, as OpenZeppelin's GovernorCountingSimple counts.
SUPPORT = {"against": 0, "for": 1, "abstain": 2}
ADMIN_ROLES = ("DEFAULT_ADMIN_ROLE", "OPERATOR_ROLE", "GUARDIAN_ROLE")


@dataclass(frozen=True)
class Action:
    """One call the committee's timelock makes when the proposal is executed."""

    target: str
    data: bytes
    value: int = 0
    summary: str = ""

    @classmethod
    def of(cls, tx: TxRequest, summary: str = "") -> Action:
        if tx.to is None:
            raise InputError("A committee action calls a contract; it cannot deploy one.")
        return cls(to_checksum_address(tx.to), tx.data, tx.value, summary or tx.context)

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "value": self.value,
            "data": "0x" + self.data.hex(),
            "summary": self.summary,
        }


@dataclass(frozen=True)
class ProposalRef:
    id: int
    receipt: Receipt


@dataclass
class ProposalStatus:
    id: int
    state: ProposalState
    proposer: str
    description: str
    actions: list[Action]
    votes_for: int
    votes_against: int
    votes_abstain: int
    threshold: int
    vote_start: datetime
    vote_end: datetime
    eta: datetime | None
    voters: dict[str, str] = field(default_factory=dict)  # address -> for/against/abstain

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "state": self.state.label,
            "proposer": self.proposer,
            "description": self.description,
            "actions": [a.as_dict() for a in self.actions],
            "votes": {
                "for": self.votes_for,
                "against": self.votes_against,
                "abstain": self.votes_abstain,
            },
            "threshold": self.threshold,
            "voteStart": self.vote_start.isoformat(),
            "voteEnd": self.vote_end.isoformat(),
            "eta": self.eta.isoformat() if self.eta else None,
            "voters": self.voters,
        }


@dataclass(frozen=True)
class CommitteeInfo:
    governor: str
    timelock: str
    seats: str
    members: list[str]
    threshold: int
    voting_delay: int
    voting_period: int
    timelock_delay: int
    seats_owner: str
    holders: dict[str, list[str]]  # administrative role -> accounts holding it

    @property
    def handed_over(self) -> bool:
        """True once the committee's timelock is the only administrator and owns the seats."""
        admins = self.holders.get("DEFAULT_ADMIN_ROLE", [])
        return admins == [self.timelock] and self.seats_owner == self.timelock

    def as_dict(self) -> dict[str, Any]:
        return {
            "governor": self.governor,
            "timelock": self.timelock,
            "seats": self.seats,
            "members": self.members,
            "threshold": self.threshold,
            "votingDelay": self.voting_delay,
            "votingPeriod": self.voting_period,
            "timelockDelay": self.timelock_delay,
            "seatsOwner": self.seats_owner,
            "roles": self.holders,
            "handedOver": self.handed_over,
        }


class Committee:
    """The governance committee: its governor, seats and timelock, and the contracts it governs
    (``contracts``: every contract of the address book, by name)."""

    def __init__(
        self,
        governor: Contract,
        seats: Contract,
        timelock: Contract,
        directory: Directory,
        contracts: dict[str, Contract],
        index: EventIndex | None = None,
    ) -> None:
        self.governor = governor
        self.seats = seats
        self.timelock = timelock
        self.directory = directory
        self.contracts = contracts
        self.index = index
        self._by_address = {c.address: c for c in contracts.values()}

    # -- actions ---------------------------------------------------------------------------
    def grant(self, account: str, role: str) -> Action:
        """Grant ``role`` (any role; administrative roles only the committee may grant)."""
        address = parse_address(account)
        tx = self.directory.contract.tx("grantRole", role_id(role), address)
        return Action.of(tx, f"grant {role_name(role_id(role))} to {labels.describe(address)}")

    def revoke(self, account: str, role: str) -> Action:
        address = parse_address(account)
        tx = self.directory.contract.tx("revokeRole", role_id(role), address)
        return Action.of(tx, f"revoke {role_name(role_id(role))} from {labels.describe(address)}")

    def register_agency(
        self, account: str, *, name: str, district: int | str, roles: Iterable[str] = ()
    ) -> Action:
        """Register ``account`` as an agency (with ``roles``)."""
        tx = self.directory.register_tx(
            account, kind=Kind.AGENCY, name=name, district=district, roles=roles
        )
        return Action.of(tx, f"register the agency {name} ({parse_address(account)})")

    def suspend(self, account: str, reason: str) -> Action:
        address = parse_address(account)
        tx = self.directory.contract.tx("suspend", address, reason_code(reason))
        return Action.of(tx, f"suspend {labels.describe(address)} ({reason})")

    def reactivate(self, account: str) -> Action:
        address = parse_address(account)
        tx = self.directory.contract.tx("reactivate", address)
        return Action.of(tx, f"reactivate {labels.describe(address)}")

    def define_type(self, name: str) -> Action:
        """Define certificate type ``name``."""
        canonical = normalise_name(name)
        tx = self.directory.contract.tx("defineType", type_id(canonical))
        return Action.of(tx, f"define the certificate type {canonical}")

    def pause(self, contract: str) -> Action:
        """Pause case contract ``contract`` (a guardian may also pause at once)."""
        return Action.of(self._contract(contract).tx("pause"), f"pause {contract}")

    def unpause(self, contract: str) -> Action:
        return Action.of(self._contract(contract).tx("unpause"), f"unpause {contract}")

    def add_member(self, account: str) -> Action:
        address = parse_address(account)
        tx = self.seats.tx("addMember", address)
        return Action.of(tx, f"give {labels.describe(address)} a committee seat")

    def remove_member(self, account: str) -> Action:
        address = parse_address(account)
        tx = self.seats.tx("removeMember", address)
        return Action.of(tx, f"take back the committee seat of {labels.describe(address)}")

    def set_threshold(self, seats: int) -> Action:
        if seats < 1:
            raise InputError("The threshold is at least one seat.")
        return Action.of(self.governor.tx("setThreshold", seats), f"threshold: {seats} seats")

    def set_voting_period(self, seconds: int) -> Action:
        tx = self.governor.tx("setVotingPeriod", seconds)
        return Action.of(tx, f"voting period: {seconds} s")

    def set_voting_delay(self, seconds: int) -> Action:
        return Action.of(self.governor.tx("setVotingDelay", seconds), f"voting delay: {seconds} s")

    def set_timelock_delay(self, seconds: int) -> Action:
        tx = self.timelock.tx("updateDelay", seconds)
        return Action.of(tx, f"timelock delay: {seconds} s")

    def call(self, contract: str, function: str, *args: Any) -> Action:
        """Any call of a contract of the address book."""
        target = self._contract(contract)
        return Action.of(target.tx(function, *args), f"{contract}.{function}")

    # -- the proposal's life ---------------------------------------------------------------
    def propose(self, sender: Sender, actions: Sequence[Action], description: str) -> ProposalRef:
        """Propose ``actions`` (a member only); returns the proposal's id."""
        if not actions:
            raise InputError("A proposal needs at least one action.")
        if not description.strip():
            raise InputError("A proposal needs a description (what and why).")
        receipt = self.governor.transact(
            sender,
            "propose",
            [a.target for a in actions],
            [a.value for a in actions],
            [a.data for a in actions],
            description,
        )
        created = self.governor.events(receipt, "ProposalCreated")
        return ProposalRef(int(created[0]["proposalId"]), receipt)

    def vote(self, sender: Sender, proposal_id: int, support: str, reason: str = "") -> Receipt:
        """Vote ``for``, ``against`` or ``abstain`` (a member, while the vote is open)."""
        choice = SUPPORT.get(support.strip().lower())
        if choice is None:
            raise InputError(f"'{support}' is not a vote: for, against or abstain.")
        return self.governor.transact(
            sender, "castVoteWithReason", int(proposal_id), choice, reason
        )

    def queue(self, sender: Sender, proposal_id: int) -> Receipt:
        """Put a passed proposal into the timelock (anyone, once the vote is over)."""
        return self.governor.transact(sender, "queue", int(proposal_id))

    def execute(self, sender: Sender, proposal_id: int) -> Receipt:
        """Execute a queued proposal (anyone, once the timelock delay has passed)."""
        return self.governor.transact(sender, "execute", int(proposal_id))

    def cancel(self, sender: Sender, proposal_id: int) -> Receipt:
        """Withdraw a proposal (its proposer, before the vote starts)."""
        return self.governor.transact(sender, "cancel", int(proposal_id))

    # -- reads -----------------------------------------------------------------------------
    def status(self, proposal_id: int) -> ProposalStatus:
        """Everything about one proposal."""
        pid = int(proposal_id)
        reads = self.governor.call_many(
            [
                ("state", (pid,)),
                ("proposalProposer", (pid,)),
                ("proposalSnapshot", (pid,)),
                ("proposalDeadline", (pid,)),
                ("proposalEta", (pid,)),
                ("proposalVotes", (pid,)),
                ("proposalDetails", (pid,)),
            ]
        )
        for value in reads:
            if isinstance(value, GovChainError):
                raise value
        state, proposer, snapshot, deadline, eta, votes, details = reads
        targets, values, calldatas = details["targets"], details["values"], details["calldatas"]
        created, voters = self._events(pid)
        return ProposalStatus(
            id=pid,
            state=ProposalState(state),
            proposer=to_checksum_address(proposer),
            description=created,
            actions=[
                Action(to_checksum_address(t), bytes(d), int(v), self.describe(t, bytes(d)))
                for t, v, d in zip(targets, values, calldatas, strict=True)
            ],
            votes_for=int(votes["forVotes"]),
            votes_against=int(votes["againstVotes"]),
            votes_abstain=int(votes["abstainVotes"]),
            threshold=int(self.governor.call("quorum", snapshot)),
            vote_start=_time(snapshot),
            vote_end=_time(deadline),
            eta=_time(eta) if eta else None,
            voters=voters,
        )

    def proposals(self) -> list[ProposalStatus]:
        """Every proposal, oldest first."""
        count = int(self.governor.call("proposalCount"))
        found = self.governor.call_many([("proposalDetailsAt", (i,)) for i in range(count)])
        return [self.status(int(d["proposalId"])) for d in found if isinstance(d, dict)]

    def info(self) -> CommitteeInfo:
        reads = self.governor.call_many(
            [("threshold", ()), ("votingDelay", ()), ("votingPeriod", ())]
        )
        threshold, delay, period = (int(v) for v in reads)
        holders: dict[str, list[str]] = {r: [] for r in (*ADMIN_ROLES, "SUPERVISOR_ROLE")}
        for account, held in self.directory.roles_by_participant().items():
            for role in held:
                name = role_name(role)
                if name in holders:
                    holders[name].append(account)
        return CommitteeInfo(
            governor=self.governor.address,
            timelock=self.timelock.address,
            seats=self.seats.address,
            members=[to_checksum_address(m) for m in self.seats.call("members")],
            threshold=threshold,
            voting_delay=delay,
            voting_period=period,
            timelock_delay=int(self.timelock.call("getMinDelay")),
            seats_owner=to_checksum_address(self.seats.call("owner")),
            holders=holders,
        )

    def describe(self, target: str, data: bytes) -> str:
        """One readable line for a call: ``GovChainCore.grantRole(OPERATOR_ROLE, Bank …)``."""
        contract = self._by_address.get(to_checksum_address(target))
        if contract is None:
            return f"call {target} with 0x{data[:4].hex()}…"
        entry = contract.iface.function_by_selector(data[:4])
        if entry is None:
            return f"{contract.name}: unknown function 0x{data[:4].hex()}"
        args = decode_params(entry["inputs"], data[4:])
        shown = ", ".join(_readable(p, v) for p, v in zip(entry["inputs"], args, strict=True))
        return f"{contract.name}.{entry['name']}({shown})"

    def _contract(self, name: str) -> Contract:
        found = self.contracts.get(name)
        if found is None:
            known = ", ".join(sorted(self.contracts))
            raise InputError(f"'{name}' is not a contract of this deployment (known: {known}).")
        return found

    def _events(self, proposal_id: int) -> tuple[str, dict[str, str]]:
        """The proposal's description and who voted how, from the event index."""
        if self.index is None or self.governor.name not in self.index.contracts:
            return "", {}
        description = ""
        voters: dict[str, str] = {}
        names = {v: k for k, v in SUPPORT.items()}
        for event in self.index.events(self.governor.name, ["ProposalCreated", "VoteCast"]):
            if int(event["proposalId"]) != proposal_id:
                continue
            if event.name == "ProposalCreated":
                description = str(event["description"])
            else:
                voters[to_checksum_address(event["voter"])] = names.get(int(event["support"]), "?")
        return description, voters


def _readable(param: AbiEntry, value: Any) -> str:
    typ = param["type"]
    if typ == "address":
        return labels.describe(value)
    if typ == "bytes32" and "role" in param.get("name", "").lower():
        return role_name(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _time(timestamp: int) -> datetime:
    return datetime.fromtimestamp(int(timestamp), UTC)
