"""Deployment is idempotent, records what verifies it, and never redeploys silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govchain.chain.chain import Chain
from govchain.chain.deploy import CORE, Deployable, deploy, deploy_waves, inspect
from govchain.chain.deployments import AddressBook
from govchain.chain.node import EphemeralNode
from govchain.client import GovChain
from govchain.config import Config
from govchain.devnet import cast
from govchain.errors import DeploymentError
from govchain.framework.plan import platform_plan
from tests.conftest import make_config

PLAN = platform_plan()
ALL = [d.name for d in PLAN]


def test_second_run_sends_nothing(gc: GovChain) -> None:
    before = gc.chain.nonce(cast.bureau().address)
    bureau = gc.chain.sender(cast.bureau().account)
    result = deploy(gc.chain, bureau, network="local", book=gc.book, plan=PLAN)
    assert not result.changed and result.unchanged == ALL
    assert gc.chain.nonce(cast.bureau().address) == before


def test_contracts_go_out_in_waves_after_what_they_depend_on(gc: GovChain) -> None:
    waves = deploy_waves(PLAN)
    assert [d.name for d in waves[0]] == [CORE] and len(waves) == 3
    seen: set[str] = set()
    for wave in waves:
        assert all(set(d.depends) <= seen for d in wave)
        seen |= {d.name for d in wave}
    assert seen == set(ALL)
    # a wave is one batch: the platform's contracts sit in a handful of blocks, not one each
    blocks = {record.block_number for record in gc.book.contracts.values()}
    assert len(blocks) <= 2 * len(waves) < len(ALL)


def test_a_dependency_cycle_is_refused_before_anything_is_sent() -> None:
    a = Deployable("A", lambda ctx: [], depends=("B",))
    b = Deployable("B", lambda ctx: [], depends=("A",))
    with pytest.raises(DeploymentError, match="cycle among A, B"):
        deploy_waves([Deployable("C", lambda ctx: []), a, b])


def test_address_book_records_what_verifies_the_deployment(gc: GovChain, config: Config) -> None:
    raw = json.loads(config.deployments_file.read_text())
    assert raw["chain_id"] == 1337 and raw["network"] == "local"
    assert raw["compiler"]["version"].startswith("0.8.28+")
    assert raw["compiler"]["settings"]["evmVersion"] == "paris"
    record = raw["contracts"][CORE]
    assert set(record) >= {
        "address",
        "tx_hash",
        "block_number",
        "abi_hash",
        "bytecode_hash",
        "code_hash",
        "constructor_args",
    }
    receipt = gc.chain.rpc.call("eth_getTransactionReceipt", [record["tx_hash"]])
    assert int(receipt["blockNumber"], 16) == record["block_number"]
    assert receipt["contractAddress"].lower() == record["address"].lower()
    assert AddressBook.load(config.deployments_file).address(CORE) == (record["address"])


def test_changed_code_is_reported_and_redeployed_only_on_request(gc: GovChain) -> None:
    book = AddressBook.load(gc.config.deployments_file)
    book.contracts[CORE].bytecode_hash = "0x" + "00" * 32
    bureau = gc.chain.sender(cast.bureau().account)
    assert [s.status for s in inspect(gc.chain, book, PLAN)] == ["changed"] + ["ok"] * (
        len(ALL) - 1
    )
    before = gc.chain.nonce(bureau.address)
    with pytest.raises(DeploymentError, match="compiled code changed.*--redeploy"):
        deploy(gc.chain, bureau, network="local", book=book, plan=PLAN)
    assert gc.chain.nonce(bureau.address) == before
    result = deploy(gc.chain, bureau, network="local", book=book, redeploy=True, plan=PLAN)
    assert result.deployed == ALL  # every contract depends on the core
    assert result.book.address(CORE) != gc.book.address(CORE)


def test_reset_chain_is_detected(tmp_path: Path, gc: GovChain) -> None:
    with EphemeralNode(gc.config) as fresh:
        chain = Chain(fresh.url)
        bureau = chain.sender(cast.bureau().account)
        book = AddressBook.load(gc.config.deployments_file)
        book.contracts[CORE].address = "0x" + "12" * 20
        with pytest.raises(DeploymentError, match="chain was reset"):
            deploy(chain, bureau, network="local", book=book, plan=PLAN)
        result = deploy(chain, bureau, network="local", book=book, redeploy=True, plan=PLAN)
        assert result.deployed == ALL  # every contract depends on the core
        assert any("reset" in n for n in result.notices)


def test_book_for_another_chain_is_refused(gc: GovChain) -> None:
    book = AddressBook.load(gc.config.deployments_file)
    book.chain_id = 8888
    with pytest.raises(DeploymentError, match="chain id 8888"):
        inspect(gc.chain, book, PLAN)


def test_missing_and_damaged_books_are_clear(tmp_path: Path, gc: GovChain) -> None:
    with pytest.raises(DeploymentError, match="no address book.*make up"):
        AddressBook.load(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"network": "local", "chain')
    with pytest.raises(DeploymentError, match="not valid JSON"):
        AddressBook.load(bad)
    bad.write_text('{"network": "local"}')
    with pytest.raises(DeploymentError, match="not a GovChain address book"):
        AddressBook.load(bad)


def test_connect_refuses_a_book_that_does_not_match_the_chain(tmp_path: Path, gc: GovChain) -> None:
    book = AddressBook.load(gc.config.deployments_file)
    book.contracts[CORE].address = "0x" + "34" * 20
    path = tmp_path / "local.json"
    book.save(path)
    config = make_config(tmp_path, gc.config.rpc_url).with_overrides(deployments_file=path)
    with pytest.raises(DeploymentError, match="was the chain reset"):
        GovChain.connect(config)


def test_failed_deployment_writes_no_book(tmp_path: Path, gc: GovChain) -> None:
    broken = [*PLAN, Deployable("ParticipantGated", lambda ctx: [])]  # abstract: cannot deploy
    bureau = gc.chain.sender(cast.bureau().account)
    path = tmp_path / "local.json"
    with pytest.raises(DeploymentError, match="abstract"):
        result = deploy(gc.chain, bureau, network="local", book=None, plan=broken)
        result.book.save(path)
    assert not path.exists()
