"""The event index: catch-up, resume, agreement with the chain, rollback after an evm_revert,
rebuild after a chain reset, private files. Every behaviour runs on both stores: the SQLite file
(the default) and a real PostgreSQL server (``GOVCHAIN_INDEX_URL=postgresql://…``)."""

from __future__ import annotations

import json
import stat
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from govchain.chain.chain import Chain
from govchain.chain.node import EphemeralNode
from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.devnet.seed import seed_demo
from govchain.framework.index import EventIndex, IndexStore
from govchain.framework.index.postgres import PostgresIndexStore
from govchain.framework.plan import deploy_platform
from tests.conftest import make_config

Actor = Callable[[str], Sender]
Store = Callable[[], IndexStore | Path]
TOY = "ToyPermits"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Opens the test's index store (again, as another process would): a SQLite file, or a
    schema of its own in the session's PostgreSQL."""
    if request.param == "sqlite":
        yield lambda: tmp_path / "index.sqlite3"
        return
    url = request.getfixturevalue("postgres_url")
    namespace = f"test_{uuid.uuid4().hex[:12]}"
    opened: list[PostgresIndexStore] = []

    def open_() -> IndexStore:
        opened.append(PostgresIndexStore(url, namespace))
        return opened[-1]

    yield open_
    opened[0].drop()
    for each in opened:
        each.close()


def fresh_index(gc: GovChain, store: IndexStore | Path) -> EventIndex:
    contracts = {n: r.address for n, r in gc.book.contracts.items()}
    start = min(r.block_number for r in gc.book.contracts.values())
    return EventIndex(gc.chain, contracts, store, start_block=start, range_size=7)


def request(gc: GovChain, actor: Actor, n: int) -> None:
    gc.case("toy").request(actor("retailer"), f"EVENT-9{n:04d}", plan=f"plan {n}".encode())


def test_catch_up_resume_and_agree_with_the_chain(gc: GovChain, actor: Actor, store: Store) -> None:
    index = fresh_index(gc, store())
    first = index.sync()
    assert first > 0 and index.sync() == 0  # caught up: nothing new
    for n in range(5):
        request(gc, actor, n)
    gc.case("toy").approve(actor("haidian"), "EVENT-90001")
    assert index.sync() > 0
    again = fresh_index(gc, store())  # a new process on the same file or schema
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
    gc: GovChain, actor: Actor, store: Store
) -> None:
    index = fresh_index(gc, store())
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


def test_a_reset_chain_rebuilds_the_index(tmp_path: Path, store: Store) -> None:
    """`govchain node reset` starts a new chain at the same address: the same contract
    addresses come back, yet the index notices and rebuilds."""
    base = make_config(tmp_path, "http://127.0.0.1:1")
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
            index = fresh_index(gc, store())
            addresses.append(book.address(TOY))
            seen.append({r.id for r in index.items(TOY)})
    assert addresses[0] == addresses[1]  # same deployer, same nonces: same addresses
    assert len(seen[0]) == 1 and len(seen[1]) == 2 and not seen[0] & seen[1]


def test_index_files_are_private(gc: GovChain, tmp_path: Path) -> None:
    path = tmp_path / "private" / "index.sqlite3"
    fresh_index(gc, path).sync()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_cli_lists_from_a_postgresql_index(
    gc: GovChain, actor: Actor, cli_env: dict[str, str | None], postgres_url: str
) -> None:
    """GOVCHAIN_INDEX_URL moves the index of a running deployment to PostgreSQL, unchanged."""
    from tests.test_cli import run

    for n in range(3):
        request(gc, actor, n)
    env = {**cli_env, "GOVCHAIN_INDEX_URL": postgres_url}
    listed = run(env, "toy", "list", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 3
    name = f"{gc.config.network}-{gc.chain.chain_id}"
    store = PostgresIndexStore(postgres_url, name)
    try:
        assert store.counts(gc.book.address(TOY)) == {(1, 1): 3}
    finally:
        store.drop()
        store.close()


def test_bad_index_urls_are_one_line_errors(cli_env: dict[str, str | None]) -> None:
    from tests.test_cli import fails, run

    bad = {**cli_env, "GOVCHAIN_INDEX_URL": "mysql://root@localhost/db"}
    fails(run(bad, "toy", "list"), 1, "Index URL 'mysql://root@localhost/db' is not understood")
    down = {**cli_env, "GOVCHAIN_INDEX_URL": "postgresql://govchain:secret@127.0.0.1:9/index"}
    result = run(down, "toy", "list")
    fails(result, 3, "The index database at postgresql://govchain:***@127.0.0.1:9/index")
    assert "secret" not in result.stderr
