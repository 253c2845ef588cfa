"""GovChain's own ABI codec and address/keccak helpers agree with eth_abi and eth_utils.

They exist so a CLI read command need not import eth_abi/eth_utils (issue 12); these tests keep
them honest: generated types and values encode to the same bytes, decode to the same values, and
what one refuses the other refuses.
"""

from __future__ import annotations

from typing import Any

import eth_abi
import eth_utils
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govchain import hashing
from govchain.chain import abicodec
from govchain.chain.abicodec import AbiCodecError

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- types and values --------------------------------------------------------------------------

_sizes = st.sampled_from([8, 16, 32, 64, 128, 160, 256])
_scalar_types = st.one_of(
    _sizes.map(lambda b: f"uint{b}"),
    _sizes.map(lambda b: f"int{b}"),
    st.integers(1, 32).map(lambda n: f"bytes{n}"),
    st.sampled_from(["address", "bool", "bytes", "string", "uint", "int"]),
)


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        inner.map(lambda t: f"{t}[]"),
        st.tuples(inner, st.integers(1, 3)).map(lambda p: f"{p[0]}[{p[1]}]"),
        st.lists(inner, min_size=1, max_size=4).map(lambda ts: f"({','.join(ts)})"),
    )


type_strings = st.recursive(_scalar_types, _extend, max_leaves=6)


def values_of(typ: abicodec.AbiType) -> st.SearchStrategy[Any]:
    kind = typ.kind
    if kind == "uint":
        return st.integers(0, (1 << typ.size) - 1)
    if kind == "int":
        return st.integers(-(1 << (typ.size - 1)), (1 << (typ.size - 1)) - 1)
    if kind == "address":
        return st.binary(min_size=20, max_size=20).map(lambda b: hashing.to_checksum_address(b))
    if kind == "bool":
        return st.booleans()
    if kind == "fixed":
        return st.binary(min_size=typ.size, max_size=typ.size)
    if kind == "bytes":
        return st.binary(max_size=80)
    if kind == "string":
        return st.text(max_size=40)
    if kind == "tuple":
        return st.tuples(*(values_of(t) for t in typ.items))
    item = values_of(typ.items[0])
    if typ.size < 0:
        return st.lists(item, max_size=3).map(tuple)
    return st.lists(item, min_size=typ.size, max_size=typ.size).map(tuple)


@st.composite
def typed_values(draw: st.DrawFn) -> tuple[list[str], tuple[Any, ...]]:
    types = draw(st.lists(type_strings, min_size=1, max_size=3))
    values = tuple(draw(values_of(abicodec.parse(t))) for t in types)
    return types, values


def _canonical(value: Any) -> Any:
    """eth_abi decodes addresses in lower case; compare like with like."""
    if isinstance(value, tuple | list):
        return tuple(_canonical(v) for v in value)
    if isinstance(value, str) and hashing.is_hex_address(value):
        return value.lower()
    return value


# -- agreement ---------------------------------------------------------------------------------


@SETTINGS
@given(typed_values())
def test_encoding_agrees_with_eth_abi(case: tuple[list[str], tuple[Any, ...]]) -> None:
    types, values = case
    ours = abicodec.encode(types, values)
    assert ours == eth_abi.encode(types, values)
    assert _canonical(abicodec.decode(types, ours)) == _canonical(values)
    assert abicodec.decode(types, ours) == eth_abi.decode(types, ours)


@SETTINGS
@given(typed_values(), st.data())
def test_damaged_data_is_refused_like_eth_abi(
    case: tuple[list[str], tuple[Any, ...]], data: st.DataObject
) -> None:
    types, values = case
    encoded = bytearray(abicodec.encode(types, values))
    if data.draw(st.booleans()) and encoded:
        encoded = encoded[: data.draw(st.integers(0, len(encoded) - 1))]
    else:
        for _ in range(data.draw(st.integers(1, 3))):
            if encoded:
                at = data.draw(st.integers(0, len(encoded) - 1))
                encoded[at] = data.draw(st.integers(0, 255))
    try:
        expected: Any = eth_abi.decode(types, bytes(encoded))
    except Exception:
        expected = AbiCodecError
    try:
        got: Any = abicodec.decode(types, bytes(encoded))
    except AbiCodecError as exc:
        got = AbiCodecError
        if expected is not AbiCodecError:  # stricter only where eth_abi's head size is short
            assert str(exc) == abicodec.HEAD_POINTER
            return
    assert got == expected


