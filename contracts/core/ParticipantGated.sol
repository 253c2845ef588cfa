// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title ParticipantGated
 * @notice Base for every case contract: checks "the caller is an active participant holding role R"
 * against the one participant directory, in one call. The directory's errors
 * (ParticipantNotRegistered, ParticipantIsSuspended, AccessControlUnauthorizedAccount) bubble up
 * unchanged, so every contract refuses the same way.
 */
abstract contract ParticipantGated {
    /// @notice The participant directory this contract consults.
    IParticipantDirectory public immutable directory;

    /// @notice The directory address given at deployment is zero.
    error DirectoryRequired();

    /// @dev Reverts unless the caller is an active participant holding `role`.
    modifier onlyActive(bytes32 role) {
        directory.requireActiveRole(role, msg.sender);
        _;
    }

    /// @dev Reverts unless the caller is an active participant (whatever its roles).
    modifier onlyParticipant() {
        directory.requireActive(msg.sender);
        _;
    }

    constructor(IParticipantDirectory directory_) {
        if (address(directory_) == address(0)) revert DirectoryRequired();
        directory = directory_;
    }

    /// @dev True if `account` is an active participant holding `role` (for "any of these roles").
    function _hasActiveRole(bytes32 role, address account) internal view returns (bool) {
        return directory.hasActiveRole(role, account);
    }
}
