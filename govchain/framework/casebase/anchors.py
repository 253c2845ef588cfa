"""Records at volume anchored as Merkle batches (contracts/core/MerkleAnchors.sol).

Each record's item hash is keccak256(record) and its leaf keccak256(item hash); one root per batch
of up to 65,536 records is anchored in one transaction, and the batch's sorted leaves are kept in
the :class:`~govchain.framework.batches.MerkleBatchIndex` so any record can be proven later with
nothing but the record, its proof and the chain.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from govchain.chain.contracts import Contract
from govchain.chain.tx import Sender
from govchain.framework.batches import ItemProof, MerkleBatchIndex
from govchain.framework.merkle import MerkleTree, keccak_many
from govchain.hashing import keccak

#: Records per Merkle batch: one anchoring transaction per 65,536 records.
BATCH_SIZE = 65_536


def leaf_of(record: bytes) -> bytes:
    """keccak256(keccak256(record)): a leaf can never be taken for an inner node."""
    return keccak(keccak(record))


class MerkleAnchoring:
    """Anchor, prove and verify records in a contract that inherits MerkleAnchors."""

    def __init__(self, contract: Contract, index: MerkleBatchIndex) -> None:
        self.contract = contract
        self.index = index

    def anchor(
        self, sender: Sender, records: Iterable[bytes], batch_size: int = BATCH_SIZE
    ) -> list[int]:
        """Hash ``records``, anchor one root per ``batch_size``, keep the leaves; batch ids."""
        return [
            self.anchor_leaves(sender, keccak_many(keccak_many(chunk)))
            for chunk in _chunks(records, batch_size)
        ]

    def anchor_leaves(self, sender: Sender, leaves: Sequence[bytes]) -> int:
        tree = MerkleTree(leaves)
        receipt = self.contract.transact(sender, "anchorBatch", tree.root, len(leaves))
        batch_id = int(self.contract.events(receipt, "BatchAnchored")[0]["batchId"])
        self.index.record(batch_id, tree)
        return batch_id

    def prove(self, record: bytes) -> ItemProof:
        return self.index.prove(leaf_of(record))

    def verify(self, record: bytes, proof: ItemProof) -> bool:
        """Checked by the contract against the anchored root."""
        return bool(
            self.contract.call("verifyItem", proof.batch_id, keccak(record), list(proof.proof))
        )


def _chunks(items: Iterable[bytes], size: int) -> Iterator[list[bytes]]:
    chunk: list[bytes] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
