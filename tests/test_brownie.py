"""Brownie interop: `brownie compile` and `brownie run scripts/deploy.py` really run.

Brownie (eth-brownie 1.22.2) pins its own versions of web3 and friends, so it lives in a virtual
environment of its own, built once under the project's data directory (``.govchain/brownie/``)
and reused while ``pyproject.toml`` is unchanged (the first build takes about half a minute).
Each run gets a fresh home directory (brownie's ``~/.brownie`` and py-solc-x's ``~/.solcx``), the
solc shim from ``scripts/solc_shim.py``, a copy of the brownie project files (so brownie's
``build/`` never lands in the checkout) and a fresh Anvil started by our own node code.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from govchain.chain import artifacts
from govchain.chain.node import EphemeralNode
from govchain.config import Config
from govchain.files import private_dir
from tests.conftest import REPO, make_config

pytestmark = pytest.mark.registry

BROWNIE = "eth-brownie==1.22.2"
# pip's words when it cannot reach the package registry at all.
UNREACHABLE = (
    "NewConnectionError",
    "Temporary failure in name resolution",
    "Max retries exceeded",
    "Network is unreachable",
    "ConnectionError",
)


def brownie_venv() -> Path:
    """The cached virtual environment with eth-brownie and govchain (editable); built if needed."""
    home = private_dir(Config.load(root=REPO).data_dir / "brownie")
    venv = home / "venv"
    key = hashlib.sha256((BROWNIE + (REPO / "pyproject.toml").read_text()).encode()).hexdigest()
    stamp = venv / ".govchain-installed"
    if stamp.is_file() and stamp.read_text() == key and (venv / "bin" / "brownie").is_file():
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    done = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
         "-e", f"{REPO}[brownie]"],
        capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    if done.returncode != 0:
        shutil.rmtree(venv, ignore_errors=True)
        if any(word in done.stderr for word in UNREACHABLE):
            pytest.skip(f"the package registry is unreachable: cannot install {BROWNIE}")
        pytest.fail(f"pip could not install {BROWNIE}:\n{done.stderr[-3000:]}")
    stamp.write_text(key)
    return venv


def brownie(venv: Path, env: dict[str, str], cwd: Path, *args: str) -> str:
    """Run ``brownie ARGS`` in ``cwd``; its output, or a failure with that output."""
    done = subprocess.run(
        [str(venv / "bin" / "brownie"), *args],
        cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    out = done.stdout + done.stderr
    assert done.returncode == 0, f"brownie {' '.join(args)} failed:\n{out[-4000:]}"
    return out


def brownie_project(where: Path) -> Path:
    """A copy of the brownie side of the checkout: config, contracts, the deploy script."""
    project = where / "project"
    shutil.copytree(REPO / "contracts", project / "contracts")
    (project / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "deploy.py", project / "scripts" / "deploy.py")
    shutil.copy(REPO / "brownie-config.yaml", project)
    (project / "node_modules").symlink_to(REPO / "node_modules")
    return project


def test_brownie_compiles_and_deploys_with_the_repository_config(tmp_path: Path) -> None:
    venv = brownie_venv()
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GOVCHAIN_", "SOLCX_"))},
        "HOME": str(home),
        "GOVCHAIN_ROOT": str(REPO),
        "GOVCHAIN_DATA_DIR": str(tmp_path / "data"),
        "GOVCHAIN_DEPLOYMENTS": str(tmp_path / "data" / "local.json"),
        "NO_COLOR": "1",
    }

    # The shim goes where py-solc-x looks: ~/.solcx/solc-v0.8.28.
    shim = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "solc_shim.py")],
        env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert shim == str(home / ".solcx" / "solc-v0.8.28")
    version = subprocess.run([shim, "--version"], capture_output=True, text=True, check=True)
    assert "Version: 0.8.28+commit.7893614a" in version.stdout

    project = brownie_project(tmp_path)
    out = brownie(venv, env, project, "compile")
    assert "Solc version: 0.8.28" in out and "EVM Version: Paris" in out
    # The same settings as `govchain compile`: byte-identical contracts.
    for name in ("GovChainCore", "CertificateStore", "CertificateTypeStore", "AirportLogistics"):
        built = json.loads((project / "build" / "contracts" / f"{name}.json").read_text())
        assert bytes.fromhex(built["bytecode"]) == artifacts.load(name).bytecode, name

    with EphemeralNode(make_config(tmp_path / "node", "http://127.0.0.1:1")) as node:
        brownie(
            venv, env, project, "networks", "add", "development", "govchain-local",
            "cmd=anvil", "host=http://127.0.0.1", f"port={node.port}", "chain_id=1337",
        )  # fmt: skip
        out = brownie(venv, env, project, "run", "scripts/deploy.py", "--network", "govchain-local")
        assert f"Attached to local RPC client listening at '127.0.0.1:{node.port}'" in out
        assert "GovChainCore deployed at" in out
        book = json.loads((tmp_path / "data" / "local.json").read_text())
        assert book["chain_id"] == 1337 and "GovChainCore" in book["contracts"]

        # Idempotent like `govchain deploy`, options passed through.
        out = brownie(
            venv, env, project, "run", "scripts/deploy.py", "main", "json",
            "--network", "govchain-local",
        )  # fmt: skip
        assert '"deployed": []' in out
        bad = subprocess.run(
            [str(venv / "bin" / "brownie"), "run", "scripts/deploy.py", "main", "bogus",
             "--network", "govchain-local"],
            cwd=project, env=env, capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
        assert bad.returncode == 2
        assert "error: No such option '--bogus'." in bad.stderr and "Traceback" not in bad.stderr

        # main() returns brownie contracts; brownie's own transactions pay the chain's base fee.
        check = (
            "from brownie import accounts, chain, network, project\n"
            "p = project.load('.'); p.load_config(); network.connect('govchain-local')\n"
            "from scripts.deploy import main\n"
            "core = main()['GovChainCore']\n"
            "print('participants', core.participantCount())\n"
            "tx = accounts[1].transfer(accounts[2], 1)\n"
            "print('base fee', chain.base_fee > 0, 'status', tx.status)\n"
        )
        done = subprocess.run(
            [str(venv / "bin" / "python"), "-c", check],
            cwd=project, env=env, capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        assert "base fee True status 1" in done.stdout, done.stdout
        assert "participants 1" in done.stdout, done.stdout  # the deployer, as administrator
