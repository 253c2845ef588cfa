// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/**
 * @title MerkleAnchors
 * @notice Records at volume (tracking messages, bulk filings) anchored as one Merkle root per batch:
 * one transaction per batch, each record provable on its own. A record's leaf is
 * `keccak256(abi.encode(itemHash))` where `itemHash` is the keccak256 of the record, computed here
 * from the item hash a verifier gives, so an interior node of the tree can never pass as a record.
 * Trees use sorted pairs (OpenZeppelin's MerkleProof).
 */
abstract contract MerkleAnchors {
    bytes32[] private _roots;

    /// @notice A batch needs a root and at least one record.
    error EmptyBatch();
    /// @notice There is no batch with this id.
    error UnknownBatch(uint256 batchId);

    /// @notice A batch of `count` records was anchored under `root`.
    event BatchAnchored(uint256 indexed batchId, bytes32 root, uint32 count, address indexed submitter);

    /**
     * @notice Anchors a batch of records as one Merkle root (callers as the case allows).
     * @param root Merkle root (sorted pairs) of the records' leaves.
     * @param count How many records the batch holds.
     * @return batchId The batch's id (1, 2, ...).
     */
    function anchorBatch(bytes32 root, uint32 count) external returns (uint256 batchId) {
        _authorizeAnchor();
        if (root == bytes32(0) || count == 0) revert EmptyBatch();
        _roots.push(root);
        batchId = _roots.length;
        emit BatchAnchored(batchId, root, count, msg.sender);
    }

    /**
     * @notice True if the record hashing to `itemHash` is in batch `batchId`.
     * @param batchId The batch.
     * @param itemHash keccak256 of the record.
     * @param proof Sibling hashes from the leaf up to the root.
     */
    function verifyItem(uint256 batchId, bytes32 itemHash, bytes32[] calldata proof) external view returns (bool) {
        return MerkleProof.verifyCalldata(proof, batchRoot(batchId), keccak256(abi.encode(itemHash)));
    }

    /// @notice The Merkle root of batch `batchId`.
    function batchRoot(uint256 batchId) public view returns (bytes32) {
        if (batchId == 0 || batchId > _roots.length) revert UnknownBatch(batchId);
        return _roots[batchId - 1];
    }

    /// @notice Number of batches anchored.
    function batchCount() external view returns (uint256) {
        return _roots.length;
    }

    /// @dev Reverts unless the caller may anchor batches (a case also refuses while paused).
    function _authorizeAnchor() internal view virtual;
}
