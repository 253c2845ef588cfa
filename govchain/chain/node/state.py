"""Anvil state checkpoints that survive a crash.

Anvil's own ``--state`` rewrites its file in place, so a ``kill -9`` during a write leaves a
truncated file that Anvil then refuses to load. GovChain does not let Anvil write the file: the
node supervisor (and ``govchain node checkpoint``) fetch the state with ``anvil_dumpState`` and
write it atomically (temporary file, fsync, rename), keeping the previous good checkpoint as
``<state>.bak``. On start, a state file that does not parse is set aside and the last good copy
is used instead — and the user is told so.
"""

from __future__ import annotations

import fcntl
import gzip
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from govchain.chain.rpc import RpcClient
from govchain.files import write_atomic


@dataclass(frozen=True)
class StateChoice:
    path: Path | None  # the file to load, None for a fresh chain
    notice: str | None  # what the user must be told (fallback used, state lost)


def backup_path(state: Path) -> Path:
    return state.with_name(state.name + ".bak")


def is_valid(path: Path) -> bool:
    """True if ``path`` holds a complete Anvil state dump."""
    try:
        with path.open("rb") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "accounts" in data and "block" in data


def choose(state: Path) -> StateChoice:
    """Which checkpoint to start from, falling back to the last good copy when needed."""
    backup = backup_path(state)
    if not state.exists() and not backup.exists():
        return StateChoice(None, None)
    if state.exists() and is_valid(state):
        return StateChoice(state, None)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    if state.exists():
        damaged = state.with_name(f"{state.name}.damaged-{stamp}")
        os.replace(state, damaged)
        what = f"The chain state file {state.name} is damaged (set aside as {damaged.name})"
    else:
        what = f"The chain state file {state.name} is missing"
    if backup.exists() and is_valid(backup):
        age = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(backup.stat().st_mtime))
        with locked(state):
            _copy_atomic(backup, state)
        return StateChoice(state, f"{what}; restored the last good checkpoint from {age}.")
    return StateChoice(None, f"{what} and no good checkpoint exists: starting a fresh chain.")


def checkpoint(rpc: RpcClient, state: Path) -> int:
    """Dump the running Anvil's state into ``state`` atomically; returns the bytes written."""
    dumped = str(rpc.call("anvil_dumpState"))
    raw = bytes.fromhex(dumped.removeprefix("0x"))
    payload = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    json.loads(payload)  # never replace a good checkpoint with something that does not parse
    with locked(state):
        _write_atomic(state, payload, keep_previous=True)
    return len(payload)


@contextmanager
def locked(state: Path) -> Iterator[None]:
    """Serialise writers of one state file across processes."""
    state.parent.mkdir(parents=True, exist_ok=True)
    with open(state.with_name(state.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_atomic(path: Path, payload: bytes, *, keep_previous: bool) -> None:
    if keep_previous and path.exists():
        os.replace(path, backup_path(path))
    write_atomic(path, payload)


def _copy_atomic(source: Path, target: Path) -> None:
    write_atomic(target, source.read_bytes())
