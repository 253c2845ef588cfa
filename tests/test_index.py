"""The event index: catch-up, resume, agreement with the chain, rollback after an evm_revert,
rebuild after a chain reset, private files."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from govchain.chain.chain import Chain
from govchain.chain.node import EphemeralNode
from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.devnet.seed import seed_demo
from govchain.framework.index import EventIndex
from govchain.framework.plan import deploy_platform
from tests.conftest import make_config

Actor = Callable[[str], Sender]
TOY = "ToyPermits"


def fresh_index(gc: GovChain, path: Path) -> EventIndex:
    contracts = {n: r.address for n, r in gc.book.contracts.items()}
    start = min(r.block_number for r in gc.book.contracts.values())
    return EventIndex(gc.chain, contracts, path, start_block=start, range_size=7)


def request(gc: GovChain, actor: Actor, n: int) -> None:
    gc.case("toy").request(actor("retailer"), f"EVENT-9{n:04d}", plan=f"plan {n}".encode())


def test_catch_up_resume_and_agree_with_the_chain(
    gc: GovChain, actor: Actor, tmp_path: Path
) -> None:
    index = fresh_index(gc, tmp_path / "index.sqlite3")
    first = index.sync()
    assert first > 0 and index.sync() == 0  # caught up: nothing new
    for n in range(5):
        request(gc, actor, n)
    gc.case("toy").approve(actor("haidian"), "EVENT-90001")
    assert index.sync() > 0
    again = fresh_index(gc, tmp_path / "index.sqlite3")  # a new process on the same file
    assert again.sync() == 0
    rows = again.items(TOY)
    chain = gc.case("toy").records([r.id for r in rows])
    assert len(rows) == 5
    states = [gc.case("toy").spec.primary.state_value(r.state) for r in chain]
    assert [r.state for r in rows] == states
    assert again.counts(TOY) == {(1, 1): 4, (1, 2): 1}
    history = again.history(TOY, gc.case("toy").resolve("EVENT-90001"))
    assert [e.name for e in history] == ["Filed", "Transition", "Transition"]
    assert [e.name for e in again.events(TOY, ["Filed"])] == ["Filed"] * 5


def test_a_reverted_chain_is_rolled_back_never_served_stale(
    gc: GovChain, actor: Actor, tmp_path: Path
) -> None:
    index = fresh_index(gc, tmp_path / "index.sqlite3")
    request(gc, actor, 1)
    snapshot = gc.chain.snapshot()
    request(gc, actor, 2)
    gc.case("toy").approve(actor("haidian"), "EVENT-90001")
    index.sync()
    assert len(index.items(TOY)) == 2 and index.counts(TOY)[(1, 2)] == 1
    gc.chain.revert(snapshot)  # the two transactions are gone; others take their blocks
    request(gc, actor, 3)
    request(gc, actor, 4)
    generation = index.generation
    rows = index.items(TOY)
    assert index.generation > generation  # rolled back, not rebuilt from scratch
    toy = gc.case("toy")
    assert {r.id for r in rows} == {toy.resolve(f"EVENT-9000{n}") for n in (1, 3, 4)}
    assert index.counts(TOY) == {(1, 1): 3}


def test_a_reset_chain_rebuilds_the_index(tmp_path: Path) -> None:
    """`govchain node reset` starts a new chain at the same address: the same contract
    addresses come back, yet the index notices and rebuilds."""
    base = make_config(tmp_path, "http://127.0.0.1:1")
    path = tmp_path / "index.sqlite3"
    seen = []
    addresses = []
    port = None
    for round_ in range(2):
        with EphemeralNode(base, port=port) as node:
            port = node.port
            config = make_config(tmp_path, node.url)
            chain = Chain.from_config(config)
            bureau = chain.sender(cast.bureau().account)
            book = deploy_platform(config, chain, bureau, None).book
            gc = GovChain(config, chain, book)
            seed_demo(gc, bureau)
            retailer = gc.sender(cast.BY_KEY["retailer"].account)
            for n in range(round_ + 1):
                gc.case("toy").request(retailer, f"RESET-{round_}-{n}", plan=b"p")
            index = fresh_index(gc, path)
            addresses.append(book.address(TOY))
            seen.append({r.id for r in index.items(TOY)})
    assert addresses[0] == addresses[1]  # same deployer, same nonces: same addresses
    assert len(seen[0]) == 1 and len(seen[1]) == 2 and not seen[0] & seen[1]


def test_index_files_are_private(gc: GovChain, tmp_path: Path) -> None:
    path = tmp_path / "private" / "index.sqlite3"
    fresh_index(gc, path).sync()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
