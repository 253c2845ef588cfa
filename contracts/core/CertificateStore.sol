// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/**
 * @title CertificateStore
 * @notice The registry of electronic certificates (OpenAttestation v2 documents), part of
 * {GovChainCore} so that its role checks read the directory's storage directly.
 *
 * It offers OpenAttestation's DocumentStore surface — {issue}, {bulkIssue}, {revoke},
 * {bulkRevoke}, {isIssued}, {isRevoked} — so OpenAttestation tools (oa-verify) work unchanged, and
 * beyond it:
 * - certificate types: type id (keccak256 of the name) -> code; each type has its own issuer role
 *   and a separate revoker role, derived from the code ({issuerRole}, {revokerRole}) and granted
 *   in the participant directory; only an active participant holding the role may act. Deriving
 *   the roles saves a storage read per issuance; the SDK refuses undefined codes, and nobody holds
 *   the roles of a code that was never defined;
 * - per Merkle root, one storage slot recording the issuing participant, the block, the type
 *   code, and the root's revocation and suspension reasons;
 * - revocation (final) and suspension (reversible) of one certificate inside a batch, by its
 *   target hash and Merkle proof (sorted-pair keccak256, as OpenAttestation builds batches),
 *   without touching the rest of the batch; reason codes on both.
 *
 * {isRevoked} answers true while a hash is revoked or suspended, so a suspended certificate fails
 * oa-verify too; {statusOf} tells the two apart.
 */
