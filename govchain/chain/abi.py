"""ABI encoding and decoding for one contract: calls, outputs, events and custom errors.

Structs come back as dicts keyed by component name; ``bytesN`` arguments accept ``bytes`` or a
``0x`` hex string; addresses come back checksummed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from govchain.chain.abicodec import AbiCodecError
from govchain.chain.abicodec import decode as abi_decode
from govchain.chain.abicodec import encode as abi_encode
from govchain.errors import InputError
from govchain.hashing import keccak, to_checksum_address

AbiEntry = dict[str, Any]


def type_string(param: AbiEntry) -> str:
    """The canonical type of an ABI parameter, with tuples expanded: ``(uint8,bool)[]``."""
    typ: str = param["type"]
    if typ.startswith("tuple"):
        inner = ",".join(type_string(c) for c in param["components"])
        return f"({inner}){typ[len('tuple') :]}"
    return typ


def signature(entry: AbiEntry) -> str:
    return f"{entry['name']}({','.join(type_string(p) for p in entry.get('inputs', []))})"


def selector(entry: AbiEntry) -> bytes:
    return keccak(text=signature(entry))[:4]


@dataclass(frozen=True)
class _Signature:
    """A function's ABI entry with its selector and parameter types, computed once."""

    entry: AbiEntry
    selector: bytes
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]

    @classmethod
    def of(cls, entry: AbiEntry) -> _Signature:
        return cls(
            entry,
            selector(entry),
            tuple(type_string(p) for p in entry.get("inputs", [])),
            tuple(type_string(p) for p in entry.get("outputs", [])),
        )


@dataclass(frozen=True)
class Event:
    """A decoded log."""

    name: str
    args: dict[str, Any]
    address: str
    block_number: int
    tx_hash: str
    log_index: int

    def __getitem__(self, key: str) -> Any:
        return self.args[key]


class ContractInterface:
    """Encoder/decoder for one contract ABI."""

    def __init__(self, name: str, abi: list[AbiEntry]) -> None:
        self.name = name
        self.abi = abi
        self.functions: dict[str, list[AbiEntry]] = {}
        self.events_by_topic: dict[bytes, AbiEntry] = {}
        self.events_by_name: dict[str, AbiEntry] = {}
        self.errors_by_selector: dict[bytes, AbiEntry] = {}
        self.constructor: AbiEntry | None = None
        self._signatures: dict[tuple[str, int], _Signature] = {}
        self._by_selector: dict[bytes, AbiEntry] | None = None
        for entry in abi:
            kind = entry.get("type")
            if kind == "function":
                self.functions.setdefault(entry["name"], []).append(entry)
            elif kind == "event":
                self.events_by_topic[keccak(text=signature(entry))] = entry
                self.events_by_name[entry["name"]] = entry
            elif kind == "error":
                self.errors_by_selector[selector(entry)] = entry
            elif kind == "constructor":
                self.constructor = entry

    # -- calls -------------------------------------------------------------------------------
    def function(self, name: str, nargs: int) -> AbiEntry:
        return self._signature(name, nargs).entry

    def _signature(self, name: str, nargs: int) -> _Signature:
        """``name`` taking ``nargs`` arguments, its selector and types worked out once."""
        found = self._signatures.get((name, nargs))
        if found is None:
            candidates = [f for f in self.functions.get(name, []) if len(f["inputs"]) == nargs]
            if not candidates:
                raise InputError(f"{self.name} has no function {name} taking {nargs} argument(s).")
            found = self._signatures[(name, nargs)] = _Signature.of(candidates[0])
        return found

    def encode_call(self, name: str, args: Sequence[Any]) -> bytes:
        sig = self._signature(name, len(args))
        return sig.selector + encode_params(
            sig.entry["inputs"], args, f"{self.name}.{name}", sig.inputs
        )

    def function_by_selector(self, sel: bytes) -> AbiEntry | None:
        """The function whose selector is ``sel`` (the table made on first use)."""
        if self._by_selector is None:
            self._by_selector = {
                selector(fn): fn for entries in self.functions.values() for fn in entries
            }
        return self._by_selector.get(bytes(sel))

    def decode_call(self, data: bytes | str) -> tuple[str, list[Any]]:
        """The function name and arguments of calldata ``data`` (as :meth:`encode_call` made)."""
        raw = _hex_bytes(data) if isinstance(data, str) else data
        fn = self.function_by_selector(raw[:4])
        if fn is None:
            raise InputError(f"{self.name} has no function with selector 0x{raw[:4].hex()}.")
        return fn["name"], decode_params(fn["inputs"], raw[4:])

    def decode_output(self, name: str, nargs: int, data: bytes) -> Any:
        sig = self._signature(name, nargs)
        outputs = sig.entry.get("outputs", [])
        values = decode_params(outputs, data, sig.outputs)
        if len(outputs) == 1:
            return values[0]
        if outputs and all(o.get("name") for o in outputs):
            return {o["name"]: v for o, v in zip(outputs, values, strict=True)}
        return tuple(values)

    def encode_deploy(self, bytecode: bytes, args: Sequence[Any]) -> bytes:
        inputs = self.constructor["inputs"] if self.constructor else []
        if len(inputs) != len(args):
            raise InputError(f"{self.name}'s constructor takes {len(inputs)} argument(s).")
        return bytecode + encode_params(inputs, args, f"{self.name} constructor")

    # -- events ------------------------------------------------------------------------------
    def topic(self, event_name: str) -> str:
        entry = self.events_by_name[event_name]
        return "0x" + keccak(text=signature(entry)).hex()

    def decode_log(self, log: dict[str, Any]) -> Event | None:
        topics = [_hex_bytes(t) for t in log.get("topics", [])]
        if not topics or topics[0] not in self.events_by_topic:
            return None
        entry = self.events_by_topic[topics[0]]
        indexed = [p for p in entry["inputs"] if p.get("indexed")]
        plain = [p for p in entry["inputs"] if not p.get("indexed")]
        values: dict[str, Any] = {}
        for param, topic in zip(indexed, topics[1:], strict=False):
            typ = type_string(param)
            if _is_dynamic(typ):
                values[param["name"]] = topic  # the topic is the hash of the value
            else:
                values[param["name"]] = _normalise(param, abi_decode([typ], topic)[0])
        decoded = decode_params(plain, _hex_bytes(log.get("data", "0x")))
        values.update({p["name"]: v for p, v in zip(plain, decoded, strict=True)})
        ordered = {p["name"]: values[p["name"]] for p in entry["inputs"]}
        return Event(
            name=entry["name"],
            args=ordered,
            address=to_checksum_address(log["address"]),
            block_number=int(log.get("blockNumber") or "0x0", 16),
            tx_hash=str(log.get("transactionHash") or ""),
            log_index=int(log.get("logIndex") or "0x0", 16),
        )

    def decode_logs(self, logs: Iterable[dict[str, Any]]) -> list[Event]:
        return [e for e in (self.decode_log(log) for log in logs) if e is not None]

    # -- errors ------------------------------------------------------------------------------
    def decode_error(self, data: bytes) -> tuple[AbiEntry, dict[str, Any]] | None:
        entry = self.errors_by_selector.get(data[:4])
        if entry is None:
            return None
        values = decode_params(entry["inputs"], data[4:])
        return entry, {p["name"]: v for p, v in zip(entry["inputs"], values, strict=True)}


