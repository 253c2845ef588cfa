"""Sentences for the governance contracts' errors (the committee, its seats and its timelock),
and for the OpenZeppelin errors they can raise."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from govchain.errors import ContractRevert, revert_error


class ProposalState(IntEnum):
    """OpenZeppelin Governor's proposal states (IGovernor.ProposalState)."""

    PENDING = 0
    ACTIVE = 1
    CANCELED = 2
    DEFEATED = 3
    SUCCEEDED = 4
    QUEUED = 5
    EXPIRED = 6
    EXECUTED = 7

    @property
    def label(self) -> str:
        return self.name.lower()


#: TimelockController.OperationState, in words.
_OPERATION_STATES = ("not scheduled", "waiting for its delay", "ready", "done")


def _states(bitmap: Any, names: tuple[str, ...]) -> str:
    value = int.from_bytes(bitmap, "big") if isinstance(bitmap, bytes) else int(bitmap or 0)
    found = [n for i, n in enumerate(names) if value >> i & 1]
    return " or ".join(found) or "?"


class GovernanceRevert(ContractRevert):
    """The committee, its seats or its timelock refused a call."""


# -- the committee (GovCommittee, OpenZeppelin Governor) -------------------------------------


@revert_error(
    "GovernorUnexpectedProposalState",
    "Proposal {proposalId} is {current}; this needs it to be {expectedStates}.",
)
class WrongProposalState(GovernanceRevert):
    @staticmethod
    def readable_args(args: dict[str, Any], context: str) -> dict[str, str]:
        names = tuple(s.label for s in ProposalState)
        current = args.get("current")
        return {
            "current": ProposalState(current).label if current is not None else "?",
            "expectedStates": _states(args.get("expectedStates"), names),
        }


@revert_error("GovernorNonexistentProposal", "There is no proposal {proposalId}.")
class UnknownProposal(GovernanceRevert):
    pass


@revert_error("GovernorAlreadyCastVote", "{voter} has already voted on this proposal.")
class AlreadyVoted(GovernanceRevert):
    pass


@revert_error(
    "GovernorInsufficientProposerVotes",
    "{proposer} holds no seat on the governance committee ({votes} of {threshold} needed to "
    "propose).",
)
class NotACommitteeMember(GovernanceRevert):
    pass


@revert_error(
    "GovernorOnlyExecutor",
    "{account} cannot do that: only a decision of the governance committee, executed through "
    "its timelock, can.",
)
class CommitteeOnly(GovernanceRevert):
    pass


@revert_error(
    "GovernorInvalidProposalLength",
    "A proposal needs as many targets, calls and values, and at least one "
    "({targets} targets, {calldatas} calls, {values} values given).",
)
class BadProposal(GovernanceRevert):
    pass


@revert_error("GovernorDisabledDeposit", "The committee does not accept deposits.")
class NoDeposits(GovernanceRevert):
    pass


@revert_error("GovernorInvalidVotingPeriod", "A voting period of {votingPeriod} s is not allowed.")
class BadVotingPeriod(GovernanceRevert):
    pass


@revert_error(
    "GovernorRestrictedProposer",
    "The description names another proposer than {proposer}: only that member may propose it.",
)
class RestrictedProposer(GovernanceRevert):
    pass


@revert_error("GovernorInvalidVoteType", "A vote is for, against or abstain.")
class BadVoteType(GovernanceRevert):
    pass


@revert_error("GovernorInvalidVoteParams", "The committee takes no vote parameters.")
class BadVoteParams(GovernanceRevert):
    pass


@revert_error("GovernorQueueNotImplemented", "This committee does not queue proposals.")
class QueueNotImplemented(GovernanceRevert):
    pass


@revert_error("GovernorNotQueuedProposal", "Proposal {proposalId} could not be queued.")
class NotQueued(GovernanceRevert):
    pass


@revert_error("GovernorAlreadyQueuedProposal", "Proposal {proposalId} is already queued.")
class AlreadyQueued(GovernanceRevert):
    pass


@revert_error("GovernorInvalidSignature", "The vote signature of {voter} is not valid.")
class BadVoteSignature(GovernanceRevert):
    pass


@revert_error(
    "GovernorUnableToCancel",
    "{account} cannot cancel proposal {proposalId}: only its proposer, before the vote starts.",
)
class CannotCancel(GovernanceRevert):
    pass


@revert_error(
    "InvalidThreshold",
    "A threshold of {threshold} is not possible: it must be between 1 and the number of seats "
    "({seatCount}).",
    contract="GovCommittee",
)
class InvalidThreshold(GovernanceRevert):
    pass


@revert_error(
    "NoSeat",
    "{account} held no committee seat when the vote opened: it has no vote on this proposal.",
    contract="GovCommittee",
)
class NoSeat(GovernanceRevert):
    pass


@revert_error(
    "CommitteeTooSmall",
    "That decision would leave {seatCount} seats, fewer than the threshold of {threshold}: lower "
    "the threshold first (in the same proposal).",
    contract="GovCommittee",
)
class CommitteeTooSmall(GovernanceRevert):
    pass


# -- the seats (CommitteeSeats, ERC-721 + votes): shared, since they surface through the
# committee's execute as often as from the seats themselves ----------------------------------