BAD_VALUES = [
    ("uint8", 256),
    ("uint8", -1),
    ("uint256", True),
    ("uint256", "1"),
    ("int8", 128),
    ("int8", -129),
    ("bool", 1),
    ("bool", None),
    ("bytes4", b"12345"),
    ("bytes32", "0x00"),
    ("bytes", "0x00"),
    ("string", b"text"),
    ("address", "0x" + "ab" * 19),
    ("address", b"\0" * 19),
    ("uint256[2]", [1]),
    ("uint256[]", 5),
    ("(uint8,bool)", (1,)),
]


@pytest.mark.parametrize(("typ", "value"), BAD_VALUES)
def test_bad_values_are_refused_like_eth_abi(typ: str, value: Any) -> None:
    with pytest.raises(Exception):  # noqa: B017 - eth_abi raises several types
        eth_abi.encode([typ], [value])
    with pytest.raises(AbiCodecError):
        abicodec.encode([typ], [value])


@pytest.mark.parametrize(
    "value",
    [
        "0xab5801a7d398351b8be11c439e05c5b3259aec9b",
        "0xAB5801A7D398351B8BE11C439E05C5B3259AEC9B",
        "0xAb5801a7D398351b8bE11C439e05C5B3259aeC9B",
        "ab5801a7d398351b8be11c439e05c5b3259aec9b",
        bytes(range(20)),
    ],
)
def test_addresses_accepted_like_eth_abi(value: Any) -> None:
    assert abicodec.encode(["address"], [value]) == eth_abi.encode(["address"], [value])


def test_a_mistyped_checksum_is_refused() -> None:
    """Stricter than eth_abi 6 (which accepts any case): mixed case claims EIP-55, and a wrong
    checksum means a mistyped address."""
    with pytest.raises(AbiCodecError, match="checksum"):
        abicodec.encode(["address"], ["0xab5801A7D398351b8bE11C439e05C5B3259aeC9B"])


def test_an_offset_into_the_head_is_refused() -> None:
    """The empty array whose offset was zeroed: it points at itself (found by the test above)."""
    data = bytes(64)
    with pytest.raises(Exception):  # noqa: B017
        eth_abi.decode(["uint8[]"], data)
    with pytest.raises(AbiCodecError, match="into the head"):
        abicodec.decode(["uint8[]"], data)


def test_a_huge_array_length_is_refused_without_allocating() -> None:
    data = (32).to_bytes(32, "big") + (2**255).to_bytes(32, "big")
    with pytest.raises(AbiCodecError):
        abicodec.decode(["uint256[]"], data)


@pytest.mark.parametrize("typ", ["uint7", "uint264", "bytes0", "bytes33", "fixed128x18", "foo"])
def test_unknown_types_are_refused(typ: str) -> None:
    with pytest.raises(AbiCodecError):
        abicodec.parse(typ)


# -- hashing -----------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.text(max_size=50))
def test_keccak_agrees_with_eth_utils(data: bytes, text: str) -> None:
    assert hashing.keccak(data) == eth_utils.keccak(data)
    assert hashing.keccak(text=text) == eth_utils.keccak(text=text)
    assert hashing.keccak(hexstr=data.hex()) == eth_utils.keccak(hexstr=data.hex())
    assert hashing.keccak_many([data, data]) == [eth_utils.keccak(data)] * 2


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=20, max_size=20), st.sampled_from(["lower", "upper", "bytes", "bare"]))
def test_checksum_addresses_agree_with_eth_utils(raw: bytes, form: str) -> None:
    value: Any = {
        "lower": "0x" + raw.hex(),
        "upper": "0x" + raw.hex().upper(),
        "bytes": raw,
        "bare": raw.hex(),
    }[form]
    assert hashing.to_checksum_address(value) == eth_utils.to_checksum_address(value)
    assert hashing.is_checksum_address(hashing.to_checksum_address(value))
    assert hashing.is_hex_address(value) == eth_utils.is_hex_address(value)


@pytest.mark.parametrize("value", ["", "0x", "0x123", "0x" + "g" * 40, "0x" + "a" * 41, b"\0" * 19])
def test_not_addresses(value: Any) -> None:
    assert not hashing.is_hex_address(value)
    assert not eth_utils.is_hex_address(value)
    with pytest.raises(ValueError):
        hashing.to_checksum_address(value)