abstract contract CertificateStore {
    /// @notice Type code of plain OpenAttestation documents issued through {issue}/{bulkIssue}.
    uint16 public constant GENERIC_TYPE = 1;
    bytes32 private constant ISSUER_DOMAIN = keccak256("CERTIFICATE_ISSUER_ROLE");
    bytes32 private constant REVOKER_DOMAIN = keccak256("CERTIFICATE_REVOKER_ROLE");

    // Root record layout: issuer | block << 160 | code << 208 | revoke reason << 224 | suspend << 232
    uint256 private constant BLOCK_SHIFT = 160;
    uint256 private constant CODE_SHIFT = 208;
    uint256 private constant REVOKE_SHIFT = 224;
    uint256 private constant SUSPEND_SHIFT = 232;

    /// @notice Store name shown by OpenAttestation tools.
    string public name;

    uint16 private _typeCount;
    mapping(uint16 code => bytes32 typeId) private _typeIds;
    mapping(bytes32 typeId => uint16 code) private _codes;
    /// @dev root => packed record (see layout above); zero if never issued.
    mapping(bytes32 root => uint256) private _roots;
    /// @dev certificate target hash inside a batch => actor | block << 160 | revoke << 224 | suspend << 232.
    mapping(bytes32 targetHash => uint256) private _leaves;

    /// @notice A type with this id already exists.
    error CertificateTypeExists(bytes32 typeId);
    /// @notice The type id is zero.
    error InvalidCertificateType();
    /// @notice The root (or single document hash) was already issued.
    error AlreadyIssued(bytes32 root);
    /// @notice The root was never issued here.
    error NotIssued(bytes32 root);
    /// @notice The hash is already revoked; revocation is final.
    error AlreadyRevoked(bytes32 hash);
    /// @notice The hash is already suspended.
    error AlreadySuspended(bytes32 hash);
    /// @notice The hash is not suspended, so it cannot be reinstated.
    error NotSuspended(bytes32 hash);
    /// @notice The target hash is not part of the batch under `root` (bad Merkle proof).
    error NotInBatch(bytes32 root, bytes32 targetHash);
    /// @notice Reason code zero means "no reason"; revocation and suspension need one.
    error ReasonRequired();
    /// @notice An empty list was given.
    error EmptyBatch();

    /// @notice A certificate type was defined.
    event CertificateTypeDefined(uint16 indexed code, bytes32 indexed typeId, address indexed by);
    /// @notice A Merkle root (a batch, or one document) was issued.
    event CertificateIssued(bytes32 indexed root, uint16 indexed code, address indexed issuer);
    /// @notice A root, or one certificate's target hash under it, was revoked (final).
    event CertificateRevoked(bytes32 indexed root, bytes32 indexed hash, uint8 reason, address indexed by);
    /// @notice A root, or one certificate under it, was suspended (reversible).
    event CertificateSuspended(bytes32 indexed root, bytes32 indexed hash, uint8 reason, address indexed by);
    /// @notice A suspension was lifted.
    event CertificateReinstated(bytes32 indexed root, bytes32 indexed hash, address indexed by);

    constructor(string memory name_) {
        name = name_;
        _define(keccak256("OA_DOCUMENT"));
    }

    // ------------------------------------------------------------------------------------------
    // Types
    // ------------------------------------------------------------------------------------------

    /**
     * @notice Defines a certificate type (directory administrator only). Grant {issuerRole} and
     * {revokerRole} of the returned code in the directory to let participants act on it.
     * @param typeId keccak256 of the type's name, e.g. keccak256("BUSINESS_LICENCE").
     * @return code The type's code.
     */
    function defineType(bytes32 typeId) external returns (uint16 code) {
        _requireAdmin();
        return _define(typeId);
    }

    /// @notice The role that may issue certificates of type `code`.
    function issuerRole(uint16 code) public pure returns (bytes32) {
        return keccak256(abi.encode(ISSUER_DOMAIN, code));
    }

    /// @notice The role that may revoke, suspend and reinstate certificates of type `code`.
    function revokerRole(uint16 code) public pure returns (bytes32) {
        return keccak256(abi.encode(REVOKER_DOMAIN, code));
    }

    /// @notice The type id of `code` (zero if undefined).
    function typeIdOf(uint16 code) external view returns (bytes32) {
        return _typeIds[code];
    }

    /// @notice The code of type `typeId` (zero if undefined).
    function typeCode(bytes32 typeId) external view returns (uint16) {
        return _codes[typeId];
    }

    /// @notice Number of defined types; codes run from 1 to this number.
    function typeCount() external view returns (uint16) {
        return _typeCount;
    }

    // ------------------------------------------------------------------------------------------
    // Issuance
    // ------------------------------------------------------------------------------------------

    /**
     * @notice Issues a batch root (or one document's target hash) as certificates of type `code`.
     * @param root The Merkle root.
     * @param code The certificate type code; the caller must hold {issuerRole}(code).
     */
    function issueCertificate(bytes32 root, uint16 code) public {
        _requireActiveRole(issuerRole(code));
        _issue(root, code);
    }

    /**
     * @notice Issues several roots of type `code` in one transaction.
     * @param roots The Merkle roots.
     * @param code The certificate type code.
     */
    function bulkIssueCertificates(bytes32[] calldata roots, uint16 code) public {
        if (roots.length == 0) revert EmptyBatch();
        _requireActiveRole(issuerRole(code));
        for (uint256 i = 0; i < roots.length; ++i) {
            _issue(roots[i], code);
        }
    }

    /// @notice OpenAttestation DocumentStore: issues `document` as a generic document.
    function issue(bytes32 document) external {
        issueCertificate(document, GENERIC_TYPE);
    }

    /// @notice OpenAttestation DocumentStore: issues generic documents in one transaction.
    function bulkIssue(bytes32[] calldata documents) external {
        bulkIssueCertificates(documents, GENERIC_TYPE);
    }

    // ------------------------------------------------------------------------------------------
    // Revocation (final) and suspension (reversible)
    // ------------------------------------------------------------------------------------------

    /**
     * @notice Revokes a whole batch (`targetHash` == `root`) or one certificate inside it.
     * @param root The batch root (issued here).
     * @param targetHash The certificate's target hash, or `root` for the whole batch.
     * @param proof Merkle proof of `targetHash` under `root` (empty when targetHash == root).
     * @param reason Reason code (non-zero).
     */
    function revokeCertificate(bytes32 root, bytes32 targetHash, bytes32[] calldata proof, uint8 reason)
        public
    {
        if (reason == 0) revert ReasonRequired();
        (uint256 status, bool isRoot) = _authorisedStatus(root, targetHash, proof);
        if (uint8(status >> REVOKE_SHIFT) != 0) revert AlreadyRevoked(targetHash);
        _setStatus(root, targetHash, isRoot, status, reason, uint8(status >> SUSPEND_SHIFT));
        emit CertificateRevoked(root, targetHash, reason, msg.sender);
    }

    /**
     * @notice Suspends a batch root or one certificate inside it (reversible).
     * @param root The batch root.
     * @param targetHash The certificate's target hash, or `root`.
     * @param proof Merkle proof of `targetHash` under `root`.
     * @param reason Reason code (non-zero).
     */
    function suspendCertificate(bytes32 root, bytes32 targetHash, bytes32[] calldata proof, uint8 reason)
        external
    {
        if (reason == 0) revert ReasonRequired();
        (uint256 status, bool isRoot) = _authorisedStatus(root, targetHash, proof);
        if (uint8(status >> REVOKE_SHIFT) != 0) revert AlreadyRevoked(targetHash);
        if (uint8(status >> SUSPEND_SHIFT) != 0) revert AlreadySuspended(targetHash);
        _setStatus(root, targetHash, isRoot, status, 0, reason);
        emit CertificateSuspended(root, targetHash, reason, msg.sender);
    }

    /**
     * @notice Lifts the suspension of a batch root or one certificate inside it.
     * @param root The batch root.
     * @param targetHash The certificate's target hash, or `root`.
     * @param proof Merkle proof of `targetHash` under `root`.
     */
    function reinstateCertificate(bytes32 root, bytes32 targetHash, bytes32[] calldata proof) external {
        (uint256 status, bool isRoot) = _authorisedStatus(root, targetHash, proof);
        if (uint8(status >> REVOKE_SHIFT) != 0) revert AlreadyRevoked(targetHash);
        if (uint8(status >> SUSPEND_SHIFT) == 0) revert NotSuspended(targetHash);
        _setStatus(root, targetHash, isRoot, status, 0, 0);
        emit CertificateReinstated(root, targetHash, msg.sender);
    }

    /// @notice OpenAttestation DocumentStore: revokes an issued root (reason code 1).
    function revoke(bytes32 document) external {
        revokeCertificate(document, document, _noProof(), 1);
    }

    /// @notice OpenAttestation DocumentStore: revokes several issued roots (reason code 1).
    function bulkRevoke(bytes32[] calldata documents) external {
        if (documents.length == 0) revert EmptyBatch();
        for (uint256 i = 0; i < documents.length; ++i) {
            revokeCertificate(documents[i], documents[i], _noProof(), 1);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /// @notice OpenAttestation DocumentStore: true if `document` (a root) was issued here.
    function isIssued(bytes32 document) public view returns (bool) {
        return _roots[document] != 0;
    }

    /// @notice OpenAttestation DocumentStore: true if `document` (root or target hash) is revoked or
    /// suspended.
    function isRevoked(bytes32 document) public view returns (bool) {
        uint256 marks = (_roots[document] | _leaves[document]) >> REVOKE_SHIFT;
        return uint16(marks) != 0;
    }

    /// @notice OpenAttestation DocumentStore: the block in which `document` was issued (0 if never).
    function getIssuedBlock(bytes32 document) external view returns (uint256) {
        return uint48(_roots[document] >> BLOCK_SHIFT);
    }

    /**
     * @notice Issued under `root`, and neither the root nor `targetHash` revoked or suspended.
     * @dev That `targetHash` belongs to the batch is what the document's own proof shows.
     */
    function isValid(bytes32 root, bytes32 targetHash) external view returns (bool) {
        return isIssued(root) && !isRevoked(root) && !isRevoked(targetHash);
    }

    /**
     * @notice Who issued `root`, of which type, in which block.
     * @return issuer The issuing participant (zero if never issued).
     * @return code The certificate type code.
     * @return blockNumber The block of issuance.
     */
    function issuance(bytes32 root) external view returns (address issuer, uint16 code, uint48 blockNumber) {
        uint256 record = _roots[root];
        return (address(uint160(record)), uint16(record >> CODE_SHIFT), uint48(record >> BLOCK_SHIFT));
    }

    /**
     * @notice Revocation and suspension of a root or target hash.
     * @return revokeReason Non-zero if revoked (final).
     * @return suspendReason Non-zero if suspended.
     * @return by For a target hash: who last changed it (for a root: the issuer).
     * @return blockNumber For a target hash: the block of that change (for a root: of issuance).
     */
    function statusOf(bytes32 hash)
        external
        view
        returns (uint8 revokeReason, uint8 suspendReason, address by, uint48 blockNumber)
    {
        uint256 record = _roots[hash] != 0 ? _roots[hash] : _leaves[hash];
        return (
            uint8(record >> REVOKE_SHIFT),
            uint8(record >> SUSPEND_SHIFT),
            address(uint160(record)),
            uint48(record >> BLOCK_SHIFT)
        );
    }

    /**
     * @notice Revocation and suspension marks of many hashes in one call (for verifying batches):
     * for each hash, revoke reason | suspend reason << 8 (zero when neither).
     * @param hashes Roots or target hashes.
     */
    function marksOf(bytes32[] calldata hashes) external view returns (uint16[] memory marks) {
        marks = new uint16[](hashes.length);
        for (uint256 i = 0; i < hashes.length; ++i) {
            marks[i] = uint16((_roots[hashes[i]] | _leaves[hashes[i]]) >> REVOKE_SHIFT);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Hooks and internals
    // ------------------------------------------------------------------------------------------

    /// @dev Reverts unless the caller is an active participant holding `role`.
    function _requireActiveRole(bytes32 role) internal view virtual;

    /// @dev Reverts unless the caller is an active directory administrator.
    function _requireAdmin() internal view virtual;

    function _define(bytes32 typeId) private returns (uint16 code) {
        if (typeId == bytes32(0)) revert InvalidCertificateType();
        if (_codes[typeId] != 0) revert CertificateTypeExists(typeId);
        code = ++_typeCount;
        _typeIds[code] = typeId;
        _codes[typeId] = code;
        emit CertificateTypeDefined(code, typeId, msg.sender);
    }

    function _issue(bytes32 root, uint16 code) private {
        if (_roots[root] != 0) revert AlreadyIssued(root);
        _roots[root] = uint256(uint160(msg.sender)) | (block.number << BLOCK_SHIFT) | (uint256(code) << CODE_SHIFT);
        emit CertificateIssued(root, code, msg.sender);
    }

    /// @dev Checks the batch, the proof and the caller's revoker role; returns the current status.
    function _authorisedStatus(bytes32 root, bytes32 targetHash, bytes32[] calldata proof)
        private
        view
        returns (uint256 status, bool isRoot)
    {
        uint256 record = _roots[root];
        if (record == 0) revert NotIssued(root);
        isRoot = targetHash == root;
        if (!isRoot && !MerkleProof.verifyCalldata(proof, root, targetHash)) revert NotInBatch(root, targetHash);
        _requireActiveRole(revokerRole(uint16(record >> CODE_SHIFT)));
        status = isRoot ? record : _leaves[targetHash];
    }

    function _setStatus(
        bytes32 root,
        bytes32 targetHash,
        bool isRoot,
        uint256 status,
        uint8 revokeReason,
        uint8 suspendReason
    ) private {
        uint256 marks = (uint256(revokeReason) << REVOKE_SHIFT) | (uint256(suspendReason) << SUSPEND_SHIFT);
        if (isRoot) {
            _roots[root] = (status & ((uint256(1) << REVOKE_SHIFT) - 1)) | marks;
        } else {
            _leaves[targetHash] = uint256(uint160(msg.sender)) | (block.number << BLOCK_SHIFT) | marks;
        }
    }

    function _noProof() private pure returns (bytes32[] calldata proof) {
        assembly {
            proof.offset := 0
            proof.length := 0
        }
    }
}
