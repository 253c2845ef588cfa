// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/**
 * @title ParticipantDirectory
 * @notice Registry of every GovChain participant and the roles it holds (deployed as part of
 * {GovChainCore}). Roles can only be granted to registered participants, and a suspended
 * participant fails every role check, here and in every case contract (they call
 * {requireActiveRole}).
 *
 * Two tiers of administration, so that no single key rules all:
 * - the administrator role (DEFAULT_ADMIN_ROLE) belongs, once a deployment is handed over, to the
 *   governance committee's timelock: it alone registers, updates, suspends and reactivates
 *   agencies and holders of administrative roles, and grants and revokes the administrative roles
 *   ({isAdministrativeRole}: administrator, operator, guardian, supervisor);
 * - an operator (OPERATOR_ROLE, delegated by the committee) does the daily work: it registers,
 *   updates, suspends and reactivates every other participant (enterprises, banks, clerks' accounts)
 *   and grants and revokes every other role (the operational roles: customs, tax, issuers, ...).
 * {getRoleAdmin} says which tier administers a role; the administrator may also do whatever an
 * operator may.
 */
abstract contract ParticipantDirectory is AccessControl, IParticipantDirectory {
    /// @notice Regulators: read and audit everything in their domain.
    bytes32 public constant SUPERVISOR_ROLE = keccak256("SUPERVISOR_ROLE");

    /// @notice Daily administration delegated by the committee: non-agency participants and
    /// operational roles.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    /// @notice Emergency guardians: may pause a case at once (only the administrator unpauses).
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    /// @notice How many roles one participant may hold (bounds the suspension loop).
    uint256 public constant MAX_ROLES_PER_PARTICIPANT = 16;

    uint256 private constant HELD_ACTIVE = 1;
    uint256 private constant HELD_SUSPENDED = 2;

    mapping(address account => Participant) private _participants;
    address[] private _accounts;
    /// @dev 0 = not held, HELD_ACTIVE, HELD_SUSPENDED (held by a suspended participant).
    mapping(bytes32 role => mapping(address account => uint256)) private _membership;
    mapping(address account => bytes32[]) private _heldRoles;
    mapping(address account => bytes) private _encryptionKeys;

    /// @notice `account` already holds the maximum number of roles.
    error TooManyRoles(address account);

    /**
     * @param admin The Municipal Government Service Bureau's account, registered as an agency.
     * @param adminNameHash keccak256 of the bureau's display name.
     * @param adminDistrict Administrative division code of the bureau (110000 for the municipality).
     */
    constructor(address admin, bytes32 adminNameHash, uint32 adminDistrict) {
        _register(admin, Kind.Agency, adminNameHash, adminDistrict);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /**
     * @notice Registers `account` as an active participant and grants it `roles`. Agencies only by
     * the administrator; other kinds by an operator too, with the roles it administers.
     * @param account The participant's address.
     * @param kind Agency, enterprise, bank, ...
     * @param nameHash keccak256 of its display name (names stay off chain).
     * @param district Administrative division code.
     * @param roles Roles to grant at once (may be empty).
     */
    function register(address account, Kind kind, bytes32 nameHash, uint32 district, bytes32[] calldata roles)
        external
    {
        bool admin = _isAdmin(_msgSender());
        if (!admin) _checkManager(account, kind);
        _register(account, kind, nameHash, district);
        for (uint256 i = 0; i < roles.length; ++i) {
            if (!admin) _checkRole(getRoleAdmin(roles[i]), _msgSender());
            _grantRole(roles[i], account);
        }
    }

    /**
     * @notice Changes the kind, name hash or district of a registered participant (an agency, or
     * a participant becoming one, only by the administrator).
     * @param account The participant's address.
     * @param kind New kind.
     * @param nameHash New name hash.
     * @param district New district code.
     */
    function update(address account, Kind kind, bytes32 nameHash, uint32 district) external {
        Kind current = _participants[account].kind;
        _checkManager(account, current == Kind.Agency ? Kind.Agency : kind);
        Participant storage p = _registered(account);
        if (kind == Kind.None || nameHash == bytes32(0)) revert InvalidParticipant(account);
        p.kind = kind;
        p.nameHash = nameHash;
        p.district = district;
        emit ParticipantUpdated(account, kind, district, nameHash, _msgSender());
    }

    /**
     * @notice Suspends a participant: its role checks fail everywhere until it is reactivated
     * (agencies and holders of administrative roles only by the administrator).
     * @param account The participant to suspend.
     * @param reason A reason code (for example keccak256 of a case number).
     */
    function suspend(address account, bytes32 reason) external {
        _checkManager(account, _participants[account].kind);
        if (account == _msgSender()) revert CannotSuspendSelf(account);
        Participant storage p = _registered(account);
        if (!p.active) revert ParticipantIsSuspended(account);
        p.active = false;
        _setMembership(account, HELD_SUSPENDED);
        emit ParticipantSuspended(account, reason, _msgSender());
    }

    /**
     * @notice Lifts the suspension of a participant (same tiers as {suspend}).
     * @param account The participant to reactivate.
     */
    function reactivate(address account) external {
        _checkManager(account, _participants[account].kind);
        Participant storage p = _registered(account);
        if (p.active) revert ParticipantNotSuspended(account);
        p.active = true;
        _setMembership(account, HELD_ACTIVE);
        emit ParticipantReactivated(account, _msgSender());
    }

    /**
     * @notice Registers the secp256k1 public key of a participant, so documents can be encrypted
     * to it. Anyone may submit it: the key itself proves whose it is (its address is
     * keccak256(key)[12:]), so nobody can set a wrong key for someone else.
     * @param publicKey The 64-byte uncompressed public key (without the 0x04 prefix).
     */
    function registerEncryptionKey(bytes calldata publicKey) external {
        address account = address(uint160(uint256(keccak256(publicKey))));
        if (publicKey.length != 64 || _participants[account].kind == Kind.None) {
            revert InvalidEncryptionKey(account);
        }
        _encryptionKeys[account] = publicKey;
        emit EncryptionKeyRegistered(account);
    }

    /// @inheritdoc IParticipantDirectory
    function encryptionKey(address account) external view returns (bytes memory) {
        return _encryptionKeys[account];
    }

    /// @inheritdoc IParticipantDirectory
    function requireActive(address account) external view {
        Participant storage p = _participants[account];
        if (p.kind == Kind.None) revert ParticipantNotRegistered(account);
        if (!p.active) revert ParticipantIsSuspended(account);
    }

    /// @inheritdoc IParticipantDirectory
    function requireActiveRole(bytes32 role, address account) external view {
        _checkRole(role, account);
    }

    /// @inheritdoc IParticipantDirectory
    function hasActiveRole(bytes32 role, address account) external view returns (bool) {
        return _membership[role][account] == HELD_ACTIVE;
    }

    /// @notice True if `account` holds `role` (whether or not it is suspended).
    function hasRole(bytes32 role, address account) public view override returns (bool) {
        return _membership[role][account] != 0;
    }

    /**
     * @notice Who administers `role`: the administrator (the committee) for the administrative
     * roles, an operator for every other role.
     * @param role The role.
     */
    function getRoleAdmin(bytes32 role) public pure override returns (bytes32) {
        return isAdministrativeRole(role) ? DEFAULT_ADMIN_ROLE : OPERATOR_ROLE;
    }

    /**
     * @notice True for the roles only the administrator grants and revokes: administrator,
     * operator, guardian and supervisor.
     * @param role The role.
     */
    function isAdministrativeRole(bytes32 role) public pure returns (bool) {
        return role == DEFAULT_ADMIN_ROLE || role == OPERATOR_ROLE || role == GUARDIAN_ROLE || role == SUPERVISOR_ROLE;
    }

    /**
     * @notice Grants `role` to the registered participant `account` (by the role's administrator,
     * see {getRoleAdmin}, or by the administrator).
     * @param role The role.
     * @param account The participant.
     */
    function grantRole(bytes32 role, address account) public override {
        if (!_isAdmin(_msgSender())) _checkRole(getRoleAdmin(role), _msgSender());
        _grantRole(role, account);
    }

    /**
     * @notice Revokes `role` from `account` (by the role's administrator or the administrator).
     * @param role The role.
     * @param account The participant.
     */
    function revokeRole(bytes32 role, address account) public override {
        if (!_isAdmin(_msgSender())) _checkRole(getRoleAdmin(role), _msgSender());
        _revokeRole(role, account);
    }

    /// @notice Every role `account` holds.
    function rolesOf(address account) external view returns (bytes32[] memory) {
        return _heldRoles[account];
    }

    /// @inheritdoc IParticipantDirectory
    function isActive(address account) external view returns (bool) {
        return _isActive(account);
    }

    /// @inheritdoc IParticipantDirectory
    function participant(address account) external view returns (Participant memory) {
        return _participants[account];
    }

    /// @notice Number of participants ever registered.
    function participantCount() external view returns (uint256) {
        return _accounts.length;
    }

    /**
     * @notice A page of the directory, in registration order.
     * @param offset Index of the first participant.
     * @param limit Maximum number of participants to return.
     * @return accounts Their addresses.
     * @return records Their records.
     */
    function participants(uint256 offset, uint256 limit)
        external
        view
        returns (address[] memory accounts, Participant[] memory records)
    {
        uint256 end = offset + limit;
        if (end > _accounts.length) end = _accounts.length;
        uint256 n = end > offset ? end - offset : 0;
        accounts = new address[](n);
        records = new Participant[](n);
        for (uint256 i = 0; i < n; ++i) {
            accounts[i] = _accounts[offset + i];
            records[i] = _participants[accounts[i]];
        }
    }

    /// @dev Every role check (here through onlyRole) also requires an active participant.
    function _checkRole(bytes32 role, address account) internal view override {
        if (_membership[role][account] != HELD_ACTIVE) _refuse(role, account);
    }

    /// @dev True if `account` is an active administrator.
    /// @dev Whether `account` is a registered participant not suspended.
    function _isActive(address account) internal view returns (bool) {
        return _participants[account].active;
    }

    function _isAdmin(address account) internal view returns (bool) {
        return _membership[DEFAULT_ADMIN_ROLE][account] == HELD_ACTIVE;
    }

    /// @dev Reverts unless the caller may manage participant `account` of `kind`: the
    /// administrator always; an operator unless it is an agency or holds an administrative role.
    function _checkManager(address account, Kind kind) private view {
        address sender = _msgSender();
        if (_isAdmin(sender)) return;
        if (kind == Kind.Agency || _holdsAdministrativeRole(account)) _refuse(DEFAULT_ADMIN_ROLE, sender);
        _checkRole(OPERATOR_ROLE, sender);
    }

    function _holdsAdministrativeRole(address account) private view returns (bool) {
        return _membership[DEFAULT_ADMIN_ROLE][account] != 0 || _membership[OPERATOR_ROLE][account] != 0
            || _membership[GUARDIAN_ROLE][account] != 0 || _membership[SUPERVISOR_ROLE][account] != 0;
    }

    /// @dev Why `account` fails the check for `role`, as the most helpful error.
    function _refuse(bytes32 role, address account) internal view {
        Participant storage p = _participants[account];
        if (p.kind == Kind.None) revert ParticipantNotRegistered(account);
        if (!p.active) revert ParticipantIsSuspended(account);
        revert AccessControlUnauthorizedAccount(account, role);
    }

    /// @dev Roles go to registered participants only, at most MAX_ROLES_PER_PARTICIPANT each.
    function _grantRole(bytes32 role, address account) internal override returns (bool) {
        Participant storage p = _participants[account];
        if (p.kind == Kind.None) revert ParticipantNotRegistered(account);
        if (_membership[role][account] != 0) return false;
        bytes32[] storage held = _heldRoles[account];
        if (held.length >= MAX_ROLES_PER_PARTICIPANT) revert TooManyRoles(account);
        held.push(role);
        _membership[role][account] = p.active ? HELD_ACTIVE : HELD_SUSPENDED;
        emit RoleGranted(role, account, _msgSender());
        return true;
    }

    function _revokeRole(bytes32 role, address account) internal override returns (bool) {
        if (_membership[role][account] == 0) return false;
        delete _membership[role][account];
        bytes32[] storage held = _heldRoles[account];
        uint256 last = held.length - 1;
        for (uint256 i = 0; i <= last; ++i) {
            if (held[i] == role) {
                held[i] = held[last];
                held.pop();
                break;
            }
        }
        emit RoleRevoked(role, account, _msgSender());
        return true;
    }

    /// @dev Marks every role `account` holds as active or suspended (bounded by MAX_ROLES).
    function _setMembership(address account, uint256 state) private {
        bytes32[] storage held = _heldRoles[account];
        for (uint256 i = 0; i < held.length; ++i) {
            _membership[held[i]][account] = state;
        }
    }

    function _register(address account, Kind kind, bytes32 nameHash, uint32 district) private {
        if (account == address(0) || kind == Kind.None || nameHash == bytes32(0)) {
            revert InvalidParticipant(account);
        }
        Participant storage p = _participants[account];
        if (p.kind != Kind.None) revert ParticipantAlreadyRegistered(account);
        p.kind = kind;
        p.active = true;
        p.district = district;
        p.registeredAt = uint64(block.timestamp);
        p.nameHash = nameHash;
        _accounts.push(account);
        emit ParticipantRegistered(account, kind, district, nameHash, _msgSender());
    }

    function _registered(address account) private view returns (Participant storage p) {
        p = _participants[account];
        if (p.kind == Kind.None) revert ParticipantNotRegistered(account);
    }
}
