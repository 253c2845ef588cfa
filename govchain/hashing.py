"""keccak256 and Ethereum addresses, the primitives every layer uses.

``eth_utils`` offers the same, but importing it costs ~0.14 s (it imports pydantic), which a CLI
read command cannot afford (``bench/bench_cli.py``); these are the few functions GovChain uses,
with eth_utils' behaviour (``tests/test_codec.py`` checks them against it).

Hashing drives pycryptodome's C keccak directly (~1.5 µs a hash instead of ~4.5 µs through its
public object API), loaded on first use (loading parses C declarations with cffi, which commands
that hash nothing need not pay). It checks itself against a known answer and falls back to
``eth_hash`` if the private API ever changes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

KeccakMany = Callable[[Sequence[bytes]], list[bytes]]

_EMPTY = "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
_HEX_ADDRESS = re.compile(r"(0[xX])?[0-9a-fA-F]{40}")


def _keccak_many_portable(items: Sequence[bytes]) -> list[bytes]:
    from eth_hash.auto import keccak

    return [keccak(item) for item in items]


def _make_fast_keccak() -> KeccakMany | None:
    try:
        from Crypto.Hash.keccak import _raw_keccak_lib as lib  # type: ignore[attr-defined]
        from Crypto.Util._raw_api import (  # type: ignore[attr-defined]
            VoidPointer,
            c_size_t,
            c_ubyte,
            create_string_buffer,
            get_raw_buffer,
        )
    except ImportError:  # pragma: no cover - pycryptodome is a web3 dependency
        return None

    reset, absorb, digest = lib.keccak_reset, lib.keccak_absorb, lib.keccak_digest
    local = threading.local()

    def state() -> tuple[Any, Any]:
        """This thread's keccak state and output buffer, made once (a state a call cost as
        much as hashing a transaction)."""
        found = getattr(local, "state", None)
        if found is None:
            pointer = VoidPointer()
            # capacity 512 bits (64 bytes) and 24 rounds = Keccak-256; 0x01: original padding
            if lib.keccak_init(pointer.address_of(), c_size_t(64), c_ubyte(24)):
                raise RuntimeError("keccak_init failed")
            found = local.state = (pointer, create_string_buffer(32))  # type: ignore[call-arg]
        return found[0].get(), found[1]

    def keccak_many(items: Sequence[bytes]) -> list[bytes]:
        handle, out = state()
        results: list[bytes] = []
        for item in items:
            reset(handle)
            absorb(handle, item, len(item))
            digest(handle, out, 32, 1)
            results.append(get_raw_buffer(out))
        return results

    try:
        if [h.hex() for h in keccak_many([b"", b""])] != [_EMPTY, _EMPTY]:
            return None
    except Exception:  # pragma: no cover - a changed private API; use the portable path
        return None
    return keccak_many


_chosen: list[KeccakMany] = []


def keccak_many(items: Sequence[bytes]) -> list[bytes]:
    """keccak256 of each item, fast (one C state reused for all)."""
    if not _chosen:
        _chosen.append(_make_fast_keccak() or _keccak_many_portable)
    return _chosen[0](items)


def keccak(
    primitive: bytes | bytearray | None = None,
    *,
    text: str | None = None,
    hexstr: str | None = None,
) -> bytes:
    """keccak256 of bytes, of a text's UTF-8, or of the bytes a hex string spells."""
    if text is not None:
        data = text.encode()
    elif hexstr is not None:
        data = bytes.fromhex(hexstr[2:] if hexstr[:2] in ("0x", "0X") else hexstr)
    elif isinstance(primitive, bytes | bytearray):
        data = bytes(primitive)
    else:
        raise TypeError("keccak takes bytes, text= or hexstr=")
    return keccak_many([data])[0]


def is_hex_address(value: object) -> bool:
    """Whether ``value`` is 40 hex digits, with or without 0x (any case)."""
    return isinstance(value, str) and _HEX_ADDRESS.fullmatch(value) is not None


@lru_cache(maxsize=8192)
def to_checksum_address(value: str | bytes) -> str:
    """The EIP-55 form of an address given as hex (any case, 0x optional) or 20 bytes.

    Raises ValueError for anything else. Cached: the same few addresses recur in every table.
    """
    if isinstance(value, bytes | bytearray):
        if len(value) != 20:
            raise ValueError(f"An address is 20 bytes, not {len(value)}.")
        lower = bytes(value).hex()
    elif is_hex_address(value):
        lower = value[-40:].lower()
    else:
        raise ValueError(f"Unknown format {value!r}, attempted to normalize to an address.")
    digest = keccak(lower.encode()).hex()
    return "0x" + "".join(
        c.upper() if c > "9" and digest[i] >= "8" else c for i, c in enumerate(lower)
    )


def is_checksum_address(value: object) -> bool:
    return isinstance(value, str) and is_hex_address(value) and value == _checksum_or_none(value)


def _checksum_or_none(value: str) -> str | None:
    try:
        return to_checksum_address(value)
    except ValueError:
        return None
