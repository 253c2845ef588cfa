"""map_ahead: results in order, from worker processes, never reading far ahead of the caller."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from govchain.framework.merkle import MerkleTree, hash_batch
from govchain.framework.parallel import map_ahead
from govchain.hashing import keccak


def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def same(value: object) -> object:
    return value


def fail_on_three(n: int) -> int:
    if n == 3:
        raise ValueError("three")
    return n


def test_results_come_in_order_from_workers() -> None:
    out = list(map_ahead(square_and_pid, range(20), workers=2))
    assert [v for v, _ in out] == [n * n for n in range(20)]
    assert os.getpid() not in {pid for _, pid in out}


def test_inline_for_one_worker_or_one_item() -> None:
    assert list(map_ahead(square_and_pid, [3], workers=2)) == [(9, os.getpid())]
    assert {pid for _, pid in map_ahead(square_and_pid, range(5), workers=1)} == {os.getpid()}
    assert list(map_ahead(square_and_pid, [], workers=2)) == []


def test_none_is_an_item_like_any_other() -> None:
    assert list(map_ahead(same, [None, None, 3], workers=2)) == [None, None, 3]
    assert list(map_ahead(same, [None], workers=2)) == [None]


def test_the_stream_is_read_only_a_few_items_ahead() -> None:
    taken: list[int] = []

    def endless() -> Iterator[int]:
        for n in itertools.count():
            taken.append(n)
            yield n

    results = map_ahead(square_and_pid, endless(), workers=2)
    first = [next(results)[0] for _ in range(3)]
    results.close()
    assert first == [0, 1, 4]
    assert len(taken) <= 3 + 2 + 1  # yielded, plus at most workers + 1 in flight


def test_a_worker_error_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="three"):
        list(map_ahead(fail_on_three, range(10), workers=2))


def test_hash_batch_is_the_tree_of_double_hashed_records() -> None:
    records = [f"r{i}".encode() for i in range(9)]
    tree = MerkleTree([keccak(keccak(r)) for r in records])
    assert hash_batch(records) == (tree.root, tree.leaves)
