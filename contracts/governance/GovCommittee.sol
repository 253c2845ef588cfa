// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorStorage} from "@openzeppelin/contracts/governance/extensions/GovernorStorage.sol";
import {GovernorSequentialProposalId} from "@openzeppelin/contracts/governance/extensions/GovernorSequentialProposalId.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {CommitteeSeats} from "./CommitteeSeats.sol";
import {ParticipantGated} from "../core/ParticipantGated.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title GovCommittee
 * @notice The governance committee of agencies (OpenZeppelin's Governor): a member proposes a list
 * of calls (proposals are numbered 1, 2, 3 ...), members vote for, against or abstain (one vote per seat, {CommitteeSeats}), and a
 * proposal passes when at least {threshold} members voted for it and more voted for than against.
 * It then waits in the timelock ({CommitteeTimelock}) for its delay before anyone executes it.
 * Decisions the committee takes this way: registering and suspending agencies, granting and
 * revoking administrative roles, defining certificate types, unpausing a case, and changing the
 * committee itself (seats, threshold, voting period, timelock delay).
 *
 * Only active participants of the directory vote: a suspended agency's seat does not count.
 * The threshold is a number of seats, kept with its history (the threshold of a proposal is the one
 * in force at its snapshot), and never above the number of seats: an execution that would leave
 * fewer seats than the threshold is refused.
 */
contract GovCommittee is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorStorage,
    GovernorSequentialProposalId,
    GovernorVotes,
    GovernorTimelockControl,
    ParticipantGated
{
    using Checkpoints for Checkpoints.Trace208;

    /// @notice The committee's seats.
    CommitteeSeats public immutable seats;

    Checkpoints.Trace208 private _threshold;

    /// @notice The threshold must be at least one seat and at most the number of seats.
    error InvalidThreshold(uint256 threshold, uint256 seatCount);
    /// @notice `account` held no seat at the proposal's snapshot: it has no vote on it.
    error NoSeat(address account);
    /// @notice The decision would leave fewer seats than the threshold: lower the threshold first.
    error CommitteeTooSmall(uint256 seatCount, uint256 threshold);

    /// @notice The number of "for" votes a proposal needs changed.
    event ThresholdChanged(uint256 oldThreshold, uint256 newThreshold);

    /**
     * @param seats_ The committee's seats (its votes).
     * @param timelock_ The committee's timelock (executes decisions after their delay).
     * @param directory_ The participant directory (voters must be active participants).
     * @param votingDelay_ Seconds between a proposal and the start of its vote.
     * @param votingPeriod_ Seconds the vote lasts.
     * @param threshold_ How many "for" votes a proposal needs (e.g. 3 of 5 seats).
     */
    constructor(
        CommitteeSeats seats_,
        TimelockController timelock_,
        IParticipantDirectory directory_,
        uint48 votingDelay_,
        uint32 votingPeriod_,
        uint256 threshold_
    )
        Governor("GovChain Committee")
        GovernorSettings(votingDelay_, votingPeriod_, 1)
        GovernorVotes(IVotes(address(seats_)))
        GovernorTimelockControl(timelock_)
        ParticipantGated(directory_)
    {
        if (threshold_ == 0) revert InvalidThreshold(threshold_, 0);
        seats = seats_;
        _threshold.push(clock(), SafeCast.toUint208(threshold_));
        emit ThresholdChanged(0, threshold_);
    }

    /**
     * @notice Changes how many "for" votes a proposal needs (by a committee decision).
     * @param newThreshold At least 1, at most the number of seats.
     */
    function setThreshold(uint256 newThreshold) external onlyGovernance {
        uint256 count = seats.seatCount();
        if (newThreshold == 0 || newThreshold > count) revert InvalidThreshold(newThreshold, count);
        uint256 old = threshold();
        _threshold.push(clock(), SafeCast.toUint208(newThreshold));
        emit ThresholdChanged(old, newThreshold);
    }

    /// @notice How many "for" votes a proposal made now needs.
    function threshold() public view returns (uint256) {
        return _threshold.latest();
    }

    /**
     * @notice The number of "for" votes a proposal whose snapshot is `timepoint` needs.
     * @param timepoint A timestamp.
     */
    function quorum(uint256 timepoint) public view override returns (uint256) {
        return _threshold.upperLookupRecent(SafeCast.toUint48(timepoint));
    }

    // -- OpenZeppelin Governor plumbing --------------------------------------------------------

    /// @dev Only "for" votes count toward the threshold (abstentions do not).
    function _quorumReached(uint256 proposalId)
        internal
        view
        override(Governor, GovernorCountingSimple)
        returns (bool)
    {
        (, uint256 forVotes,) = proposalVotes(proposalId);
        return forVotes >= quorum(proposalSnapshot(proposalId));
    }

    /// @dev Only members vote (no empty votes), and only while active participants of the directory.
    function _castVote(uint256 proposalId, address account, uint8 support, string memory reason, bytes memory params)
        internal
        override
        returns (uint256 weight)
    {
        directory.requireActive(account);
        weight = super._castVote(proposalId, account, support, reason, params);
        if (weight == 0) revert NoSeat(account);
    }

    /// @dev After a decision ran: the committee still has at least {threshold} seats.
    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
        uint256 count = seats.seatCount();
        if (count < threshold()) revert CommitteeTooSmall(count, threshold());
    }

    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    function state(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (ProposalState)
    {
        return super.state(proposalId);
    }

    function proposalNeedsQueuing(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (bool)
    {
        return super.proposalNeedsQueuing(proposalId);
    }

    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal override(Governor, GovernorStorage, GovernorSequentialProposalId) returns (uint256) {
        return super._propose(targets, values, calldatas, description, proposer);
    }

    function getProposalId(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) public view override(Governor, GovernorSequentialProposalId) returns (uint256) {
        return super.getProposalId(targets, values, calldatas, descriptionHash);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
