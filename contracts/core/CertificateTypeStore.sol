// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @notice What a type store asks the certificate store (implemented by {CertificateStore}).
interface ICertificateStatus {
    /// @notice The block in which `root` was issued as a batch of type `code` (0 if it was not).
    function issuedAs(uint16 code, bytes32 root) external view returns (uint256 blockNumber);

    /// @notice For a root of type `code`: revoked or suspended as a whole, or outside its validity
    /// window. For any other hash: the certificate of type `code` with that target hash is revoked
    /// or suspended.
    function outOfForce(uint16 code, bytes32 hash) external view returns (bool);

    /// @notice The store's name as OpenAttestation tools show it.
    function name() external view returns (string memory);
}

/**
 * @title CertificateTypeStore
 * @notice The document store of one certificate type, as OpenAttestation verifiers see it: a
 * document of that type names this address as its `documentStore`, and oa-verify asks it
 * `isIssued(merkleRoot)` and `isRevoked(hash)` for the target hash, every node on its proof path
 * and the root. It reads everything from the certificate store that created it and answers only
 * for its own type, so an issuer of one type can never make a certificate of another type look
 * issued, revoked or valid. `isRevoked` is true for a certificate revoked or suspended, a batch
 * revoked or suspended, and a batch outside the validity window its certificates state (so a
 * verifier sees an expired certificate as not in force, even when the holder hid its dates).
 *
 * Writes go to the certificate store ({CertificateStore.issueCertificate} and friends), which
 * binds every root to its type and issuer; `issue` and `revoke` here refuse with
 * {UseCertificateStore}. One implementation is deployed by the certificate store; each type gets
 * a minimal clone whose immutable argument is its type code.
 *
 * It does not claim TradeTrust's newer interface (ERC-165 0xdcfd0745): oa-verify 9.x then calls
 * `isIssued(root, target, proof)` with OpenAttestation v2's un-prefixed hashes, which fails.
 */
contract CertificateTypeStore is IERC165 {
    /// @notice The certificate store this type belongs to.
    ICertificateStatus public immutable certificates;

    /// @notice Issue and revoke through the certificate store at `store`.
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

    /// @notice OpenAttestation DocumentStore: whether `document` (a Merkle root) was issued as a
    /// batch of this type.
    function isIssued(bytes32 document) external view returns (bool) {
        return certificates.issuedAs(typeCode(), document) != 0;
    }

    /// @notice OpenAttestation DocumentStore: the block in which `document` was issued as this
    /// type (0 if never).
    function getIssuedBlock(bytes32 document) external view returns (uint256) {
        return certificates.issuedAs(typeCode(), document);
    }

    /// @notice OpenAttestation DocumentStore: whether `document` (a certificate's target hash or
    /// a batch root) is out of force: revoked, suspended, or (a root) outside its validity.
    function isRevoked(bytes32 document) external view returns (bool) {
        return certificates.outOfForce(typeCode(), document);
    }

    /// @notice Refused: issue through the certificate store, which binds the root to its issuer.
    function issue(bytes32) external view {
        revert UseCertificateStore(address(certificates));
    }

    /// @notice Refused: revoke through the certificate store (it needs the certificate's leaf).
    function revoke(bytes32) external view {
        revert UseCertificateStore(address(certificates));
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC165).interfaceId;
    }
}
