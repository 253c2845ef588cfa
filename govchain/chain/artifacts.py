"""Compiled contract artifacts shipped inside the package (``govchain/artifacts/``).

SDK users need no compiler: :func:`load` returns the ABI and bytecode written by
``govchain compile``. Every artifact's custom errors feed the revert decoder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from govchain.chain.abi import ContractInterface
from govchain.errors import CompileError
from govchain.hashing import keccak

ARTIFACTS_DIR = Path(__file__).parent.parent / "artifacts"
BUILD_INFO = "_build-info.json"


@dataclass(frozen=True)
class Artifact:
    """One compiled contract."""

    name: str
    source: str
    abi: list[dict[str, Any]]
    bytecode: bytes
    deployed_bytecode: bytes

    @property
    def interface(self) -> ContractInterface:
        return interface(self.name)

    @property
    def abi_hash(self) -> str:
        """keccak256 of the canonical ABI JSON (recorded in address books)."""
        canonical = json.dumps(self.abi, sort_keys=True, separators=(",", ":"))
        return "0x" + keccak(text=canonical).hex()

    @property
    def bytecode_hash(self) -> str:
        return "0x" + keccak(self.bytecode).hex()


@cache
def load(name: str) -> Artifact:
    """The artifact of contract ``name``; a clear error if it was never compiled."""
    path = ARTIFACTS_DIR / f"{name}.json"
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError:
        raise CompileError(
            f"No compiled artifact for contract {name}: run `govchain compile`."
        ) from None
    return Artifact(
        name=raw["contractName"],
        source=raw["sourceName"],
        abi=raw["abi"],
        bytecode=bytes.fromhex(raw["bytecode"].removeprefix("0x")),
        deployed_bytecode=bytes.fromhex(raw["deployedBytecode"].removeprefix("0x")),
    )


@cache
def interface(name: str) -> ContractInterface:
    return ContractInterface(name, load(name).abi)


def names() -> list[str]:
    """Names of every compiled contract."""
    return sorted(p.stem for p in ARTIFACTS_DIR.glob("*.json") if not p.name.startswith("_"))


def build_info() -> dict[str, Any]:
    """Compiler version, settings and source hashes of the current artifacts."""
    path = ARTIFACTS_DIR / BUILD_INFO
    if not path.is_file():
        return {}
    info: dict[str, Any] = json.loads(path.read_text())
    return info


def clear_cache() -> None:
    """Forget loaded artifacts (after a recompilation in the same process)."""
    load.cache_clear()
    interface.cache_clear()
