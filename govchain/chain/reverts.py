"""Turn revert data into typed exceptions with a sentence a clerk understands.

web3.py decodes no custom errors, and nodes report revert data in different shapes (Anvil, Besu and
Geth: ``error.data`` is the hex string; Ganache 7: ``error.data`` is an object holding it, or the
hex string follows "reverted with data" in the message). :func:`revert_data` finds the bytes in any
of those shapes; :func:`decode` maps them, through every compiled contract's ABI, to the
:class:`~govchain.errors.ContractRevert` subclass registered for the error's name.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import UTC, datetime
from functools import cache
from typing import Any

import govchain
from govchain.chain import artifacts, labels, roles
from govchain.chain.abi import AbiEntry, ContractInterface
from govchain.chain.abicodec import AbiCodecError
from govchain.chain.abicodec import decode as abi_decode
from govchain.chain.rpc import RpcError
from govchain.errors import ContractRevert, revert_class, revert_error

ERROR_STRING = bytes.fromhex("08c379a0")
PANIC = bytes.fromhex("4e487b71")
PANIC_REASONS = {
    0x01: "an internal consistency check failed",
    0x11: "an amount overflowed or went below zero",
    0x12: "a division by zero",
    0x21: "a value outside its allowed range",
    0x32: "an index outside a list",
    0x41: "the contract ran out of memory",
}
_HEX = re.compile(r"0x[0-9a-fA-F]{8,}")
_TIME_WORDS = ("At", "Until", "until", "expiry", "Expiry", "deadline", "Deadline", "validFrom")


# OpenZeppelin errors that appear in GovChain ABIs; case modules register their own next to them.
@revert_error("AccessControlUnauthorizedAccount", "{account} does not hold the role {neededRole}.")
class MissingRole(ContractRevert):
    pass


@revert_error("AccessControlBadConfirmation", "A role can only be renounced by its holder.")
class BadRenounce(ContractRevert):
    pass


@revert_error("ECDSAInvalidSignature", "The signature is not valid.")
class InvalidSignature(ContractRevert):
    pass


@revert_error("ECDSAInvalidSignatureLength", "The signature has the wrong length ({length} bytes).")
class InvalidSignatureLength(ContractRevert):
    pass


@revert_error("ECDSAInvalidSignatureS", "The signature is malleable and was refused.")
class InvalidSignatureS(ContractRevert):
    pass


@revert_error("FailedDeployment", "Creating a contract failed (a certificate type's store, say).")
class FailedDeployment(ContractRevert):
    pass


@revert_error("CloneArgumentsTooLong", "A contract clone was given too many arguments.")
class CloneArgumentsTooLong(ContractRevert):
    pass


@revert_error(
    "InsufficientBalance", "The contract holds {balance} wei, less than the {needed} it needs."
)
class InsufficientBalance(ContractRevert):
    pass


@revert_error("StringTooLong", "A text value is too long for the contract ({str}).")
class StringTooLong(ContractRevert):
    pass


@revert_error("InvalidShortString", "A short text value stored by the contract is malformed.")
class InvalidShortString(ContractRevert):
    pass


class RevertReason(ContractRevert):
    """A ``require(..., "text")`` / ``revert("text")`` or a Solidity panic."""


def revert_data(exc: RpcError | BaseException) -> bytes | None:
    """The revert bytes carried by a node's error, whatever its shape; None if there are none."""
    if isinstance(exc, RpcError):
        found = _search(exc.data)
        if found is None and "revert" in exc.message.lower():
            found = _search(exc.message)
        return found
    return _search(getattr(exc, "data", None)) or _search(str(exc))


def _search(obj: Any) -> bytes | None:
    if isinstance(obj, str):
        if obj.startswith("0x") and len(obj) >= 10 and _is_hex(obj[2:]):
            return bytes.fromhex(obj[2:])
        match = _HEX.search(obj)
        return bytes.fromhex(match.group()[2:]) if match and len(match.group()) % 2 == 0 else None
    if isinstance(obj, dict):
        for key in ("data", "result", "revert", "returnData"):
            if key in obj:
                found = _search(obj[key])
                if found is not None:
                    return found
        for value in obj.values():
            found = _search(value) if isinstance(value, dict) else None
            if found is not None:
                return found
    return None


