// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ParticipantGated} from "./ParticipantGated.sol";
import {IClaimRegistry} from "../interfaces/IClaimRegistry.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title ClaimRegistry
 * @notice One active benefit claim per person across the whole city: every district's service
 * hub that takes claims consults this registry when a claim opens and when it ends. A person is
 * a keyed commitment of their ID number (the same in every district: HMAC under the platform
 * secret, never the number), and the registry keeps, per person, only the hash of the hub and
 * claim that holds them — so a second claim in any district is refused while one is active.
 *
 * Only hubs the directory administrator enrolled may open or close claims (deployment enrols
 * every case that links this registry; later the committee, by a vote), so nobody can squat a
 * person's commitment from a contract of their own.
 */
contract ClaimRegistry is IClaimRegistry, ParticipantGated {
    /// @dev The directory's administrator role (the committee's timelock once handed over).
    bytes32 private constant DIRECTORY_ADMIN_ROLE = 0x00;

    mapping(address hub => bool) private _enrolled;
    mapping(bytes32 person => bytes32 holder) private _active;

    /// @notice The caller is not an enrolled hub.
    error NotEnrolled(address hub);
    /// @notice The person already has an active claim (in this or another district).
    error ClaimActive(bytes32 person);
    /// @notice The person's active claim is not this hub's claim `claim`.
    error NotThisClaim(bytes32 person, bytes32 claim);

    /// @notice Hub `hub` was enrolled (true) or withdrawn (false).
    event HubEnrolled(address indexed hub, bool enrolled);
    /// @notice Hub `hub` opened claim `claim` for `person`.
    event ClaimOpened(bytes32 indexed person, address indexed hub, bytes32 claim);
    /// @notice Hub `hub` closed claim `claim` of `person`.
    event ClaimClosed(bytes32 indexed person, address indexed hub, bytes32 claim);

    constructor(IParticipantDirectory directory_) ParticipantGated(directory_) {}

    /**
     * @notice Enrols (or withdraws) a hub that may open and close claims (directory administrator).
     * @param hub The hub contract.
     * @param allowed True to enrol, false to withdraw.
     */
    function enrol(address hub, bool allowed) external onlyActive(DIRECTORY_ADMIN_ROLE) {
        _enrolled[hub] = allowed;
        emit HubEnrolled(hub, allowed);
    }

    /**
     * @notice Opens claim `claim` of the calling hub for `person`; refused while the person has
     * an active claim anywhere.
     * @param person Keyed commitment of the person's ID number.
     * @param claim The hub's claim id.
     */
    function open(bytes32 person, bytes32 claim) external {
        if (!_enrolled[msg.sender]) revert NotEnrolled(msg.sender);
        if (_active[person] != bytes32(0)) revert ClaimActive(person);
        _active[person] = _holder(msg.sender, claim);
        emit ClaimOpened(person, msg.sender, claim);
    }

    /**
     * @notice Closes the calling hub's claim `claim` of `person` (stopped or rejected).
     * @param person Keyed commitment of the person's ID number.
     * @param claim The hub's claim id.
     */
    function close(bytes32 person, bytes32 claim) external {
        if (!_enrolled[msg.sender]) revert NotEnrolled(msg.sender);
        if (_active[person] != _holder(msg.sender, claim)) revert NotThisClaim(person, claim);
        delete _active[person];
        emit ClaimClosed(person, msg.sender, claim);
    }

    /// @notice True if `person` has an active claim in any district.
    function hasActiveClaim(bytes32 person) external view returns (bool) {
        return _active[person] != bytes32(0);
    }

    /// @notice True if `hub` may open and close claims.
    function enrolled(address hub) external view returns (bool) {
        return _enrolled[hub];
    }

    function _holder(address hub, bytes32 claim) private pure returns (bytes32) {
        return keccak256(abi.encode(hub, claim));
    }
}