def encode_params(
    params: Sequence[AbiEntry], args: Sequence[Any], where: str, types: Sequence[str] = ()
) -> bytes:
    types = types or [type_string(p) for p in params]
    try:
        prepared = [_prepare(p, a) for p, a in zip(params, args, strict=True)]
        return abi_encode(types, prepared)
    except InputError:
        raise
    except AbiCodecError as exc:
        raise InputError(f"Bad argument for {where}: {exc}") from None


def decode_params(params: Sequence[AbiEntry], data: bytes, types: Sequence[str] = ()) -> list[Any]:
    if not params:
        return []
    raw = abi_decode(types or [type_string(p) for p in params], data)
    return [_normalise(p, v) for p, v in zip(params, raw, strict=True)]


def _prepare(param: AbiEntry, value: Any) -> Any:
    typ: str = param["type"]
    if typ.endswith("]"):
        inner = dict(param, type=typ[: typ.rindex("[")])
        return [_prepare(inner, v) for v in value]
    if typ == "tuple":
        comps = param["components"]
        if isinstance(value, dict):
            value = [value[c["name"]] for c in comps]
        return tuple(_prepare(c, v) for c, v in zip(comps, value, strict=True))
    if typ.startswith("bytes") and isinstance(value, str):
        return _hex_bytes(value)
    if typ == "address" and isinstance(value, str):
        try:
            return to_checksum_address(value)
        except ValueError:
            raise InputError(
                f"'{value}' is not an Ethereum address (0x and 40 hex digits)."
            ) from None
    return value


def _normalise(param: AbiEntry, value: Any) -> Any:
    typ: str = param["type"]
    if typ.endswith("]"):
        inner = dict(param, type=typ[: typ.rindex("[")])
        return [_normalise(inner, v) for v in value]
    if typ == "tuple":
        comps = param["components"]
        return {c["name"]: _normalise(c, v) for c, v in zip(comps, value, strict=True)}
    if typ == "address":
        return to_checksum_address(value)
    return value


def _is_dynamic(typ: str) -> bool:
    return typ in ("string", "bytes") or typ.endswith("]") or typ.startswith("(")


def _hex_bytes(value: str | bytes) -> bytes:
    if isinstance(value, bytes):
        return value
    text = value[2:] if value.startswith(("0x", "0X")) else value
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise InputError(f"'{value}' is not hexadecimal.") from None
