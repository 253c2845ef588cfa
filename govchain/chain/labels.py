"""Readable names for addresses (display names live off chain; the chain holds their hashes).

One process-wide table, filled from the names file under the data directory and the demo cast, used
by error messages and CLI tables so a clerk reads "Beijing Customs (0x3C44…93BC)", not just hex.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from govchain.files import write_atomic
from govchain.hashing import keccak, to_checksum_address

_lock = threading.Lock()
_names: dict[str, str] = {}


def name_hash(name: str) -> bytes:
    """keccak256 of a display name, as stored in the participant directory."""
    return keccak(text=name.strip())


def short(address: str) -> str:
    a = to_checksum_address(address)
    return f"{a[:6]}…{a[-4:]}"


def add(address: str, name: str) -> None:
    with _lock:
        _names[to_checksum_address(address)] = name


def name_of(address: str) -> str | None:
    try:
        return _names.get(to_checksum_address(address))
    except ValueError:
        return None


def describe(address: str) -> str:
    """``Name (0x1234…abcd)`` when the name is known, else the full address."""
    name = name_of(address)
    return f"{name} ({short(address)})" if name else to_checksum_address(address)


def load_file(path: Path) -> None:
    """Merge a names file (``{address: name}``) into the table; a missing file is fine."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return
    if isinstance(data, dict):
        for address, name in data.items():
            if isinstance(name, str):
                try:
                    add(address, name)
                except ValueError:
                    continue


def save_names(path: Path, names: dict[str, str]) -> None:
    """Record display names in the names file (atomic write) and in the table."""
    try:
        data = json.loads(path.read_text())
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    for address, name in names.items():
        data[to_checksum_address(address)] = name
        add(address, name)
    text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomic(path, text, make_parents=True)
