"""Configuration precedence (flags > environment > file > defaults) and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from govchain.config import Config
from govchain.errors import ConfigError

FILE = """
[project]
data_dir = "state"
network = "consortium"

[networks.local]
rpc_url = "http://127.0.0.1:8545"

[networks.consortium]
rpc_url = "https://besu.example.gov.cn:8545"
chain_id = 8888
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in (
        "GOVCHAIN_NETWORK",
        "GOVCHAIN_RPC_URL",
        "GOVCHAIN_DATA_DIR",
        "GOVCHAIN_CONFIG",
        "GOVCHAIN_KEYSTORE",
        "GOVCHAIN_DEPLOYMENTS",
        "GOVCHAIN_CHAIN_ID",
        "GOVCHAIN_ROOT",
    ):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / "govchain.toml").write_text(FILE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_file_values(project: Path) -> None:
    cfg = Config.load()
    assert cfg.root == project and cfg.network == "consortium" and cfg.chain_id == 8888
    assert cfg.rpc_url == "https://besu.example.gov.cn:8545" and not cfg.is_local
    assert cfg.data_dir == project / "state"
    assert cfg.deployments_file == project / "deployments" / "consortium.json"
    assert cfg.keystore_dir == project / "state" / "keystore"


def test_environment_beats_file_and_flags_beat_environment(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVCHAIN_NETWORK", "local")
    monkeypatch.setenv("GOVCHAIN_RPC_URL", "http://127.0.0.1:9000")
    cfg = Config.load()
    assert cfg.network == "local" and cfg.rpc_url == "http://127.0.0.1:9000"
    assert cfg.chain_id == 1337 and cfg.port == 9000
    flagged = Config.load(rpc_url="http://localhost:7000", keystore="keys")
    assert flagged.rpc_url == "http://localhost:7000" and flagged.keystore_dir == project / "keys"


def test_unknown_network(project: Path) -> None:
    with pytest.raises(ConfigError, match="Network 'mainnet' is not defined"):
        Config.load(network="mainnet")


def test_bad_file_and_values(project: Path) -> None:
    (project / "govchain.toml").write_text("[project\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Config.load()
    with pytest.raises(ConfigError, match="missing.toml does not exist"):
        Config.load(config_file=project / "missing.toml")
    (project / "empty").mkdir()
    with pytest.raises(ConfigError, match="not an http"):
        Config.load(rpc_url="localhost:8545", root=project / "empty")


def test_unknown_engine(project: Path) -> None:
    with pytest.raises(ConfigError, match="Unknown node engine"):
        Config.load(engine="hardhat")
