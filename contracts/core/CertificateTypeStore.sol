// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IParticipantDirectory} from "../interfaces/IParticipantDirectory.sol";

/// @notice What a type store asks the certificate store (implemented by {CertificateStore}).
interface ICertificateStatus {
    /// @notice The block in which `root` was issued as a batch of type `code` (0 if it was not).
    function issuedAs(uint16 code, bytes32 root) external view returns (uint256 blockNumber);

    /// @notice For a root of type `code`: revoked or suspended as a whole, or outside its validity
    /// window. For any other hash: the certificate of type `code` with that target hash is revoked
    /// or suspended.
    function outOfForce(uint16 code, bytes32 hash) external view returns (bool);

    /// @notice The block of the latest revocation or suspension of `hash` (a root of type `code`,
    /// or a certificate's target hash of that type) if it is still marked; 0 otherwise (expiry has
    /// no block).
    function revokedAt(uint16 code, bytes32 hash) external view returns (uint256 blockNumber);

    /// @notice The role that may issue certificates of type `code`.
    function issuerRole(uint16 code) external pure returns (bytes32);

    /// @notice The role that may revoke, suspend and reinstate certificates of type `code`.
    function revokerRole(uint16 code) external pure returns (bytes32);

    /// @notice The store's name as OpenAttestation tools show it.
    function name() external view returns (string memory);
}

/**
 * @title CertificateTypeStore
 * @notice The document store of one certificate type, as OpenAttestation verifiers and tools see
 * it: a document of that type names this address as its `documentStore`, and oa-verify asks it
 * `isIssued(merkleRoot)` and `isRevoked(hash)` for the target hash, every node on its proof path
 * and the root. It reads everything from the certificate store that created it and answers only
 * for its own type, so an issuer of one type can never make a certificate of another type look
 * issued, revoked or valid. `isRevoked` is true for a certificate revoked or suspended, a batch
 * revoked or suspended, and a batch outside the validity window its certificates state (so a
 * verifier sees an expired certificate as not in force, even when the holder hid its dates).
 *
 * It answers OpenAttestation's DocumentStore interface (npm govtechsg/document-store): the reads
 * (`isIssued`, `isIssuedBefore`, `getIssuedBlock`, `documentIssued`, `isRevoked`,
 * `isRevokedBefore`, `documentRevoked`, `name`, `version`), the role names (`ISSUER_ROLE`,
 * `REVOKER_ROLE`, `DEFAULT_ADMIN_ROLE`, `hasRole`, `getRoleAdmin`: the type's issuer and revoker
 * roles of the participant directory). Its events `DocumentIssued` / `DocumentRevoked` come from
 * the certificate store's address, for every type (see {CertificateStore}): emitting them here
 * would take a call from the certificate store to this clone on every issuance.
 *
 * Writes go to the certificate store ({CertificateStore.issueCertificate} and friends), which
 * binds every root to its type and issuer, and roles are granted in the participant directory
 * (the same address); `issue`, `revoke`, `grantRole` and the rest refuse here with
 * {UseCertificateStore}. One implementation is deployed by the certificate store; each type gets
 * a minimal clone whose immutable argument is its type code.
 *
 * It does not claim TradeTrust's newer interface (ERC-165 0xdcfd0745): oa-verify 9.x then calls
 * `isIssued(root, target, proof)` with OpenAttestation v2's un-prefixed hashes, which fails.
 */
