"""The Solidity ABI encoding (head/tail) of canonical type strings: ``encode`` and ``decode``.

Why not eth_abi: importing it costs ~0.17 s (its grammar parser, and eth_utils, which imports
pydantic), more than a whole CLI read command may take (issue 12, ``bench/bench_cli.py``). This is
the same encoding for the types GovChain's contracts use — ``uint<M>``, ``int<M>``, ``address``,
``bool``, ``bytes<M>``, ``bytes``, ``string``, tuples ``(…)``, arrays ``T[]`` and ``T[k]`` — with
eth_abi's value rules and results (strict decoding: padding checked, offsets bounded).
``tests/test_codec.py`` checks both directions against eth_abi on generated types and values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from govchain.hashing import is_checksum_address, is_hex_address

WORD = 32
#: eth_abi counts a static tuple in a head as one word, so it misses some of these pointers.
HEAD_POINTER = "An offset points into the head it belongs to."


class AbiCodecError(ValueError):
    """A value that does not fit its type, or data that is not a valid encoding."""


@dataclass(frozen=True)
class AbiType:
    """A parsed type. ``kind`` is uint, int, address, bool, fixed (bytesM), bytes, string,
    tuple or array; ``size`` is bits (ints), bytes (bytesM) or the length of a fixed array (-1:
    dynamic)."""

    kind: str
    size: int = 0
    items: tuple[AbiType, ...] = ()

    @cached_property
    def dynamic(self) -> bool:
        if self.kind in ("bytes", "string"):
            return True
        if self.kind == "array":
            return self.size < 0 or self.items[0].dynamic
        return self.kind == "tuple" and any(t.dynamic for t in self.items)

    @cached_property
    def head_size(self) -> int:
        """Bytes this type takes in its enclosing head: one word if dynamic, else all of it."""
        if self.dynamic:
            return WORD
        if self.kind == "tuple":
            return sum(t.head_size for t in self.items)
        if self.kind == "array":
            return self.size * self.items[0].head_size
        return WORD


_ARRAY_SUFFIX = re.compile(r"\[(\d*)\]$")
_BASIC = re.compile(r"(uint|int|bytes)(\d*)|address|bool|string")


@lru_cache(maxsize=1024)
def parse(type_string: str) -> AbiType:
    """The type a canonical ABI type string names (``uint256``, ``(address,bytes32)[]``)."""
    text = type_string.strip()
    suffix = _ARRAY_SUFFIX.search(text)
    if suffix:
        item = parse(text[: suffix.start()])
        return AbiType("array", int(suffix.group(1)) if suffix.group(1) else -1, (item,))
    if text.startswith("(") and text.endswith(")"):
        inner = text[1:-1]
        return AbiType("tuple", 0, tuple(parse(p) for p in _split_top(inner)) if inner else ())
    match = _BASIC.fullmatch(text)
    if not match:
        raise AbiCodecError(f"Unknown ABI type {type_string!r}.")
    base, digits = match.group(1), match.group(2)
    if base is None:
        return AbiType(text)
    if base == "bytes":
        if not digits:
            return AbiType("bytes")
        if not 1 <= int(digits) <= 32:
            raise AbiCodecError(f"Unknown ABI type {type_string!r}.")
        return AbiType("fixed", int(digits))
    bits = int(digits) if digits else 256
    if bits % 8 or not 8 <= bits <= 256:
        raise AbiCodecError(f"Unknown ABI type {type_string!r}.")
    return AbiType(base, bits)


def _split_top(inner: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, c in enumerate(inner):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    return parts


# -- encoding --------------------------------------------------------------------------------


def encode(types: Sequence[str], values: Sequence[Any]) -> bytes:
    """The ABI encoding of ``values`` as a tuple of ``types`` (as ``eth_abi.encode``)."""
    parsed = tuple(parse(t) for t in types)
    if not _is_list(values) or len(values) != len(parsed):
        raise AbiCodecError(f"{len(parsed)} value(s) expected for {list(types)}.")
    return _encode_sequence(parsed, values)


def _encode_sequence(types: Sequence[AbiType], values: Sequence[Any]) -> bytes:
    heads: list[bytes] = []
    tails: list[bytes] = []
    offset = sum(t.head_size for t in types)
    for typ, value in zip(types, values, strict=True):
        encoded = _encode(typ, value)
        if typ.dynamic:
            heads.append(offset.to_bytes(WORD, "big"))
            tails.append(encoded)
            offset += len(encoded)
        else:
            heads.append(encoded)
    return b"".join(heads) + b"".join(tails)


def _encode(typ: AbiType, value: Any) -> bytes:
    kind = typ.kind
    if kind == "uint" or kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise AbiCodecError(f"{_name(typ)} takes an integer, not {value!r}.")
        low, high = (0, 1 << typ.size) if kind == "uint" else _int_range(typ.size)
        if not low <= value < high:
            raise AbiCodecError(f"{value} is out of range for {_name(typ)}.")
        return value.to_bytes(WORD, "big", signed=kind == "int")
    if kind == "address":
        return b"\0" * 12 + _address_bytes(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise AbiCodecError(f"bool takes True or False, not {value!r}.")
        return (1 if value else 0).to_bytes(WORD, "big")
    if kind == "fixed":
        if not isinstance(value, bytes | bytearray) or len(value) > typ.size:
            raise AbiCodecError(f"bytes{typ.size} takes at most {typ.size} bytes, not {value!r}.")
        return bytes(value).ljust(WORD, b"\0")
    if kind == "bytes" or kind == "string":
        if kind == "string" and not isinstance(value, str):
            raise AbiCodecError(f"string takes text, not {value!r}.")
        if kind == "bytes" and not isinstance(value, bytes | bytearray):
            raise AbiCodecError(f"bytes takes bytes, not {value!r}.")
        raw = value.encode() if isinstance(value, str) else bytes(value)
        padded = raw.ljust((len(raw) + WORD - 1) // WORD * WORD, b"\0")
        return len(raw).to_bytes(WORD, "big") + padded
    if not _is_list(value):
        raise AbiCodecError(f"{_name(typ)} takes a list or tuple, not {value!r}.")
    if kind == "tuple":
        if len(value) != len(typ.items):
            raise AbiCodecError(f"{_name(typ)} takes {len(typ.items)} values, not {len(value)}.")
        return _encode_sequence(typ.items, value)
    item = typ.items[0]
    if typ.size < 0:
        return len(value).to_bytes(WORD, "big") + _encode_sequence([item] * len(value), value)
    if len(value) != typ.size:
        raise AbiCodecError(f"{_name(typ)} takes {typ.size} values, not {len(value)}.")
    return _encode_sequence([item] * typ.size, value)


def _address_bytes(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray) and len(value) == 20:
        return bytes(value)
    if isinstance(value, str) and is_hex_address(value):
        digits = value[-40:]
        if digits.islower() or digits.isupper() or digits.isdigit() or is_checksum_address(value):
            return bytes.fromhex(digits)
        raise AbiCodecError(f"{value!r} has mixed case but is not a checksummed address.")
    raise AbiCodecError(f"address takes 0x and 40 hex digits or 20 bytes, not {value!r}.")


def _int_range(bits: int) -> tuple[int, int]:
    return -(1 << (bits - 1)), 1 << (bits - 1)


def _is_list(value: Any) -> bool:
    return isinstance(value, list | tuple)


def _name(typ: AbiType) -> str:
    if typ.kind in ("uint", "int"):
        return f"{typ.kind}{typ.size}"
    if typ.kind == "fixed":
        return f"bytes{typ.size}"
    if typ.kind == "tuple":
        return "(" + ",".join(_name(t) for t in typ.items) + ")"
    if typ.kind == "array":
        return f"{_name(typ.items[0])}[{typ.size if typ.size >= 0 else ''}]"
    return typ.kind


# -- decoding --------------------------------------------------------------------------------


def decode(types: Sequence[str], data: bytes) -> tuple[Any, ...]:
    """The values ``data`` encodes as a tuple of ``types`` (as ``eth_abi.decode``: addresses in
    lower case, arrays as tuples). Raises :class:`AbiCodecError` for data that is not a valid
    encoding: short, an offset out of bounds, non-zero padding, a bool not 0 or 1."""
    parsed = tuple(parse(t) for t in types)
    return _decode_sequence(parsed, bytes(data), 0, len(data))


def _decode_sequence(types: Sequence[AbiType], data: bytes, base: int, end: int) -> tuple[Any, ...]:
    values = []
    position = base
    head_end = base + sum(t.head_size for t in types)
    for typ in types:
        if typ.dynamic:
            offset = _word(data, position, end)
            if offset >= end - base:
                raise AbiCodecError("An offset points past the end of the data.")
            if base + offset < head_end:
                raise AbiCodecError(HEAD_POINTER)
            values.append(_decode(typ, data, base + offset, end))
        else:
            values.append(_decode(typ, data, position, end))
        position += typ.head_size
    return tuple(values)


def _decode(typ: AbiType, data: bytes, at: int, end: int) -> Any:
    kind = typ.kind
    if kind == "tuple":
        return _decode_sequence(typ.items, data, at, end)
    if kind == "array":
        item = typ.items[0]
        if typ.size >= 0:
            return _decode_sequence([item] * typ.size, data, at, end)
        length = _word(data, at, end)
        if length * max(item.head_size, 1) > end - at - WORD:
            raise AbiCodecError("An array is longer than the data holds.")
        return _decode_sequence([item] * length, data, at + WORD, end)
    if kind in ("bytes", "string"):
        length = _word(data, at, end)
        start = at + WORD
        padded = (length + WORD - 1) // WORD * WORD
        if start + padded > end:
            raise AbiCodecError(f"A {kind} value is longer than the data holds.")
        if any(data[start + length : start + padded]):
            raise AbiCodecError(f"A {kind} value has non-zero padding.")
        raw = data[start : start + length]
        if kind == "bytes":
            return raw
        try:
            return raw.decode()
        except UnicodeDecodeError:
            raise AbiCodecError("A string is not valid UTF-8.") from None
    word = _chunk(data, at, end)
    if kind == "uint":
        value = int.from_bytes(word, "big")
        if value >> typ.size:
            raise AbiCodecError(f"A {_name(typ)} value has non-zero padding.")
        return value
    if kind == "int":
        value = int.from_bytes(word, "big", signed=True)
        low, high = _int_range(typ.size)
        if not low <= value < high:
            raise AbiCodecError(f"An {_name(typ)} value has bad padding.")
        return value
    if kind == "address":
        if any(word[:12]):
            raise AbiCodecError("An address has non-zero padding.")
        return "0x" + word[12:].hex()
    if kind == "bool":
        value = int.from_bytes(word, "big")
        if value > 1:
            raise AbiCodecError("A bool is neither 0 nor 1.")
        return value == 1
    if any(word[typ.size :]):  # fixed bytes
        raise AbiCodecError(f"A bytes{typ.size} value has non-zero padding.")
    return word[: typ.size]


def _chunk(data: bytes, at: int, end: int) -> bytes:
    if at + WORD > end:
        raise AbiCodecError("The data is too short for its types.")
    return data[at : at + WORD]


def _word(data: bytes, at: int, end: int) -> int:
    return int.from_bytes(_chunk(data, at, end), "big")