def _is_hex(text: str) -> bool:
    return len(text) % 2 == 0 and all(c in "0123456789abcdefABCDEF" for c in text)


def decode(data: bytes, *, context: str = "") -> ContractRevert:
    """The exception for revert ``data``. ``context`` ("PortClearance.accept") names the contract
    that was called: its own errors are looked up first, so two contracts may define the same
    error name with different sentences; errors from elsewhere (the directory a case contract
    consults, OpenZeppelin's) are found in every compiled contract."""
    contract = context.split(".", 1)[0] if context else ""
    try:
        return _decode_known(data, contract, context)
    except AbiCodecError:  # a known selector with data that does not decode: show it raw
        pass
    where = f" in {context}" if context else ""
    shown = "0x" + data.hex() if data else "no reason"
    return ContractRevert(f"The contract refused the call{where} ({shown}).", contract=contract)


def _decode_known(data: bytes, contract: str, context: str) -> ContractRevert:
    """The typed exception for a revert whose selector is known; raises AbiCodecError if there
    is none or its data does not decode."""
    if data[:4] == ERROR_STRING:
        (reason,) = abi_decode(["string"], data[4:])
        return RevertReason(f"The contract refused the call: {reason}", error_name="Error")
    if data[:4] == PANIC:
        (code,) = abi_decode(["uint256"], data[4:])
        why = PANIC_REASONS.get(code, f"panic code {code:#x}")
        return RevertReason(f"The contract stopped: {why}.", error_name="Panic")
    found = _contract_errors(contract).get(data[:4]) or _any_contract_errors().get(data[:4])
    if found is None:
        raise AbiCodecError("an unknown error selector")
    iface, entry = found
    decoded = iface.decode_error(data)
    args = decoded[1] if decoded else {}
    _import_sdk_modules()
    cls = revert_class(contract or iface.name, entry["name"]) or ContractRevert
    template = cls.template or f"The contract refused the call: {entry['name']}."
    readable = {p["name"]: _readable(p, args.get(p["name"])) for p in entry["inputs"]}
    readable.update(cls.readable_args(args, context))  # a class may say some arguments better
    try:
        message = template.format(**readable)
    except (KeyError, IndexError):
        message = f"{template} ({entry['name']}: {readable})"
    return cls(message, error_name=entry["name"], args=args, contract=contract, context=context)


def custom_errors() -> dict[tuple[str, str], AbiEntry]:
    """Every custom error declared in any compiled contract, by (contract, error name)."""
    return {
        (name, entry["name"]): entry
        for name in artifacts.names()
        for entry in artifacts.interface(name).errors_by_selector.values()
    }


@cache
def _contract_errors(contract: str) -> dict[bytes, tuple[ContractInterface, AbiEntry]]:
    """The custom errors of one contract, by selector (empty for an unknown name)."""
    if contract not in artifacts.names():
        return {}
    iface = artifacts.interface(contract)
    return {sel: (iface, entry) for sel, entry in iface.errors_by_selector.items()}


@cache
def _any_contract_errors() -> dict[bytes, tuple[ContractInterface, AbiEntry]]:
    """Every compiled contract's custom errors by selector; the core's win a tie (they are the
    ones raised from inside other contracts' calls)."""
    index: dict[bytes, tuple[ContractInterface, AbiEntry]] = {}
    for name in sorted(artifacts.names(), key=lambda n: n != "GovChainCore"):
        for sel, found in _contract_errors(name).items():
            index.setdefault(sel, found)
    return index


@cache
def _import_sdk_modules() -> None:
    """Import every SDK module so that all ``@revert_error`` registrations have run."""
    for info in pkgutil.walk_packages(govchain.__path__, prefix="govchain."):
        if info.name.startswith(("govchain.cli", "govchain.chain.node.supervisor")):
            continue
        importlib.import_module(info.name)


def _readable(param: AbiEntry, value: Any) -> str:
    typ = param["type"]
    name = param.get("name", "")
    if value is None:
        return "?"
    if typ == "address":
        return labels.describe(value)
    if typ == "bytes32" and "role" in name.lower():
        return roles.role_name(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if typ.startswith("uint") and any(w in name for w in _TIME_WORDS) and 0 < value < 2**40:
        return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M UTC")
    return str(value)


def clear_cache() -> None:
    _contract_errors.cache_clear()
    _any_contract_errors.cache_clear()
