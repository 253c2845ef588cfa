// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/**
 * @title CommitteeTimelock
 * @notice The governance committee's timelock (OpenZeppelin's TimelockController, unchanged): it
 * holds the directory's administrator role and owns the committee's seats, and it executes a
 * committee decision only after the decision's delay ({getMinDelay}) has passed, so everyone sees a
 * change coming. Once handed over, only the committee's governor proposes, cancels and executes,
 * and the timelock administers itself: changing its delay or roles is a committee vote too.
 */
contract CommitteeTimelock is TimelockController {
    /**
     * @param minDelay Seconds between a decision being queued and its execution.
     * @param proposers Who may schedule and cancel (the governor, granted at handover).
     * @param executors Who may execute (the governor, granted at handover).
     * @param admin An optional bootstrap administrator (the deployer), renounced at handover.
     */
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
