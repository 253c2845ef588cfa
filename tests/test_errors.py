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
from govchain.errors import ContractRevert, GovChainError, revert_class
from govchain.framework.casebase import registry

CUSTOMS = cast.BY_KEY["customs-beijing"].address


def _error_data(name: str, types: list[str], values: list[object], contract: str = "") -> bytes:
    entry = next(e for (c, n), e in custom_errors().items() if n == name and contract in ("", c))
    assert [i["type"] for i in entry["inputs"]] == types
    return selector(entry) + encode(types, values)


def test_every_custom_error_has_a_sentence() -> None:
    _import_sdk_modules()
    registry.cases()
    missing = sorted(f"{c}.{n}" for c, n in custom_errors() if revert_class(c, n) is None)
    assert missing == [], f"custom errors without a registered sentence: {missing}"


def test_two_contracts_may_give_one_error_name_two_meanings() -> None:
    """EmptyBatch of the certificate store and of a case's Merkle anchors: decoded by the
    contract that was called, each with its own sentence and class."""
    data = _error_data("EmptyBatch", [], [])
    store = decode(data, context="GovChainCore.bulkIssueCertificates")
    case = decode(data, context="AirportLogistics.anchorBatch")
    assert "certificates" in store.message and "record" in case.message
    assert type(store) is not type(case) and case.contract == "AirportLogistics"


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
