"""Compile ``contracts/`` with solc's standard JSON interface into ``govchain/artifacts/``.

One pinned compiler version (:data:`SOLC_VERSION`), optimizer on, ``evmVersion`` paris, zero
warnings tolerated. Paris is the newest target without PUSH0, so the same bytecode runs on Anvil,
Ganache, the local proof-of-authority chain (EthereumJS seals clique blocks under London rules
only) and consortium chains that lag behind mainnet forks. Measured against shanghai
(``bench_case_gas``, every case transition, one run each): median +0.06 %, at most +0.17 % gas
per transaction; deployed code +2.1 % (4,461 bytes over 33 contracts, ~0.9 M gas once).
A native ``solc`` of exactly that version on PATH is used when present (through py-solc-x);
otherwise the pinned solcjs from ``node_modules`` through a small node shim that answers like a
native solc. A cache skips recompiling when sources, compiler and settings are unchanged.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govchain.chain import artifacts
from govchain.config import Config
from govchain.errors import CompileError
from govchain.hashing import keccak

SOLC_VERSION = "0.8.28"
#: The EVM the contracts target (see the module docstring for the measured cost).
EVM_VERSION = "paris"
OPTIMIZER_RUNS = 200
OPENZEPPELIN_VERSION = "5.3.0"
SHIM = Path(__file__).parent / "solcjs_shim.js"


def settings() -> dict[str, Any]:
    """The compiler settings every GovChain build uses (recorded in address books)."""
    return {
        "optimizer": {"enabled": True, "runs": OPTIMIZER_RUNS},
        "evmVersion": EVM_VERSION,
        "remappings": ["@openzeppelin/=node_modules/@openzeppelin/"],
        "metadata": {"bytecodeHash": "ipfs"},
    }


@dataclass(frozen=True)
class CompileResult:
    compiled: bool  # False when the cache was up to date
    contracts: list[str]
    compiler: str
    out_dir: Path


def compile_contracts(
    config: Config, *, force: bool = False, out_dir: Path | None = None
) -> CompileResult:
    """Compile every ``.sol`` file under ``contracts/`` and write one artifact per contract."""
    out = out_dir or artifacts.ARTIFACTS_DIR
    sources = read_sources(config.contracts_dir, config.root)
    fingerprint = sources_fingerprint(sources, config.node_modules)
    previous = _read_json(out / artifacts.BUILD_INFO)
    if not force and previous.get("fingerprint") == fingerprint:
        names = sorted(previous.get("contracts", {}))
        if all((out / f"{n}.json").is_file() for n in names):
            return CompileResult(False, names, previous.get("compiler", ""), out)

    binary, version = find_compiler(config)
    output = _run_solc(binary, config, _standard_input(sources))
    problems = [e for e in output.get("errors", []) if e.get("severity") in ("error", "warning")]
    if problems:
        raise CompileError(
            f"Solidity compilation reported {len(problems)} problem(s): "
            + "; ".join(_one_line(e) for e in problems)
        )

    written = _write_artifacts(output, sources, out, fingerprint, version)
    _forget_loaded_artifacts()
    return CompileResult(True, written, version, out)


def read_sources(contracts_dir: Path, root: Path) -> dict[str, str]:
    """``{"contracts/core/X.sol": text}`` for every Solidity file, in a stable order."""
    if not contracts_dir.is_dir():
        raise CompileError(f"There is no contracts directory at {contracts_dir}.")
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(contracts_dir.rglob("*.sol"))
    }


def sources_fingerprint(sources: dict[str, str], node_modules: Path) -> str:
    """A hash of everything that determines the build: sources, compiler, settings, OZ version."""
    oz_pkg = node_modules / "@openzeppelin" / "contracts" / "package.json"
    oz_version = _read_json(oz_pkg).get("version", OPENZEPPELIN_VERSION)
    blob = json.dumps(
        {"solc": SOLC_VERSION, "settings": settings(), "oz": oz_version, "sources": sources},
        sort_keys=True,
    )
    return "0x" + keccak(text=blob).hex()


def find_compiler(config: Config) -> tuple[Path, str]:
    """A native solc of the pinned version from PATH, else the solcjs shim: (path, version)."""
    native = shutil.which("solc")
    if native:
        version = _solc_version(Path(native))
        if version.startswith(SOLC_VERSION + "+"):
            return Path(native), version
    solc_pkg = config.node_modules / "solc" / "package.json"
    if not solc_pkg.is_file():
        raise CompileError(
            f"The Solidity compiler is not installed (no {solc_pkg}): run `npm ci` "
            "in the project root (or `make up`)."
        )
    if shutil.which("node") is None:
        raise CompileError("Node.js is required to run solcjs: install `node` (Node 18 or newer).")
    shim = _write_shim_launcher(config)
    version = _solc_version(shim)
    if not version.startswith(SOLC_VERSION + "+"):
        raise CompileError(
            f"node_modules has solc {version}, GovChain pins {SOLC_VERSION}: run `npm ci`."
        )
    return shim, version


def _write_shim_launcher(config: Config) -> Path:
    """An executable wrapper py-solc-x can call like a native solc binary."""
    bin_dir = config.data_dir / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    launcher = bin_dir / "solc-js"
    text = (
        "#!/bin/sh\n# Generated by govchain.compiler: runs the pinned solcjs like a native solc.\n"
        f'GOVCHAIN_NODE_MODULES="{config.node_modules}" exec node "{SHIM}" "$@"\n'
    )
    if not launcher.is_file() or launcher.read_text() != text:
        tmp = launcher.with_suffix(".tmp")
        tmp.write_text(text)
        tmp.chmod(tmp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        os.replace(tmp, launcher)
    return launcher


def _solc_version(binary: Path) -> str:
    try:
        out = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=60, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise CompileError(f"Cannot run the Solidity compiler {binary}: {exc}") from None
    for line in out.splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
    raise CompileError(f"{binary} --version did not print a version.")


def _standard_input(sources: dict[str, str]) -> dict[str, Any]:
    selection = ["abi", "evm.bytecode.object", "evm.deployedBytecode.object", "metadata"]
    return {
        "language": "Solidity",
        "sources": {path: {"content": text} for path, text in sources.items()},
        "settings": {
            **settings(),
            "outputSelection": {path: {"*": selection} for path in sources},
        },
    }


def _run_solc(binary: Path, config: Config, standard_input: dict[str, Any]) -> dict[str, Any]:
    import solcx
    from solcx.exceptions import SolcError

    try:
        result: dict[str, Any] = solcx.compile_standard(
            standard_input,
            base_path=str(config.root),
            allow_paths=[str(config.root), str(config.node_modules)],
            solc_binary=binary,
        )
        return result
    except SolcError as exc:
        detail = getattr(exc, "stdout_data", "") or str(exc)
        try:
            errors = json.loads(detail).get("errors", [])
            detail = "; ".join(_one_line(e) for e in errors)
        except (ValueError, AttributeError):
            detail = " ".join(detail.split())
        raise CompileError(f"Solidity compilation failed: {detail.strip()}") from None


def _one_line(error: dict[str, Any]) -> str:
    """A solc error as a developer reads it on one line: ``file:line:col: Type: message``."""
    text = str(error.get("formattedMessage") or error.get("message", ""))
    where = re.search(r"-->\s*(\S+:\d+:\d+)", text)
    kind = error.get("type", "Error")
    message = " ".join(str(error.get("message", text)).split())
    return f"{where.group(1)}: {kind}: {message}" if where else f"{kind}: {message}"


def _write_artifacts(
    output: dict[str, Any], sources: dict[str, str], out: Path, fingerprint: str, version: str
) -> list[str]:
    found: dict[str, dict[str, Any]] = {}
    for source_name in sources:
        for name, data in output.get("contracts", {}).get(source_name, {}).items():
            if name in found:
                raise CompileError(
                    f"Contract name {name} is defined twice ({found[name]['sourceName']} and "
                    f"{source_name}); contract names must be unique."
                )
            found[name] = {
                "contractName": name,
                "sourceName": source_name,
                "abi": data["abi"],
                "bytecode": "0x" + data["evm"]["bytecode"]["object"],
                "deployedBytecode": "0x" + data["evm"]["deployedBytecode"]["object"],
                "metadata": data.get("metadata", ""),
            }
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".build-") as staging:
        stage = Path(staging)
        for name, art in found.items():
            (stage / f"{name}.json").write_text(json.dumps(art, indent=1, sort_keys=True) + "\n")
        info = {
            "compiler": version,
            "settings": settings(),
            "fingerprint": fingerprint,
            "contracts": {n: a["sourceName"] for n, a in sorted(found.items())},
            "sources": {p: "0x" + keccak(text=t).hex() for p, t in sources.items()},
        }
        (stage / artifacts.BUILD_INFO).write_text(json.dumps(info, indent=1, sort_keys=True) + "\n")
        for old in out.glob("*.json"):
            if old.stem not in found and old.name != artifacts.BUILD_INFO:
                old.unlink()
        for produced in stage.iterdir():
            os.replace(produced, out / produced.name)
    return sorted(found)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _forget_loaded_artifacts() -> None:
    """After a recompilation in this process: drop everything derived from the old artifacts."""
    from govchain.chain import reverts, roles

    artifacts.clear_cache()
    reverts.clear_cache()
    roles.clear_cache()
