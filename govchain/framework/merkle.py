"""Merkle trees as GovChain builds them everywhere (certificate batches, tracking messages):
sorted leaves, parents = keccak256 of the sorted pair, an odd last node carried up unchanged —
OpenAttestation's tree, which OpenZeppelin's ``MerkleProof`` verifies on chain.

Hashing is the hot path for millions of leaves: :func:`govchain.hashing.keccak_many`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from govchain.errors import InputError
from govchain.hashing import keccak_many


def combine_layer(layer: Sequence[bytes]) -> list[bytes]:
    """The next layer up: pairs hashed in sorted order, an odd last node carried up as is."""
    pairs = [
        layer[i] + layer[i + 1] if layer[i] <= layer[i + 1] else layer[i + 1] + layer[i]
        for i in range(0, len(layer) - 1, 2)
    ]
    parents = keccak_many(pairs)
    if len(layer) % 2:
        parents.append(layer[-1])
    return parents


class MerkleTree:
    """A tree over 32-byte leaves (sorted bytewise first; duplicates kept, a duplicate's proof is
    that of its first occurrence)."""

    def __init__(self, leaves: Sequence[bytes], *, presorted: bool = False) -> None:
        if not leaves:
            raise InputError("A Merkle tree needs at least one leaf.")
        ordered = list(leaves) if presorted else sorted(leaves)
        self.layers: list[list[bytes]] = [ordered]
        while len(self.layers[-1]) > 1:
            self.layers.append(combine_layer(self.layers[-1]))
        self._index: dict[bytes, int] | None = None

    @property
    def root(self) -> bytes:
        return self.layers[-1][0]

    @property
    def leaves(self) -> list[bytes]:
        return self.layers[0]

    def proof(self, leaf: bytes) -> list[bytes]:
        """The sibling hashes from ``leaf`` up to the root."""
        if self._index is None:
            self._index = {}
            for i, item in enumerate(self.layers[0]):
                self._index.setdefault(item, i)
        index = self._index.get(leaf)
        if index is None:
            raise InputError(f"0x{leaf.hex()} is not a leaf of this Merkle tree.")
        proof: list[bytes] = []
        for layer in self.layers[:-1]:
            sibling = index + 1 if index % 2 == 0 else index - 1
            if sibling < len(layer):
                proof.append(layer[sibling])
            index //= 2
        return proof


class HashedBatch(NamedTuple):
    """A batch of records ready to anchor: its Merkle root and sorted leaves."""

    root: bytes
    leaves: list[bytes]


def hash_batch(records: Sequence[bytes]) -> HashedBatch:
    """The root and sorted leaves of ``records``, each leaf keccak256(keccak256(record)) so a
    leaf can never be taken for an inner node. Runs in worker processes (``parallel.map_ahead``):
    this module imports nothing heavy."""
    tree = MerkleTree(keccak_many(keccak_many(records)))
    return HashedBatch(tree.root, tree.leaves)


def proof_path(leaf: bytes, proof: Sequence[bytes]) -> list[bytes]:
    """The hashes from ``leaf`` up to the root its proof leads to (sorted-pair keccak256)."""
    path = [leaf]
    for sibling in proof:
        node = path[-1]
        path.append(keccak_many([node + sibling if node <= sibling else sibling + node])[0])
    return path


def verify(leaf: bytes, proof: Sequence[bytes], root: bytes) -> bool:
    """Whether folding ``proof`` into ``leaf`` (sorted-pair keccak256) yields ``root``."""
    return proof_path(leaf, proof)[-1] == root
