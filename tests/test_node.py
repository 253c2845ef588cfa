"""The local chain: start/stop/status, persistence across restarts and crashes, Ganache."""

from __future__ import annotations

import json
import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from govchain.chain.chain import Chain
from govchain.chain.deploy import CORE
from govchain.chain.node import EphemeralNode, LocalNode
from govchain.chain.node.local import free_port, wait_gone
from govchain.chain.node.state import backup_path
from govchain.config import Config
from govchain.devnet import cast
from govchain.devnet.seed import cast_specs
from govchain.errors import NodeError
from govchain.framework.directory import Directory
from govchain.framework.plan import deploy_platform
from govchain.framework.roster import seed
from tests.conftest import make_config

NEWCOMER = "0x2000000000000000000000000000000000000002"


@pytest.fixture
def local(tmp_path: Path) -> Iterator[LocalNode]:
    node = LocalNode(make_config(tmp_path, f"http://127.0.0.1:{free_port()}"))
    yield node
    node.stop()


def _register(config: Config, name: str = "Persistence Test Co.") -> Directory:
    chain = Chain.from_config(config)
    bureau = chain.sender(cast.bureau().account)
    result = deploy_platform(config, chain, bureau, None)
    directory = Directory(_contract(chain, result.book.address(CORE)))
    directory.register(bureau, NEWCOMER, kind="enterprise", name=name, district="haidian")
    return directory


def _contract(chain: Chain, address: str):  # type: ignore[no-untyped-def]
    from govchain.chain.contracts import Contract

    return Contract(chain, CORE, address)


def _reconnect(node: LocalNode, directory: Directory) -> Directory:
    return Directory(_contract(Chain.from_config(node.config), directory.address))


def test_start_status_stop(local: LocalNode) -> None:
    result = local.start()
    assert not result.already_running and result.status.running
    assert result.status.chain_id == 1337 and result.status.engine == "anvil"
    assert local.start().already_running
    assert local.status().supervisor_pid and local.status().chain_pid
    assert local.stop()
    assert not local.status().running
    assert not local.stop()


def test_state_survives_a_clean_restart(local: LocalNode) -> None:
    local.start()
    directory = _register(local.config)
    local.stop()
    local.start()
    assert _reconnect(local, directory).is_registered(NEWCOMER)


def test_state_survives_kill_9_of_the_chain_process(local: LocalNode) -> None:
    local.start()
    directory = _register(local.config)
    time.sleep(2.5)  # the supervisor checkpoints within about a second of a new block
    chain_pid = local.status().chain_pid
    assert chain_pid
    os.kill(chain_pid, signal.SIGKILL)
    wait_gone(chain_pid, 10)
    time.sleep(0.5)
    assert not local.status().running
    local.start()
    assert _reconnect(local, directory).is_registered(NEWCOMER)


def test_state_survives_kill_9_of_the_supervisor(local: LocalNode) -> None:
    local.start()
    directory = _register(local.config)
    local.checkpoint()
    status = local.status()
    assert status.supervisor_pid and status.chain_pid
    os.kill(status.supervisor_pid, signal.SIGKILL)
    assert wait_gone(status.chain_pid, 10), "the chain must not outlive its supervisor"
    local.start()
    assert _reconnect(local, directory).is_registered(NEWCOMER)


def test_damaged_state_falls_back_to_last_good_checkpoint(local: LocalNode) -> None:
    local.start()
    directory = _register(local.config)
    local.checkpoint()
    local.checkpoint()  # now both the state file and its .bak hold the participant
    local.stop()
    state = local.state_file
    state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])  # a torn write
    result = local.start()
    assert result.notice and "damaged" in result.notice and "last good checkpoint" in result.notice
    assert list(state.parent.glob("anvil-state.json.damaged-*"))
    assert _reconnect(local, directory).is_registered(NEWCOMER)


def test_no_good_checkpoint_starts_fresh_and_says_so(local: LocalNode) -> None:
    local.start()
    _register(local.config)
    local.stop()
    local.state_file.write_text("{trunc")
    backup_path(local.state_file).unlink(missing_ok=True)
    result = local.start()
    assert result.notice and "fresh chain" in result.notice
    assert result.status.block_number == 0


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        node = LocalNode(make_config(tmp_path, f"http://127.0.0.1:{port}"))
        with pytest.raises(NodeError, match=f"Port {port} is already in use"):
            node.start()


def test_missing_binary_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no anvil on PATH either
    config = make_config(tmp_path, f"http://127.0.0.1:{free_port()}").with_overrides(
        node_modules=tmp_path / "node_modules"
    )
    with pytest.raises(NodeError, match="npm ci"):
        LocalNode(config).start()


def test_remote_url_is_not_managed(tmp_path: Path) -> None:
    with pytest.raises(NodeError, match="only manages the local chain"):
        LocalNode(make_config(tmp_path, "https://rpc.example.gov.cn"))


def test_logs_and_node_json(local: LocalNode) -> None:
    local.start()
    info = json.loads(local.info_file.read_text())
    assert info["engine"] == "anvil" and info["port"] == local.config.port
    assert "chain ready" in local.tail(200)


def test_ganache_runs_our_contracts(tmp_path: Path) -> None:
    from govchain.framework.directory import ParticipantAlreadyRegistered

    config = make_config(tmp_path, "http://127.0.0.1:1")
    with EphemeralNode(config, engine="ganache") as ganache:
        chain = Chain(ganache.url, expected_chain_id=1337)
        assert chain.is_ganache and not chain.sync_send
        bureau = chain.sender(cast.bureau().account)
        result = deploy_platform(config, chain, bureau, None)
        directory = Directory(_contract(chain, result.book.address(CORE)))
        seed(directory, bureau, cast_specs()[:5], tmp_path / "names.json")
        assert directory.count() == 5
        with pytest.raises(ParticipantAlreadyRegistered):
            directory.register(
                bureau, cast.CAST[1].address, kind="agency", name="Again", district="beijing"
            )