contract CertificateTypeStore is IERC165 {
    /// @notice OpenAttestation's name of the issuer role: here the type's issuer role.
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    /// @notice OpenAttestation's name of the revoker role: here the type's revoker role.
    bytes32 public constant REVOKER_ROLE = keccak256("REVOKER_ROLE");
    /// @notice The administrator role (the participant directory's).
    bytes32 public constant DEFAULT_ADMIN_ROLE = 0x00;

    /// @notice The certificate store this type belongs to.
    ICertificateStatus public immutable certificates;

    /// @notice Issue, revoke and grant roles through the certificate store at `store`.
    error UseCertificateStore(address store);

    constructor() {
        certificates = ICertificateStatus(msg.sender);
    }

    /// @notice The certificate type code this store answers for.
    function typeCode() public view returns (uint16) {
        return abi.decode(Clones.fetchCloneArgs(address(this)), (uint16));
    }

    /// @notice The store's name (the certificate store's).
    function name() external view returns (string memory) {
        return certificates.name();
    }

    /// @notice OpenAttestation DocumentStore: the version of this store's interface.
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    // ------------------------------------------------------------------------------------------
    // Issuance and revocation, as OpenAttestation verifiers ask
    // ------------------------------------------------------------------------------------------

    /// @notice OpenAttestation DocumentStore: whether `document` (a Merkle root) was issued as a
    /// batch of this type.
    function isIssued(bytes32 document) external view returns (bool) {
        return certificates.issuedAs(typeCode(), document) != 0;
    }

    /// @notice OpenAttestation DocumentStore: whether `document` was issued as this type in block
    /// `blockNumber` or before.
    function isIssuedBefore(bytes32 document, uint256 blockNumber) external view returns (bool) {
        uint256 issuedIn = certificates.issuedAs(typeCode(), document);
        return issuedIn != 0 && issuedIn <= blockNumber;
    }

    /// @notice OpenAttestation DocumentStore: the block in which `document` was issued as this
    /// type (0 if never).
    function getIssuedBlock(bytes32 document) external view returns (uint256) {
        return certificates.issuedAs(typeCode(), document);
    }

    /// @notice OpenAttestation DocumentStore: the block in which `document` was issued as this
    /// type (0 if never).
    function documentIssued(bytes32 document) external view returns (uint256) {
        return certificates.issuedAs(typeCode(), document);
    }

    /// @notice OpenAttestation DocumentStore: whether `document` (a certificate's target hash or
    /// a batch root) is out of force: revoked, suspended, or (a root) outside its validity.
    function isRevoked(bytes32 document) external view returns (bool) {
        return certificates.outOfForce(typeCode(), document);
    }

    /// @notice OpenAttestation DocumentStore: whether `document` is revoked or suspended, by a
    /// change in block `blockNumber` or before (expiry has no block: see {isRevoked}).
    function isRevokedBefore(bytes32 document, uint256 blockNumber) external view returns (bool) {
        uint256 revokedIn = certificates.revokedAt(typeCode(), document);
        return revokedIn != 0 && revokedIn <= blockNumber;
    }

    /// @notice OpenAttestation DocumentStore: the block of the latest revocation or suspension of
    /// `document`, if it is still revoked or suspended (0 otherwise).
    function documentRevoked(bytes32 document) external view returns (uint256) {
        return certificates.revokedAt(typeCode(), document);
    }

    // ------------------------------------------------------------------------------------------
    // Roles, as OpenAttestation tools name them
    // ------------------------------------------------------------------------------------------

    /// @notice Whether `account` may act now with `role`: {ISSUER_ROLE} and {REVOKER_ROLE} are this
    /// type's issuer and revoker roles, any other role the directory's; held by an active
    /// (not suspended) participant.
    function hasRole(bytes32 role, address account) external view returns (bool) {
        return IParticipantDirectory(address(certificates)).hasActiveRole(_directoryRole(role), account);
    }

    /// @notice The role that administers `role` in the participant directory.
    function getRoleAdmin(bytes32 role) external view returns (bytes32) {
        return IAccessControl(address(certificates)).getRoleAdmin(_directoryRole(role));
    }

    // ------------------------------------------------------------------------------------------
    // Writes: refused here
    // ------------------------------------------------------------------------------------------

    /// @notice Refused: issue through the certificate store, which binds the root to its issuer.
    function issue(bytes32) external view {
        revert UseCertificateStore(address(certificates));
    }

    /// @notice Refused: issue through the certificate store ({CertificateStore.bulkIssueCertificates}).
    function bulkIssue(bytes32[] calldata) external view {
        revert UseCertificateStore(address(certificates));
    }

    /// @notice Refused: revoke through the certificate store (it needs the certificate's leaf).
    function revoke(bytes32) external view returns (bool) {
        revert UseCertificateStore(address(certificates));
    }

    /// @notice Refused: revoke through the certificate store (it needs each certificate's leaf).
    function bulkRevoke(bytes32[] calldata) external view {
        revert UseCertificateStore(address(certificates));
    }

    /// @notice Refused: roles are granted in the participant directory (the certificate store).
    function grantRole(bytes32, address) external view {
        revert UseCertificateStore(address(certificates));
    }

    /// @notice Refused: roles are revoked in the participant directory (the certificate store).
    function revokeRole(bytes32, address) external view {
        revert UseCertificateStore(address(certificates));
    }

    /// @notice Refused: roles are managed in the participant directory (the certificate store).
    function renounceRole(bytes32, address) external view {
        revert UseCertificateStore(address(certificates));
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC165).interfaceId;
    }

    /// @dev The directory's role for OpenAttestation's role `role`.
    function _directoryRole(bytes32 role) private view returns (bytes32) {
        if (role == ISSUER_ROLE) return certificates.issuerRole(typeCode());
        if (role == REVOKER_ROLE) return certificates.revokerRole(typeCode());
        return role;
    }
}