@revert_error(
    "SeatNotTransferable",
    "Committee seats cannot be transferred, approved or delegated: seats are given and taken by "
    "committee vote.",
)
class SeatNotTransferable(GovernanceRevert):
    pass


@revert_error("AlreadySeated", "{member} already holds a committee seat.")
class AlreadySeated(GovernanceRevert):
    pass


@revert_error("NotSeated", "{account} holds no committee seat.")
class NotSeated(GovernanceRevert):
    pass


@revert_error(
    "NotAnActiveAgency",
    "{account} is not an active agency of the directory: only agencies hold committee seats.",
)
class NotAnActiveAgency(GovernanceRevert):
    pass


@revert_error(
    "OwnershipRequired",
    "The committee's seats must always have an owner (the committee's timelock).",
)
class OwnershipRequired(GovernanceRevert):
    pass


@revert_error(
    "OwnableUnauthorizedAccount",
    "{account} cannot change the committee's seats: only a committee decision can.",
)
class SeatsOwnerOnly(GovernanceRevert):
    pass


@revert_error("OwnableInvalidOwner", "{owner} cannot own the committee's seats.")
class InvalidSeatsOwner(GovernanceRevert):
    pass


@revert_error("ERC721NonexistentToken", "There is no committee seat {tokenId}.")
class UnknownSeat(GovernanceRevert):
    pass


@revert_error("ERC721InvalidOwner", "{owner} cannot hold a committee seat.")
class InvalidSeatOwner(GovernanceRevert):
    pass


@revert_error("ERC721IncorrectOwner", "Seat {tokenId} belongs to {owner}, not {sender}.")
class IncorrectSeatOwner(GovernanceRevert):
    pass


@revert_error("ERC721InvalidSender", "{sender} cannot give a committee seat.")
class InvalidSeatSender(GovernanceRevert):
    pass


@revert_error("ERC721InvalidReceiver", "{receiver} cannot receive a committee seat.")
class InvalidSeatReceiver(GovernanceRevert):
    pass


@revert_error("ERC721InsufficientApproval", "{operator} may not move committee seat {tokenId}.")
class SeatNotApproved(GovernanceRevert):
    pass


@revert_error("ERC721InvalidApprover", "{approver} cannot approve seat transfers.")
class InvalidSeatApprover(GovernanceRevert):
    pass


@revert_error("ERC721InvalidOperator", "{operator} cannot be approved for committee seats.")
class InvalidSeatOperator(GovernanceRevert):
    pass


@revert_error(
    "ERC5805FutureLookup",
    "Votes at {timepoint} are not known yet (the clock is at {clock}): wait for the vote to start.",
)
class FutureLookup(GovernanceRevert):
    pass


@revert_error("ERC6372InconsistentClock", "The committee's clock is inconsistent.")
class InconsistentClock(GovernanceRevert):
    pass


@revert_error("VotesExpiredSignature", "The signature expired at {expiry}.")
class ExpiredSignature(GovernanceRevert):
    pass


@revert_error(
    "InvalidAccountNonce",
    "The signature of {account} uses a stale nonce (the current one is {currentNonce}).",
)
class StaleNonce(GovernanceRevert):
    pass


@revert_error("CheckpointUnorderedInsertion", "A voting checkpoint would go back in time.")
class UnorderedCheckpoint(GovernanceRevert):
    pass


@revert_error(
    "SafeCastOverflowedUintDowncast", "A number is too large ({value} does not fit {bits} bits)."
)
class NumberTooLarge(GovernanceRevert):
    pass


@revert_error(
    "GovernorAlreadyInitializedLatestProposalId", "The proposal numbering is set already."
)
class NumberingSet(GovernanceRevert):
    pass


@revert_error("FailedCall", "A call of the decision failed without a reason.")
class FailedCall(GovernanceRevert):
    pass


# -- the timelock (CommitteeTimelock, OpenZeppelin TimelockController) -----------------------


@revert_error(
    "TimelockUnexpectedOperationState",
    "The decision is not {expectedStates} in the committee's timelock: a queued decision waits "
    "for the timelock delay before it can be executed.",
)
class TimelockNotReady(GovernanceRevert):
    @staticmethod
    def readable_args(args: dict[str, Any], context: str) -> dict[str, str]:
        return {"expectedStates": _states(args.get("expectedStates"), _OPERATION_STATES)}


@revert_error(
    "TimelockInsufficientDelay", "A delay of {delay} s is shorter than the minimum of {minDelay} s."
)
class TimelockDelayTooShort(GovernanceRevert):
    pass


@revert_error(
    "TimelockInvalidOperationLength",
    "A decision needs as many targets, calls and values ({targets}, {payloads}, {values} given).",
)
class TimelockBadOperation(GovernanceRevert):
    pass


@revert_error(
    "TimelockUnexecutedPredecessor", "The decision this one depends on was not executed yet."
)
class TimelockPredecessor(GovernanceRevert):
    pass


@revert_error(
    "TimelockUnauthorizedCaller",
    "{caller} cannot change the timelock directly: only a committee decision can.",
)
class TimelockCommitteeOnly(GovernanceRevert):
    pass
