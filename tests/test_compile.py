"""Compilation: the committed artifacts match the sources; problems are clear errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from govchain.chain import artifacts
from govchain.chain.compiler import (
    EVM_VERSION,
    SOLC_VERSION,
    compile_contracts,
    read_sources,
    sources_fingerprint,
)
from govchain.config import Config
from govchain.errors import CompileError
from tests.conftest import REPO


@pytest.fixture(scope="module")
def repo_config() -> Config:
    return Config.load(root=REPO)


def test_artifacts_fingerprint_matches_the_sources(repo_config: Config) -> None:
    sources = read_sources(repo_config.contracts_dir, REPO)
    info = artifacts.build_info()
    assert info["fingerprint"] == sources_fingerprint(sources, repo_config.node_modules), (
        "contracts/ changed since govchain/artifacts was written: run `govchain compile`"
    )
    assert info["settings"]["evmVersion"] == EVM_VERSION
    assert info["compiler"].startswith(SOLC_VERSION + "+")


def test_recompiling_reproduces_the_committed_artifacts(
    repo_config: Config, tmp_path: Path
) -> None:
    result = compile_contracts(
        repo_config.with_overrides(data_dir=tmp_path), force=True, out_dir=tmp_path / "out"
    )
    assert result.compiled
    assert sorted(result.contracts) == artifacts.names()
    for name in result.contracts:
        fresh = json.loads((tmp_path / "out" / f"{name}.json").read_text())
        committed = json.loads((artifacts.ARTIFACTS_DIR / f"{name}.json").read_text())
        assert fresh["bytecode"] == committed["bytecode"], name
        assert fresh["abi"] == committed["abi"], name


def test_unchanged_sources_are_not_recompiled(repo_config: Config, tmp_path: Path) -> None:
    out = tmp_path / "out"
    config = repo_config.with_overrides(data_dir=tmp_path)
    assert compile_contracts(config, out_dir=out).compiled
    assert not compile_contracts(config, out_dir=out).compiled


def _project_with(tmp_path: Path, source: str) -> Config:
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "Bad.sol").write_text(source)
    return Config.load(root=tmp_path).with_overrides(node_modules=REPO / "node_modules")


def test_syntax_errors_are_reported(tmp_path: Path) -> None:
    config = _project_with(tmp_path, "pragma solidity 0.8.28;\ncontract Bad { function f( }\n")
    with pytest.raises(CompileError, match=r"contracts/Bad\.sol:2:\d+: ParserError: ") as caught:
        compile_contracts(config, out_dir=tmp_path / "out")
    assert "\n" not in caught.value.message  # one line, with the place to look
    assert not (tmp_path / "out" / "Bad.json").exists()


def test_warnings_are_refused(tmp_path: Path) -> None:
    source = (
        "// SPDX-License-Identifier: Apache-2.0\npragma solidity 0.8.28;\n"
        "contract Bad { function f(uint256 unused) external pure returns (uint256) "
        "{ return 1; } }\n"
    )
    with pytest.raises(
        CompileError, match=r"1 problem\(s\): contracts/Bad\.sol:3:\d+: Warning: Unused"
    ):
        compile_contracts(_project_with(tmp_path, source), out_dir=tmp_path / "out")


def test_missing_compiler_names_the_install_command(tmp_path: Path) -> None:
    config = Config.load(root=REPO).with_overrides(node_modules=tmp_path, data_dir=tmp_path)
    if shutil.which("solc"):
        pytest.skip("a native solc is on PATH")
    with pytest.raises(CompileError, match="npm ci"):
        compile_contracts(config, force=True, out_dir=tmp_path / "out")
