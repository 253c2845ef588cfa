"""How to run each local chain engine: where its binary is and its command line."""

from __future__ import annotations

import os
import platform
import shutil
from dataclasses import dataclass
from pathlib import Path

from govchain.chain.node import poa
from govchain.chain.node.ports import free_port
from govchain.config import LOCAL_CHAIN_ID, Config
from govchain.errors import NodeError

#: The published Foundry/Hardhat test mnemonic the local chain funds. NOT A SECRET: its keys
#: are public (see :mod:`govchain.devnet.keys`, used on the local chain only).
DEV_MNEMONIC = "test test test test test test test test test test test junk"
#: How many funded development accounts the local chain creates.
DEV_ACCOUNT_COUNT = 60

#: EVM rules Anvil and Ganache run (the contracts target paris, which every later fork runs).
HARDFORK = "shanghai"
DEV_BALANCE_ETH = 1_000_000


@dataclass(frozen=True)
class EngineCommand:
    argv: list[str]
    persists_itself: bool  # Ganache and EthereumJS keep their own database; Anvil: checkpoints


def anvil_binary(config: Config) -> Path:
    """Anvil from the npm package on Linux x86-64, else ``anvil`` on PATH."""
    packaged = config.node_modules / "@foundry-rs" / "anvil-linux-amd64" / "bin" / "anvil"
    if (
        platform.system() == "Linux"
        and platform.machine() in ("x86_64", "AMD64")
        and packaged.is_file()
    ):
        return packaged
    found = shutil.which("anvil")
    if found:
        return Path(found)
    raise NodeError(
        "Anvil is not installed: run `npm ci` in the project root (or `make up`); on a platform "
        "other than Linux x86-64, install Foundry's anvil and put it on PATH."
    )


def ganache_cli(config: Config) -> Path:
    cli = config.node_modules / "ganache" / "dist" / "node" / "cli.js"
    if not cli.is_file():
        raise NodeError("Ganache is not installed: run `npm ci` in the project root.")
    if shutil.which("node") is None:
        raise NodeError("Ganache needs Node.js: install `node` (Node 18 or newer).")
    return cli


#: Recent blocks whose state Anvil keeps (for calls and replays at those blocks).
KEPT_STATES = 256


def command(
    config: Config,
    engine: str,
    port: int,
    *,
    load_state: Path | None = None,
    ganache_db: Path | None = None,
    poa_dir: Path | None = None,
    quiet: bool = False,
) -> EngineCommand:
    """The command line that starts ``engine`` on 127.0.0.1:``port`` (chain id 1337; the
    ``poa`` engine 1338, its files under ``poa_dir``)."""
    if engine == "anvil":
        argv = [
            str(anvil_binary(config)),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--chain-id",
            str(LOCAL_CHAIN_ID),
            "--hardfork",
            HARDFORK,
            "--mnemonic",
            DEV_MNEMONIC,
            "--accounts",
            str(DEV_ACCOUNT_COUNT),
            "--balance",
            str(DEV_BALANCE_ETH),
            # Keep the states of the last blocks in memory only (replaying a refused transaction
            # needs its parent block's): by default Anvil writes older ones under
            # ~/.foundry/anvil/tmp and never removes them when stopped (75 GB here once).
            "--prune-history",
            str(KEPT_STATES),
        ]
        if load_state is not None:
            argv += ["--load-state", str(load_state)]
        if quiet:
            argv.append("--silent")
        return EngineCommand(argv, persists_itself=False)
    if engine == "ganache":
        argv = [
            "node",
            str(ganache_cli(config)),
            "--server.host",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--chain.chainId",
            str(LOCAL_CHAIN_ID),
            "--chain.networkId",
            str(LOCAL_CHAIN_ID),
            "--chain.hardfork",
            HARDFORK,
            "--wallet.mnemonic",
            DEV_MNEMONIC,
            "--wallet.totalAccounts",
            str(DEV_ACCOUNT_COUNT),
            "--wallet.defaultBalance",
            str(DEV_BALANCE_ETH),
        ]
        if ganache_db is not None:
            ganache_db.mkdir(parents=True, exist_ok=True)
            argv += ["--database.dbPath", str(ganache_db)]
        if quiet:
            argv.append("--logging.quiet")
        return EngineCommand(argv, persists_itself=True)
    if engine == "poa":
        if poa_dir is None:
            raise NodeError("The poa engine needs a directory for its chain.")
        files = poa.prepare(poa_dir, DEV_BALANCE_ETH, period=poa_period())
        return EngineCommand(
            poa.argv(config, files, port, free_port(), quiet=quiet), persists_itself=True
        )
    raise NodeError(f"Unknown node engine '{engine}' (use anvil, ganache or poa).")


def poa_period() -> int:
    """Seconds between the PoA chain's blocks (``GOVCHAIN_POA_PERIOD``, default 2), fixed in
    its genesis when the chain is created."""
    raw = os.environ.get("GOVCHAIN_POA_PERIOD", str(poa.DEFAULT_PERIOD))
    if not raw.isdigit() or not 1 <= int(raw) <= 60:
        raise NodeError(f"GOVCHAIN_POA_PERIOD must be 1 to 60 seconds (got {raw!r}).")
    return int(raw)
