"""Custom errors decode by name and arguments into typed exceptions with a clerk's sentence."""

from __future__ import annotations

from eth_abi import encode

from govchain.chain.abi import selector
from govchain.chain.reverts import (
    MissingRole,
    RevertReason,
    _import_sdk_modules,
    custom_errors,
    decode,
    revert_data,
)
from govchain.chain.roles import role_id
from govchain.chain.rpc import RpcError
from govchain.devnet import cast
from govchain.errors import REVERT_CLASSES, ContractRevert, GovChainError

CUSTOMS = cast.BY_KEY["customs-beijing"].address


def _error_data(name: str, types: list[str], values: list[object]) -> bytes:
    entry = custom_errors()[name]
    assert [i["type"] for i in entry["inputs"]] == types
    return selector(entry) + encode(types, values)


def test_every_custom_error_has_a_sentence() -> None:
    _import_sdk_modules()
    missing = sorted(set(custom_errors()) - set(REVERT_CLASSES))
    assert missing == [], f"custom errors without a registered sentence: {missing}"


def test_missing_role_names_participant_and_role() -> None:
    from govchain.chain import labels

    labels.add(CUSTOMS, "Beijing Customs")
    data = _error_data(
        "AccessControlUnauthorizedAccount", ["address", "bytes32"], [CUSTOMS, role_id("tax")]
    )
    err = decode(data)
    assert isinstance(err, MissingRole) and isinstance(err, GovChainError)
    assert err.message == "Beijing Customs (0x3C44…93BC) does not hold the role TAX_ROLE."
    assert err.args_by_name["account"] == CUSTOMS


def test_error_string_and_panic() -> None:
    err = decode(bytes.fromhex("08c379a0") + encode(["string"], ["not allowed"]))
    assert isinstance(err, RevertReason) and "not allowed" in err.message
    panic = decode(bytes.fromhex("4e487b71") + encode(["uint256"], [0x11]))
    assert "overflow" in panic.message


def test_unknown_selector_is_still_a_contract_revert() -> None:
    err = decode(bytes.fromhex("deadbeef"), context="X.y")
    assert type(err) is ContractRevert and "X.y" in err.message


def test_revert_data_in_every_node_shape() -> None:
    data = "0x" + _error_data("ParticipantNotRegistered", ["address"], [CUSTOMS]).hex()
    anvil = RpcError(3, "execution reverted: custom error 0x..", data)
    ganache = RpcError(
        -32000,
        "VM Exception while processing transaction: revert",
        {"message": "revert", "data": data},
    )
    ganache_old = RpcError(
        -32000, "revert", {"0xabc": {"error": "revert", "return": "0x", "result": data}}
    )
    besu_in_message = RpcError(-32000, f"Execution reverted: {data}", None)
    for err in (anvil, ganache, ganache_old, besu_in_message):
        found = revert_data(err)
        assert found is not None and "0x" + found.hex() == data, err
    assert revert_data(RpcError(-32000, "nonce too low", None)) is None
