// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {CertificateTypeStore, ICertificateStatus} from "./CertificateTypeStore.sol";

/**
 * @title CertificateStore
 * @notice The registry of electronic certificates (OpenAttestation v2 documents), part of
 * {GovChainCore} so that its role checks read the directory's storage directly.
 *
 * - Certificate types: type id (keccak256 of the name) -> code; each type has its own issuer role
 *   and a separate revoker role, derived from the code ({issuerRole}, {revokerRole}) and granted
 *   in the participant directory, and its own document store address ({typeStore}), the one its
 *   documents name and OpenAttestation verifiers ask. A type store answers only for its own type.
 * - Issuance is bound to its type and issuer: the issuer sends the root of its documents' tree
 *   (the batch) and the store issues {rootOf}(batch, code, issuer) = the sorted-pair hash of the
 *   batch and {bindingLeaf}(code, issuer), so every document's proof ends with the binding leaf.
 *   Someone who copies a batch from the mempool issues a different root of their own, never the
 *   issuer's; no certificate's target hash (the hash of a document digest, not of 64 bytes) can
 *   be a root.
 * - Per root, one storage slot: the issuing participant, the block, the type code, the root's
 *   revocation and suspension reasons, and the validity window every certificate of the batch
 *   states, in whole UTC days (from the first day's start to the last day's end).
 * - One certificate inside a batch is revoked (final) or suspended (reversible) by its leaf: the
 *   preimage of its target hash (the document digest text), which an interior Merkle node (the
 *   hash of 64 bytes) never is, and a Merkle proof under an issued root. Only the revoker role
 *   of the root's type may change it, and the status is keyed by (type, target hash): another
 *   type's issuer cannot touch it (its roots are another type), and showing the certificate
 *   under another root of its type does not shed it.
 * - OpenAttestation DocumentStore events: {DocumentIssued} for every root issued and
 *   {DocumentRevoked} for every root or certificate revoked or suspended, of every type, from
 *   this address (the type stores answer the DocumentStore reads). Emitting them from each type's
 *   store would take a call to it on every issuance: +9,213 gas for a single issuance, against
 *   +1,148 here.
 */
