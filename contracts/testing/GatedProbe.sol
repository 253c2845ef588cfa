// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ParticipantGated} from "../core/ParticipantGated.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title GatedProbe
 * @notice Test fixture only (never deployed by `govchain deploy`): the smallest case-style contract,
 * used by the test suite to check the ParticipantGated base and by the benchmarks as a cheap write.
 */
contract GatedProbe is ParticipantGated {
    /// @notice Role required to call {touch}.
    bytes32 public constant PROBE_ROLE = keccak256("PROBE_ROLE");

    /// @notice How many times each account touched the probe.
    mapping(address account => uint256) public touches;

    /// @notice Emitted on every touch.
    event Touched(address indexed account, uint256 count);

    constructor(IParticipantDirectory directory_) ParticipantGated(directory_) {}

    /// @notice Records one touch by the caller; requires an active participant holding PROBE_ROLE.
    function touch() external onlyActive(PROBE_ROLE) {
        uint256 count = ++touches[msg.sender];
        emit Touched(msg.sender, count);
    }
}
