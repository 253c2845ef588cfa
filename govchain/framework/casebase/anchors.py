"""Records at volume anchored as Merkle batches (contracts/core/MerkleAnchors.sol).

Each record's item hash is keccak256(record) and its leaf keccak256(item hash); one root per batch
of up to 65,536 records is anchored in one transaction, and the batch's sorted leaves are kept in
the :class:`~govchain.framework.batches.MerkleBatchIndex` so any record can be proven later with
nothing but the record, its proof and the chain.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from govchain.chain.contracts import Contract
from govchain.chain.tx import Sender
from govchain.framework.batches import ItemProof, MerkleBatchIndex
from govchain.framework.merkle import HashedBatch, hash_batch
from govchain.framework.parallel import map_ahead
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
        self,
        sender: Sender,
        records: Iterable[bytes],
        batch_size: int = BATCH_SIZE,
        workers: int | None = None,
    ) -> list[int]:
        """Hash ``records``, anchor one root per ``batch_size``, keep the leaves; batch ids.

        ``records`` is read as a stream; batches are hashed on every core (``workers``
        processes, default one per core) a few ahead of the one being anchored, so memory stays
        bounded whatever the input's size (:func:`govchain.framework.parallel.map_ahead`)."""
        return [
            self.anchor_hashed(sender, batch)
            for batch in map_ahead(hash_batch, _chunks(records, batch_size), workers)
        ]

    def anchor_hashed(self, sender: Sender, batch: HashedBatch) -> int:
        """Anchor a hashed batch's root, then keep its leaves under the batch id."""
        receipt = self.contract.transact(sender, "anchorBatch", batch.root, len(batch.leaves))
        batch_id = int(self.contract.events(receipt, "BatchAnchored")[0]["batchId"])
        self.index.record(batch_id, batch.root, batch.leaves)
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
