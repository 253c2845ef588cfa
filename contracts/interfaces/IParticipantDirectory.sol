// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/**
 * @title IParticipantDirectory
 * @notice The one participant directory every GovChain case contract consults: who is a registered
 * participant (agency, enterprise, bank, ...), in which district, whether active, and which roles it
 * holds. Case contracts call {requireActiveRole} to check a caller in one call.
 */
interface IParticipantDirectory {
    /// @notice What kind of organisation a participant is.
    enum Kind {
        None,
        Agency,
        Enterprise,
        Bank,
        Hospital,
        Insurer,
        Court,
        School,
        Charity,
        Utility
    }

    /// @notice A participant's record; one storage slot plus the name hash.
    struct Participant {
        Kind kind;
        bool active;
        uint32 district;
        uint64 registeredAt;
        bytes32 nameHash;
    }

    /// @notice `account` is not a registered participant.
    error ParticipantNotRegistered(address account);
    /// @notice `account` is registered but suspended: its writes are refused everywhere.
    error ParticipantIsSuspended(address account);
    /// @notice `account` is already registered.
    error ParticipantAlreadyRegistered(address account);
    /// @notice `account` is not suspended, so it cannot be reactivated.
    error ParticipantNotSuspended(address account);
    /// @notice The participant record is malformed (zero address, kind None or empty name hash).
    error InvalidParticipant(address account);
    /// @notice An administrator cannot suspend itself (it would lock the directory).
    error CannotSuspendSelf(address account);

    /// @notice A participant was registered.
    event ParticipantRegistered(
        address indexed account, Kind kind, uint32 indexed district, bytes32 nameHash, address indexed by
    );
    /// @notice A participant's kind, district or name hash changed.
    event ParticipantUpdated(
        address indexed account, Kind kind, uint32 indexed district, bytes32 nameHash, address indexed by
    );
    /// @notice A participant was suspended, with a reason code.
    event ParticipantSuspended(address indexed account, bytes32 reason, address indexed by);
    /// @notice A suspended participant was reactivated.
    event ParticipantReactivated(address indexed account, address indexed by);

    /// @notice The public key does not belong to a registered participant (or is not 64 bytes).
    error InvalidEncryptionKey(address account);

    /// @notice A participant's secp256k1 public key was registered (for encrypting documents to it).
    event EncryptionKeyRegistered(address indexed account);

    /// @notice Reverts unless `account` is a registered, active participant holding `role`.
    function requireActiveRole(bytes32 role, address account) external view;

    /// @notice Reverts unless `account` is a registered, active participant.
    function requireActive(address account) external view;

    /// @notice The 64-byte public key registered for `account` (empty if none).
    function encryptionKey(address account) external view returns (bytes memory);

    /// @notice True if `account` is a registered, active participant holding `role`.
    function hasActiveRole(bytes32 role, address account) external view returns (bool);

    /// @notice True if `account` is a registered participant that is not suspended.
    function isActive(address account) external view returns (bool);

    /// @notice The record of `account` (kind None if it is not registered).
    function participant(address account) external view returns (Participant memory);
}
