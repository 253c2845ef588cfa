"""web3.py on GovChain: the same endpoint, contracts from the address book, and a refused
transition sent through web3.py raising GovChain's typed error with the SDK's sentence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from web3.exceptions import ContractCustomError
from web3.middleware import SignAndSendRawMiddlewareBuilder

from govchain.cases.port.client import PortClient
from govchain.chain.deploy import CORE
from govchain.chain.reverts import MissingRole
from govchain.chain.tx import Sender
from govchain.chain.web3interop import decode_web3_error
from govchain.client import GovChain
from govchain.framework.casebase.errors import WrongState

Actor = Callable[[str], Sender]
NUMBER = "020220261000077777"


@pytest.fixture
def pc(gc: GovChain, actor: Actor) -> PortClient:
    client = gc.case("port")
    assert isinstance(client, PortClient)
    broker = actor("broker")
    client.submit(broker, NUMBER, port="CNTXG", region="beijing", goods=b"bill of lading")
    return client


def _web3_call(gc: GovChain, pc: PortClient, verb: str, who: Sender) -> Any:
    """The web3.py contract function for the same transition the SDK would send."""
    prepared = pc.prepare(verb, who, NUMBER)
    port = gc.web3_contract("PortClearance")
    func, args = port.decode_function_input(prepared.tx.data)
    return port.functions[func.fn_name](**args)


def _send_signed(gc: GovChain, fn: Any, who: Sender) -> None:
    """Build, sign with the account's key (eth-account) and send raw, as an agency would."""
    w3 = gc.web3
    tx = fn.build_transaction(
        {"from": who.address, "nonce": w3.eth.get_transaction_count(who.address)}
    )
    signed = who.account.sign_transaction(tx)
    w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction))


def test_web3_is_on_the_same_chain(gc: GovChain) -> None:
    assert gc.web3.eth.chain_id == gc.chain.chain_id == gc.book.chain_id
    assert gc.web3.eth.block_number == int(gc.chain.rpc.call("eth_blockNumber"), 16)


def test_contracts_come_from_the_address_book(gc: GovChain, actor: Actor) -> None:
    core = gc.web3_contract(CORE)
    assert core.address == gc.book.address(CORE)
    customs = actor("customs-beijing").address
    assert core.functions.isActive(customs).call() is gc.directory.is_active(customs)
    root, target = b"\x01" * 32, b"\x02" * 32  # a certificate never issued
    status = core.functions.certificateStatus(root, target).call()
    assert status == list(gc.contract(CORE).call("certificateStatus", root, target).values())


def test_a_transition_sent_through_web3(gc: GovChain, pc: PortClient, actor: Actor) -> None:
    customs = actor("customs-beijing")
    fn = _web3_call(gc, pc, "accept", customs)
    with gc.errors(fn):
        _send_signed(gc, fn, customs)
    gc.chain.forget_nonces()  # the account sent outside its GovChain sender
    assert pc.get(NUMBER).state == "accepted"


def test_the_signing_middleware_works_too(gc: GovChain, pc: PortClient, actor: Actor) -> None:
    customs = actor("customs-beijing")
    fn = _web3_call(gc, pc, "accept", customs)
    gc.web3.middleware_onion.inject(
        SignAndSendRawMiddlewareBuilder.build(customs.account), name="signer", layer=0
    )
    try:
        gc.web3.eth.wait_for_transaction_receipt(fn.transact({"from": customs.address}))
    finally:
        gc.web3.middleware_onion.remove("signer")
    gc.chain.forget_nonces()
    assert pc.get(NUMBER).state == "accepted"


def test_a_refused_role_through_web3_is_the_sdks_error_and_sentence(
    gc: GovChain, pc: PortClient, actor: Actor
) -> None:
    tax = actor("tax")  # not customs: may not accept a declaration
    with pytest.raises(MissingRole) as by_sdk:
        pc.accept(tax, NUMBER)
    fn = _web3_call(gc, pc, "accept", tax)
    with pytest.raises(MissingRole) as by_web3, gc.errors(fn):
        _send_signed(gc, fn, tax)
    assert str(by_web3.value) == str(by_sdk.value)
    assert isinstance(by_web3.value.__cause__, ContractCustomError)


def test_a_wrong_state_through_web3_is_the_sdks_error_and_sentence(
    gc: GovChain, pc: PortClient, actor: Actor
) -> None:
    customs = actor("customs-beijing")
    with pytest.raises(WrongState) as by_sdk:
        pc.release(customs, NUMBER)  # only after the duty is paid
    fn = _web3_call(gc, pc, "release", customs)
    with pytest.raises(WrongState) as by_web3, gc.errors("PortClearance." + fn.fn_name):
        fn.call({"from": customs.address})
    assert str(by_web3.value) == str(by_sdk.value)
    try:
        fn.estimate_gas({"from": customs.address})
    except ContractCustomError as exc:
        decoded = decode_web3_error(exc, "PortClearance." + fn.fn_name)
    assert isinstance(decoded, WrongState) and str(decoded) == str(by_sdk.value)


def test_other_web3_errors_pass_through(gc: GovChain) -> None:
    with pytest.raises(ValueError, match="not a revert"), gc.errors():
        raise ValueError("not a revert")
