// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @notice The citywide registry of active benefit claims, as district hubs call it
/// (implemented by {ClaimRegistry}).
interface IClaimRegistry {
    /// @notice Opens the calling hub's claim `claim` for `person`; reverts if one is active.
    function open(bytes32 person, bytes32 claim) external;

    /// @notice Closes the calling hub's claim `claim` of `person`.
    function close(bytes32 person, bytes32 claim) external;

    /// @notice True if `person` has an active claim in any district.
    function hasActiveClaim(bytes32 person) external view returns (bool);
}
