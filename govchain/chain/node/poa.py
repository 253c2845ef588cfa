"""The local proof-of-authority chain: EthereumJS (npm ``@ethereumjs/client``) sealing clique
blocks with one signer, the way a consortium of agencies runs Geth/Clique or Besu.

Its files live in the node directory: ``signer.key`` (the sealing key, generated on first start,
mode 0600, never leaves the machine), ``genesis.json`` (written once: clique with a block every
``period`` seconds, London rules, the signer and the 60 public development accounts funded so the
demo cast works as on Anvil) and ``chaindata/`` (the client's database, so a restart keeps the
chain). It is a real client: no ``anvil_*``/``evm_*`` methods, blocks every few seconds, fees.

The published client seals empty blocks on a clique chain; ``patches/`` holds the one-line fix
(npm ``patch-package`` applies it at install; ``tests/test_poa.py`` fails without it).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from govchain.config import POA_CHAIN_ID, Config
from govchain.errors import NodeError
from govchain.files import private_file

#: Seconds between blocks (clique ``period``).
DEFAULT_PERIOD = 2
GAS_LIMIT = 30_000_000
INITIAL_BASE_FEE = 10**9
#: The EVM rules of the chain. The client treats shanghai as post-merge and stops sealing, so
#: the chain runs London, and contracts deployed there must not use PUSH0 (see compiler.py).
HARDFORK = "london"
SECP256K1_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


@dataclass(frozen=True)
class PoaFiles:
    genesis: Path
    key: Path
    data: Path


def client_cli(config: Config) -> Path:
    cli = config.node_modules / "@ethereumjs" / "client" / "dist" / "esm" / "bin" / "cli.js"
    if not cli.is_file():
        raise NodeError("The EthereumJS client is not installed: run `npm ci` in the project root.")
    if shutil.which("node") is None:
        raise NodeError("The EthereumJS client needs Node.js: install `node` (Node 20 or newer).")
    return cli


def prepare(directory: Path, balance_eth: int, *, period: int = DEFAULT_PERIOD) -> PoaFiles:
    """The signer key and genesis under ``directory``, created on first use and then kept."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    files = PoaFiles(directory / "genesis.json", directory / "signer.key", directory / "chaindata")
    if not files.key.exists():
        private_file(files.key).write_text(_new_key().hex())
    if not files.genesis.exists():
        signer = _address(bytes.fromhex(files.key.read_text().strip()))
        tmp = files.genesis.with_suffix(".tmp")
        tmp.write_text(json.dumps(genesis(signer, period, balance_eth), indent=1))
        os.replace(tmp, files.genesis)
    return files


def genesis(signer: str, period: int, balance_eth: int) -> dict[str, object]:
    """A geth-style clique genesis: ``signer`` seals every block; it and the development
    accounts hold ``balance_eth`` each."""
    from govchain.chain.devguard import DEV_ADDRESSES

    balance = {"balance": hex(balance_eth * 10**18)}
    funded = {a: dict(balance) for a in (*sorted(DEV_ADDRESSES), signer)}
    forks = (
        "homestead eip150 eip155 eip158 byzantium constantinople petersburg istanbul berlin london"
    )
    config: dict[str, object] = {"chainId": POA_CHAIN_ID, **{f"{f}Block": 0 for f in forks.split()}}
    config["clique"] = {"period": period, "epoch": 30_000}
    zero32 = "0x" + "00" * 32
    return {
        "config": config,
        "nonce": "0x0",
        "timestamp": "0x0",
        # 32 bytes of vanity, the signer list, 65 bytes for the seal
        "extraData": "0x" + "00" * 32 + signer[2:].lower() + "00" * 65,
        "gasLimit": hex(GAS_LIMIT),
        "difficulty": "0x1",
        "mixHash": zero32,
        "coinbase": "0x" + "00" * 20,
        "alloc": funded,
        "number": "0x0",
        "gasUsed": "0x0",
        "parentHash": zero32,
        "baseFeePerGas": hex(INITIAL_BASE_FEE),
    }


def argv(config: Config, files: PoaFiles, port: int, p2p_port: int, *, quiet: bool) -> list[str]:
    """The client's command line: one node, mining, RPC on 127.0.0.1 only, no discovery."""
    return [
        "node",
        str(client_cli(config)),
        "--gethGenesis",
        str(files.genesis),
        "--dataDir",
        str(files.data),
        "--mine",
        "--isSingleNode",
        "--unlock",
        str(files.key),
        "--rpc",
        "--rpcAddr",
        "127.0.0.1",
        "--rpcPort",
        str(port),
        "--port",
        str(p2p_port),
        "--extIP",
        "127.0.0.1",
        "--discDns",
        "false",
        "--discV4",
        "false",
        "--logLevel",
        "error" if quiet else "warn",
    ]


def _new_key() -> bytes:
    while True:
        key = secrets.token_bytes(32)
        if 0 < int.from_bytes(key, "big") < SECP256K1_ORDER:
            return key


def _address(key: bytes) -> str:
    from eth_account import Account

    return str(Account.from_key(key).address)
