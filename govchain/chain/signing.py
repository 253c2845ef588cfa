"""Fast transaction signing for the batch path: EIP-1559 (type 2) and legacy EIP-155.

eth-account's ``sign_transaction`` validates and normalises every field through several layers,
which costs about 0.4 ms a transaction here: as much as sending it. This module serialises the
two transaction types GovChain sends itself and signs the hash with libsecp256k1 (``coincurve``):
the bytes are identical to eth-account's (RFC 6979 signatures are deterministic; the tests check
it byte for byte, and the encoder against the ``rlp`` package) at a fraction of the cost.

The encoding is written out here rather than done with the ``rlp`` package: a transaction is a
flat list of integers and byte strings (plus an empty access list), and encoding it directly
takes 2.8 µs where ``rlp.encode`` takes 26 µs (measured here on a type-2 call with 68 bytes of
calldata) — half of all the signing time, since ``rlp.encode`` runs twice per transaction.
"""

from __future__ import annotations

from typing import Any

from coincurve import PrivateKey

from govchain.hashing import keccak

_TYPE_1559 = b"\x02"
_EMPTY_LIST = b"\xc0"


def encode_int(value: int) -> bytes:
    """RLP of a non-negative integer (big-endian, no leading zeros; zero is the empty string)."""
    if value < 0:
        raise ValueError("RLP encodes only non-negative integers")
    if value == 0:
        return b"\x80"
    if value < 0x80:
        return bytes((value,))
    return encode_bytes(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def encode_bytes(value: bytes) -> bytes:
    """RLP of a byte string."""
    size = len(value)
    if size == 1 and value[0] < 0x80:
        return value
    return _prefix(0x80, size) + value


def encode_list(items: list[bytes]) -> bytes:
    """RLP of a list whose items are already encoded."""
    payload = b"".join(items)
    return _prefix(0xC0, len(payload)) + payload


def _prefix(offset: int, size: int) -> bytes:
    if size < 56:
        return bytes((offset + size,))
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes((offset + 55 + len(length),)) + length


def _address(value: Any) -> bytes:
    if not value:
        return b""  # a deployment
    if isinstance(value, bytes):
        raw = value
    else:
        text = str(value)
        raw = bytes.fromhex(text[2:] if text[:2] in ("0x", "0X") else text)
    if len(raw) != 20:
        raise ValueError(f"not an address: {value!r}")
    return raw


class FastSigner:
    """Signs GovChain's transaction dicts (as built by :class:`govchain.tx.Sender`)."""

    def __init__(self, private_key: bytes) -> None:
        self._key = PrivateKey(private_key)

    def sign(self, tx: dict[str, Any]) -> bytes:
        """The raw signed transaction ready for ``eth_sendRawTransaction``."""
        to = encode_bytes(_address(tx.get("to")))
        data = encode_bytes(bytes(tx.get("data") or b""))
        value = encode_int(int(tx.get("value") or 0))
        if "maxFeePerGas" in tx:
            fields = [
                encode_int(tx["chainId"]),
                encode_int(tx["nonce"]),
                encode_int(tx["maxPriorityFeePerGas"]),
                encode_int(tx["maxFeePerGas"]),
                encode_int(tx["gas"]),
                to,
                value,
                data,
                _EMPTY_LIST,
            ]
            digest = keccak(_TYPE_1559 + encode_list(fields))
            r, s, recid = self._sign(digest)
            return _TYPE_1559 + encode_list([*fields, encode_int(recid), r, s])
        chain_id = tx["chainId"]
        fields = [
            encode_int(tx["nonce"]),
            encode_int(tx["gasPrice"]),
            encode_int(tx["gas"]),
            to,
            value,
            data,
        ]
        digest = keccak(encode_list([*fields, encode_int(chain_id), b"\x80", b"\x80"]))
        r, s, recid = self._sign(digest)
        return encode_list([*fields, encode_int(recid + 35 + 2 * chain_id), r, s])

    def _sign(self, digest: bytes) -> tuple[bytes, bytes, int]:
        """r and s (RLP-encoded, as integers: leading zeros dropped) and the recovery id."""
        signature = self._key.sign_recoverable(digest, hasher=None)
        return (
            encode_bytes(signature[:32].lstrip(b"\0")),
            encode_bytes(signature[32:64].lstrip(b"\0")),
            signature[64],
        )