abstract contract CertificateStore is ICertificateStatus {
    /// @notice Type code of plain OpenAttestation documents.
    uint16 public constant GENERIC_TYPE = 1;
    bytes32 private constant ISSUER_DOMAIN = keccak256("CERTIFICATE_ISSUER_ROLE");
    bytes32 private constant REVOKER_DOMAIN = keccak256("CERTIFICATE_REVOKER_ROLE");
    bytes32 private constant BINDING_DOMAIN = keccak256("GOVCHAIN_CERTIFICATE_BINDING");
    /// @dev An interior Merkle node is the hash of two 32-byte hashes.
    uint256 private constant NODE_PREIMAGE_LENGTH = 64;

    // Root record: issuer | block << 160 | code << 192 | revoke << 208 | suspend << 216
    //              | first valid day << 224 | last valid day << 240 (0 = no expiry)
    // Leaf record: actor | block << 160 | revoke << 208 | suspend << 216
    uint256 private constant BLOCK_SHIFT = 160;
    uint256 private constant CODE_SHIFT = 192;
    uint256 private constant REVOKE_SHIFT = 208;
    uint256 private constant SUSPEND_SHIFT = 216;
    uint256 private constant FROM_SHIFT = 224;
    uint256 private constant UNTIL_SHIFT = 240;
    uint256 private constant DAY = 1 days;

    /// @notice Store name shown by OpenAttestation tools.
    string public name;
    /// @notice The implementation every type store clones.
    address public immutable typeStoreImplementation;
    uint256 private immutable _bindingChainId;
    bytes32 private immutable _bindingSeparator;

    uint16 private _typeCount;
    mapping(uint16 code => bytes32 typeId) private _typeIds;
    mapping(bytes32 typeId => uint16 code) private _codes;
    mapping(uint16 code => address) private _typeStores;
    mapping(bytes32 root => uint256) private _roots;
    /// @dev keccak256(type code, target hash) => leaf record: a certificate's status belongs to
    /// its type, whichever root of that type it is shown under.
    mapping(bytes32 key => uint256) private _leaves;
    /// @dev The block of a root's latest revocation or suspension as a whole (0 when in force).
    mapping(bytes32 root => uint256 blockNumber) private _rootMarkedAt;

    /// @notice A type with this id already exists.
    error CertificateTypeExists(bytes32 typeId);
    /// @notice The type id is zero.
    error InvalidCertificateType();
    /// @notice The root was already issued.
    error AlreadyIssued(bytes32 root);
    /// @notice The validity window ends before it starts (days since 1970-01-01, UTC).
    error InvalidValidity(uint16 firstDay, uint16 lastDay);
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
    /// @notice The bytes given are an interior Merkle node's preimage, not a certificate's.
    error NotACertificate(bytes32 hash);
    /// @notice Reason code zero means "no reason"; revocation and suspension need one.
    error ReasonRequired();
    /// @notice An empty list, or lists of different lengths, were given.
    error EmptyBatch();

    /// @notice A certificate type was defined, with its document store.
    event CertificateTypeDefined(uint16 indexed code, bytes32 indexed typeId, address indexed by, address store);
    /// @notice A Merkle root (a batch of certificates) was issued.
    event CertificateIssued(bytes32 indexed root, uint16 indexed code, address indexed issuer);
    /// @notice A root, or one certificate's target hash under it, was revoked (final).
    event CertificateRevoked(bytes32 indexed root, bytes32 indexed hash, uint8 reason, address indexed by);
    /// @notice A root, or one certificate under it, was suspended (reversible).
    event CertificateSuspended(bytes32 indexed root, bytes32 indexed hash, uint8 reason, address indexed by);
    /// @notice OpenAttestation DocumentStore's event: `document`, a batch root, was issued (its
    /// type and issuer are in the {CertificateIssued} just before it).
    event DocumentIssued(bytes32 indexed document);
    /// @notice OpenAttestation DocumentStore's event: `document`, a batch root or a certificate's
    /// target hash, was revoked or suspended (details in the {CertificateRevoked} or
    /// {CertificateSuspended} just before it).
    event DocumentRevoked(bytes32 indexed document);
    /// @notice A suspension was lifted.
    event CertificateReinstated(bytes32 indexed root, bytes32 indexed hash, address indexed by);

    constructor(string memory name_) {
        name = name_;
        typeStoreImplementation = address(new CertificateTypeStore());
        _bindingChainId = block.chainid;
        _bindingSeparator = _separator();
        _define(keccak256("OA_DOCUMENT"));
    }

    // ------------------------------------------------------------------------------------------
    // Types
    // ------------------------------------------------------------------------------------------

    /**
     * @notice Defines a certificate type and creates its document store (administrator only).
     * Grant {issuerRole} and {revokerRole} of the returned code to let participants act on it.
     * @param typeId keccak256 of the type's name, e.g. keccak256("BUSINESS_LICENCE").
     * @return code The type's code.
     */
    function defineType(bytes32 typeId) external returns (uint16 code) {
        _requireAdmin();
        return _define(typeId);
    }

    /// @notice The role that may issue certificates of type `code`.
    function issuerRole(uint16 code) public pure returns (bytes32) {
        return _hash(ISSUER_DOMAIN, code);
    }

    /// @notice The role that may revoke, suspend and reinstate certificates of type `code`.
    function revokerRole(uint16 code) public pure returns (bytes32) {
        return _hash(REVOKER_DOMAIN, code);
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

    /// @notice The document store of type `code`, which its documents name (zero if undefined).
    function typeStore(uint16 code) external view returns (address) {
        return _typeStores[code];
    }

    /// @notice The leaf binding a batch to `issuer` and type `code` on this store and chain.
    function bindingLeaf(uint16 code, address issuer) public view returns (bytes32) {
        bytes32 separator = block.chainid == _bindingChainId ? _bindingSeparator : _separator();
        return _hash(separator, code, uint160(issuer));
    }

    /// @notice The root that issuing `batch` (a documents' tree root) as `issuer` and type `code`
    /// records: the sorted-pair hash of the batch and the binding leaf.
    function rootOf(bytes32 batch, uint16 code, address issuer) public view returns (bytes32) {
        return Hashes.commutativeKeccak256(batch, bindingLeaf(code, issuer));
    }

    // ------------------------------------------------------------------------------------------
    // Issuance
    // ------------------------------------------------------------------------------------------

    /**
     * @notice Issues a batch of certificates of type `code`, bound to the caller.
     * @param batch The root of the documents' Merkle tree.
     * @param code The certificate type code; the caller must hold {issuerRole}(code).
     * @param firstDay First day of validity every certificate of the batch states (days since
     * 1970-01-01 UTC; 0 for none).
     * @param lastDay Last day of validity (0 for no expiry).
     * @return root The root recorded: {rootOf}(batch, code, caller).
     */
    function issueCertificate(bytes32 batch, uint16 code, uint16 firstDay, uint16 lastDay)
        external
        returns (bytes32 root)
    {
        _requireActiveRole(issuerRole(code));
        return _issue(batch, code, firstDay, lastDay);
    }

    /**
     * @notice Issues several batches of type `code` in one transaction (one per validity window).
     * @param batches The documents' tree roots.
     * @param code The certificate type code.
     * @param firstDays First day of validity per batch.
     * @param lastDays Last day of validity per batch (0 for no expiry).
     */
    function bulkIssueCertificates(
        bytes32[] calldata batches,
        uint16 code,
        uint16[] calldata firstDays,
        uint16[] calldata lastDays
    ) external {
        uint256 n = batches.length;
        if (n == 0 || firstDays.length != n || lastDays.length != n) revert EmptyBatch();
        _requireActiveRole(issuerRole(code));
        for (uint256 i = 0; i < n; ++i) {
            _issue(batches[i], code, firstDays[i], lastDays[i]);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Revocation (final) and suspension (reversible)
    // ------------------------------------------------------------------------------------------

    /**
     * @notice Revokes one certificate of a batch.
     * @param root The batch root.
     * @param leaf The certificate's digest text, whose keccak256 is its target hash.
     * @param proof Merkle proof of the target hash under `root`.
     * @param reason Reason code (non-zero).
     */
    function revokeCertificate(bytes32 root, bytes calldata leaf, bytes32[] calldata proof, uint8 reason) external {
        if (reason == 0) revert ReasonRequired();
        (bytes32 key, bytes32 target) = _leafKey(root, leaf, proof);
        uint256 status = _leaves[key];
        if (uint8(status >> REVOKE_SHIFT) != 0) revert AlreadyRevoked(target);
        _leaves[key] = _leafRecord(reason, uint8(status >> SUSPEND_SHIFT));
        emit CertificateRevoked(root, target, reason, msg.sender);
        emit DocumentRevoked(target);
    }

    /**
     * @notice Suspends one certificate of a batch (reversible).
     * @param root The batch root.
     * @param leaf The certificate's digest text.
     * @param proof Merkle proof of the target hash under `root`.
     * @param reason Reason code (non-zero).
     */
    function suspendCertificate(bytes32 root, bytes calldata leaf, bytes32[] calldata proof, uint8 reason)
        external
    {
        if (reason == 0) revert ReasonRequired();
        (bytes32 key, bytes32 target) = _leafKey(root, leaf, proof);
        uint256 status = _leaves[key];
        if (uint8(status >> REVOKE_SHIFT) != 0) revert AlreadyRevoked(target);
        if (uint8(status >> SUSPEND_SHIFT) != 0) revert AlreadySuspended(target);
        _leaves[key] = _leafRecord(0, reason);
        emit CertificateSuspended(root, target, reason, msg.sender);
        emit DocumentRevoked(target);
    }

    /**
     * @notice Lifts the suspension of one certificate of a batch.
     * @param root The batch root.
     * @param leaf The certificate's digest text.
     * @param proof Merkle proof of the target hash under `root`.
     */
    function reinstateCertificate(bytes32 root, bytes calldata leaf, bytes32[] calldata proof) external {
        (bytes32 key, bytes32 target) = _leafKey(root, leaf, proof);
        uint256 status = _leaves[key];
        if (uint8(status >> REVOKE_SHIFT) != 0) revert AlreadyRevoked(target);
        if (uint8(status >> SUSPEND_SHIFT) == 0) revert NotSuspended(target);
        _leaves[key] = _leafRecord(0, 0);
        emit CertificateReinstated(root, target, msg.sender);
    }

    /**
     * @notice Revokes a whole batch (final).
     * @param root The batch root.
     * @param reason Reason code (non-zero).
     */
    function revokeBatch(bytes32 root, uint8 reason) external {
        if (reason == 0) revert ReasonRequired();
        uint256 record = _authorisedRoot(root);
        if (uint8(record >> REVOKE_SHIFT) != 0) revert AlreadyRevoked(root);
        _roots[root] = _rootMarks(record, reason, uint8(record >> SUSPEND_SHIFT));
        _rootMarkedAt[root] = block.number;
        emit CertificateRevoked(root, root, reason, msg.sender);
        emit DocumentRevoked(root);
    }

    /**
     * @notice Suspends a whole batch (reversible).
     * @param root The batch root.
     * @param reason Reason code (non-zero).
     */
    function suspendBatch(bytes32 root, uint8 reason) external {
        if (reason == 0) revert ReasonRequired();
        uint256 record = _authorisedRoot(root);
        if (uint8(record >> REVOKE_SHIFT) != 0) revert AlreadyRevoked(root);
        if (uint8(record >> SUSPEND_SHIFT) != 0) revert AlreadySuspended(root);
        _roots[root] = _rootMarks(record, 0, reason);
        _rootMarkedAt[root] = block.number;
        emit CertificateSuspended(root, root, reason, msg.sender);
        emit DocumentRevoked(root);
    }

    /**
     * @notice Lifts the suspension of a whole batch.
     * @param root The batch root.
     */
    function reinstateBatch(bytes32 root) external {
        uint256 record = _authorisedRoot(root);
        if (uint8(record >> REVOKE_SHIFT) != 0) revert AlreadyRevoked(root);
        if (uint8(record >> SUSPEND_SHIFT) == 0) revert NotSuspended(root);
        _roots[root] = _rootMarks(record, 0, 0);
        delete _rootMarkedAt[root];
        emit CertificateReinstated(root, root, msg.sender);
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /**
     * @notice Everything recorded about a root.
     * @return issuer The issuing participant (zero if never issued).
     * @return code The certificate type code.
     * @return blockNumber The block of issuance.
     * @return firstDay First day of validity of its certificates (days since 1970-01-01 UTC).
     * @return lastDay Last day of validity (0 for no expiry).
     * @return revokeReason Non-zero if the whole batch is revoked.
     * @return suspendReason Non-zero if the whole batch is suspended.
     */
    function issuance(bytes32 root)
        external
        view
        returns (
            address issuer,
            uint16 code,
            uint32 blockNumber,
            uint16 firstDay,
            uint16 lastDay,
            uint8 revokeReason,
            uint8 suspendReason
        )
    {
        uint256 record = _roots[root];
        return (
            address(uint160(record)),
            uint16(record >> CODE_SHIFT),
            uint32(record >> BLOCK_SHIFT),
            uint16(record >> FROM_SHIFT),
            uint16(record >> UNTIL_SHIFT),
            uint8(record >> REVOKE_SHIFT),
            uint8(record >> SUSPEND_SHIFT)
        );
    }

    /**
     * @notice The status of the certificate `target` shown under the batch `root` (the status
     * belongs to the root's type).
     * @return revokeReason Non-zero if revoked (final).
     * @return suspendReason Non-zero if suspended.
     * @return by Who last changed it.
     * @return blockNumber The block of that change.
     */
    function certificateStatus(bytes32 root, bytes32 target)
        external
        view
        returns (uint8 revokeReason, uint8 suspendReason, address by, uint32 blockNumber)
    {
        uint256 record = _leaves[_statusKey(uint16(_roots[root] >> CODE_SHIFT), target)];
        return (
            uint8(record >> REVOKE_SHIFT),
            uint8(record >> SUSPEND_SHIFT),
            address(uint160(record)),
            uint32(record >> BLOCK_SHIFT)
        );
    }

    /// @notice What {verification} answers: the root's record as {issuance} gives it, the
    /// certificate's own status as {certificateStatus} gives it, and the issuer's standing.
    struct Verification {
        address issuer;
        uint16 code;
        uint32 blockNumber;
        uint16 firstDay;
        uint16 lastDay;
        uint8 revokeReason;
        uint8 suspendReason;
        uint8 certificateRevokeReason;
        uint8 certificateSuspendReason;
        address certificateBy;
        uint32 certificateBlock;
        bool issuerActive;
    }

    /**
     * @notice Everything a verifier needs about the certificate `target` shown under the batch
     * `root`, in one call (a verifier of one document makes one request).
     */
    function verification(bytes32 root, bytes32 target) external view returns (Verification memory v) {
        uint256 record = _roots[root];
        v.issuer = address(uint160(record));
        v.code = uint16(record >> CODE_SHIFT);
        v.blockNumber = uint32(record >> BLOCK_SHIFT);
        v.firstDay = uint16(record >> FROM_SHIFT);
        v.lastDay = uint16(record >> UNTIL_SHIFT);
        v.revokeReason = uint8(record >> REVOKE_SHIFT);
        v.suspendReason = uint8(record >> SUSPEND_SHIFT);
        uint256 leaf = _leaves[_statusKey(v.code, target)];
        v.certificateRevokeReason = uint8(leaf >> REVOKE_SHIFT);
        v.certificateSuspendReason = uint8(leaf >> SUSPEND_SHIFT);
        v.certificateBy = address(uint160(leaf));
        v.certificateBlock = uint32(leaf >> BLOCK_SHIFT);
        v.issuerActive = v.issuer != address(0) && _isActiveParticipant(v.issuer);
    }

    /**
     * @notice Revocation and suspension marks of many certificates in one call: for each
     * (root, target) pair, revoke reason | suspend reason << 8 of the certificate itself.
     */
    function marksOf(bytes32[] calldata roots, bytes32[] calldata targets)
        external
        view
        returns (uint16[] memory marks)
    {
        if (roots.length != targets.length) revert EmptyBatch();
        marks = new uint16[](roots.length);
        for (uint256 i = 0; i < roots.length; ++i) {
            uint16 code = uint16(_roots[roots[i]] >> CODE_SHIFT);
            marks[i] = uint16(_leaves[_statusKey(code, targets[i])] >> REVOKE_SHIFT);
        }
    }

    /// @inheritdoc ICertificateStatus
    function issuedAs(uint16 code, bytes32 root) external view returns (uint256 blockNumber) {
        uint256 record = _roots[root];
        return uint16(record >> CODE_SHIFT) == code ? uint32(record >> BLOCK_SHIFT) : 0;
    }

    /// @inheritdoc ICertificateStatus
    function outOfForce(uint16 code, bytes32 hash) external view returns (bool) {
        uint256 record = _roots[hash];
        if (record == 0 || uint16(record >> CODE_SHIFT) != code) {
            return uint16(_leaves[_statusKey(code, hash)] >> REVOKE_SHIFT) != 0;
        }
        uint256 today = block.timestamp / DAY;
        uint256 lastDay = uint16(record >> UNTIL_SHIFT);
        return uint16(record >> REVOKE_SHIFT) != 0 || today < uint16(record >> FROM_SHIFT)
            || (lastDay != 0 && today > lastDay);
    }

    /// @inheritdoc ICertificateStatus
    function revokedAt(uint16 code, bytes32 hash) external view returns (uint256 blockNumber) {
        uint256 record = _roots[hash];
        if (record == 0 || uint16(record >> CODE_SHIFT) != code) {
            uint256 status = _leaves[_statusKey(code, hash)];
            return uint16(status >> REVOKE_SHIFT) != 0 ? uint32(status >> BLOCK_SHIFT) : 0;
        }
        return _rootMarkedAt[hash];
    }

    // ------------------------------------------------------------------------------------------
    // Hooks and internals
    // ------------------------------------------------------------------------------------------

    /// @dev Reverts unless the caller is an active participant holding `role`.
    function _requireActiveRole(bytes32 role) internal view virtual;

    /// @dev Reverts unless the caller is an active directory administrator.
    function _requireAdmin() internal view virtual;

    /// @dev Whether `account` is an active participant of the directory.
    function _isActiveParticipant(address account) internal view virtual returns (bool);

    function _define(bytes32 typeId) private returns (uint16 code) {
        if (typeId == bytes32(0)) revert InvalidCertificateType();
        if (_codes[typeId] != 0) revert CertificateTypeExists(typeId);
        code = ++_typeCount;
        _typeIds[code] = typeId;
        _codes[typeId] = code;
        address store = Clones.cloneWithImmutableArgs(typeStoreImplementation, abi.encode(code));
        _typeStores[code] = store;
        emit CertificateTypeDefined(code, typeId, msg.sender, store);
    }

    function _issue(bytes32 batch, uint16 code, uint16 firstDay, uint16 lastDay) private returns (bytes32 root) {
        // An undefined code has no store and nobody holds its issuer role (roles are derived from
        // the code, so checking the type here would cost a storage read per issuance).
        if (lastDay != 0 && lastDay < firstDay) revert InvalidValidity(firstDay, lastDay);
        root = rootOf(batch, code, msg.sender);
        if (_roots[root] != 0) revert AlreadyIssued(root);
        _roots[root] = uint256(uint160(msg.sender)) | (block.number << BLOCK_SHIFT) | (uint256(code) << CODE_SHIFT)
            | (uint256(firstDay) << FROM_SHIFT) | (uint256(lastDay) << UNTIL_SHIFT);
        emit CertificateIssued(root, code, msg.sender);
        emit DocumentIssued(root);
    }

    /// @dev Checks the root and the caller's revoker role for the root's type; returns its record.
    function _authorisedRoot(bytes32 root) private view returns (uint256 record) {
        record = _roots[root];
        if (record == 0) revert NotIssued(root);
        _requireActiveRole(revokerRole(uint16(record >> CODE_SHIFT)));
    }

    /// @dev Checks the root, the caller's role, that `leaf` is a certificate (not an interior
    /// node) and that it belongs to the batch; returns the status key and the target hash.
    function _leafKey(bytes32 root, bytes calldata leaf, bytes32[] calldata proof)
        private
        view
        returns (bytes32 key, bytes32 target)
    {
        uint256 record = _authorisedRoot(root);
        target = keccak256(leaf);
        if (leaf.length == NODE_PREIMAGE_LENGTH) revert NotACertificate(target);
        if (!MerkleProof.verifyCalldata(proof, root, target)) revert NotInBatch(root, target);
        key = _statusKey(uint16(record >> CODE_SHIFT), target);
    }

    /// @dev keccak256(abi.encode(a, b)) without allocating memory (issuance computes two).
    function _hash(bytes32 a, uint256 b) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            mstore(0x00, a)
            mstore(0x20, b)
            h := keccak256(0x00, 0x40)
        }
    }

    /// @dev keccak256(abi.encode(a, b, c)) in the free memory, without allocating it.
    function _hash(bytes32 a, uint256 b, uint256 c) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, a)
            mstore(add(m, 0x20), b)
            mstore(add(m, 0x40), c)
            h := keccak256(m, 0x60)
        }
    }

    /// @dev Binds leaves to this store on this chain (recomputed if the chain id ever changes).
    function _separator() private view returns (bytes32) {
        return keccak256(abi.encode(BINDING_DOMAIN, block.chainid, address(this)));
    }

    function _statusKey(uint16 code, bytes32 target) private pure returns (bytes32) {
        return keccak256(abi.encode(code, target));
    }

    function _leafRecord(uint8 revokeReason, uint8 suspendReason) private view returns (uint256) {
        return uint256(uint160(msg.sender)) | (block.number << BLOCK_SHIFT)
            | (uint256(revokeReason) << REVOKE_SHIFT) | (uint256(suspendReason) << SUSPEND_SHIFT);
    }

    function _rootMarks(uint256 record, uint8 revokeReason, uint8 suspendReason) private pure returns (uint256) {
        uint256 marks = uint256(0xffff) << REVOKE_SHIFT;
        return (record & ~marks) | (uint256(revokeReason) << REVOKE_SHIFT) | (uint256(suspendReason) << SUSPEND_SHIFT);
    }
}
