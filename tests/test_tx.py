"""The transaction layer: concurrency, batch mode, nonce recovery, receipts, fees."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govchain.chain import artifacts
from govchain.chain.contracts import Contract
from govchain.chain.tx import BatchReverted, Sender, TxRequest
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.devnet.keys import dev_account
from govchain.errors import TransactionError, TransactionTimeout

Actor = Callable[[str], Sender]


@pytest.fixture
def probe(gc: GovChain, actor: Actor) -> Contract:
    art = artifacts.load("GatedProbe")
    receipt = actor("bureau").send(
        TxRequest(None, art.interface.encode_deploy(art.bytecode, [gc.directory.address]))
    )
    assert receipt.contract_address
    gc.directory.grant(actor("bureau"), cast.BY_KEY["sme"].address, "probe")
    return Contract(gc.chain, "GatedProbe", receipt.contract_address)


def test_eight_threads_share_one_account_without_lost_or_duplicate_nonces(
    gc: GovChain, probe: Contract, actor: Actor
) -> None:
    sender = actor("sme")
    start_nonce = gc.chain.nonce(sender.address, "latest")
    receipts: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            for _ in range(100):
                r = probe.transact(sender, "touch")
                with lock:
                    receipts.append(r.tx_hash)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(receipts)) == 800
    assert probe.call("touches", sender.address) == 800
    nonces = sorted(
        int(gc.chain.rpc.call("eth_getTransactionByHash", [h])["nonce"], 16) for h in receipts
    )
    assert nonces == list(range(start_nonce, start_nonce + 800))


def test_batch_mode_sends_many_in_order(gc: GovChain, probe: Contract, actor: Actor) -> None:
    sender = actor("sme")
    receipts = sender.send_many([probe.tx("touch") for _ in range(50)])
    assert [probe.events(r)[0]["count"] for r in receipts] == list(range(1, 51))


def test_batch_mode_refuses_before_sending_if_an_estimate_reverts(
    gc: GovChain, probe: Contract, actor: Actor
) -> None:
    from govchain.chain.reverts import MissingRole

    before = gc.chain.block_number()
    with pytest.raises(MissingRole, match="#0 of the batch would fail"):
        actor("tax").send_many([probe.tx("touch"), probe.tx("touch")])
    assert gc.chain.block_number() == before


def test_batch_reports_mined_reverts(gc: GovChain, probe: Contract, actor: Actor) -> None:
    gc.directory.suspend(actor("bureau"), cast.BY_KEY["sme"].address, "audit")
    # explicit gas skips estimation, so the refused touches are mined and revert
    with pytest.raises(BatchReverted) as caught:
        actor("sme").send_many([probe.tx("touch", gas=200_000) for _ in range(3)])
    assert sorted(caught.value.failed) == [0, 1, 2]
    assert "suspended" in caught.value.message


def test_sender_recovers_after_an_outside_transaction(gc: GovChain, probe: Contract) -> None:
    account = dev_account(50)
    first = gc.chain.sender(account)
    probe.chain.rpc.call("anvil_setBalance", [account.address, hex(10**20)])
    first.send(TxRequest(account.address, b"", value=1))
    # another process sends with the same key: our cached nonce is now stale
    other = Sender(gc.chain, account)
    other.send(TxRequest(account.address, b"", value=1))
    receipt = first.send(TxRequest(account.address, b"", value=1))
    assert receipt.status == 1
    assert gc.chain.nonce(account.address, "latest") == 3


def test_receipt_timeout_is_a_clear_error(gc: GovChain) -> None:
    from govchain.chain.chain import Chain

    chain = Chain(gc.chain.url, sync_send=False)
    sender = chain.sender(dev_account(51))
    chain.rpc.call("evm_setAutomine", [False])
    try:
        with pytest.raises(TransactionTimeout, match="not mined within 1 s"):
            sender.send(TxRequest(sender.address, b"", value=1, gas=21_000), timeout=1)
    finally:
        chain.rpc.call("evm_setAutomine", [True])
        chain.rpc.call("evm_mine")


def test_too_little_ether_is_a_clear_error(gc: GovChain) -> None:
    poor = gc.chain.sender(dev_account(52))
    gc.chain.rpc.call("anvil_setBalance", [poor.address, "0x0"])
    with pytest.raises(TransactionError, match="too little ether"):
        poor.send(TxRequest(poor.address, b"", value=1))


def test_fees_are_eip1559_when_the_chain_has_a_base_fee(gc: GovChain) -> None:
    fees = gc.chain.fee_fields()
    assert fees["type"] == 2 and fees["maxFeePerGas"] >= fees["maxPriorityFeePerGas"]


def test_legacy_fees_without_base_fee(gc: GovChain) -> None:
    original = gc.chain.block
    gc.chain._fees = None

    def no_base_fee(number: int | str = "latest") -> dict[str, object]:
        return {**original(number), "baseFeePerGas": None}

    gc.chain.block = no_base_fee  # type: ignore[method-assign]
    try:
        fees = gc.chain.fee_fields()
        assert set(fees) == {"gasPrice"}
        receipt = gc.chain.sender(dev_account(53)).send(TxRequest(dev_account(53).address, b""))
        tx = gc.chain.rpc.call("eth_getTransactionByHash", [receipt.tx_hash])
        assert tx["type"] == "0x0"
    finally:
        del gc.chain.block
        gc.chain._fees = None


@pytest.mark.parametrize(
    "fields",
    [
        {"maxFeePerGas": 2 * 10**9, "maxPriorityFeePerGas": 10**9, "type": 2},
        {"gasPrice": 10**9},
    ],
)
@pytest.mark.parametrize("to", [dev_account(9).address, None])
def test_fast_signer_matches_eth_account_byte_for_byte(
    fields: dict[str, int], to: str | None
) -> None:
    from govchain.chain.signing import FastSigner

    account = dev_account(9)
    tx = {
        "chainId": 1337,
        "nonce": 7,
        "gas": 90_000,
        "value": 3,
        "data": b"\x60\x00" * 40,
        **fields,
    }
    if to:
        tx["to"] = to
    assert FastSigner(account.key).sign(tx) == bytes(account.sign_transaction(tx).raw_transaction)


def test_batch_larger_than_a_block_is_mined_completely(
    gc: GovChain, probe: Contract, actor: Actor
) -> None:
    # 300 x 200,000 gas of limits exceeds a 30M-gas block: the batch pauses automining, mines
    # until every transaction is in, and gives the chain its automining back.
    receipts = actor("sme").send_many([probe.tx("touch", gas=200_000) for _ in range(300)])
    assert len(receipts) == 300 and all(r.status == 1 for r in receipts)
    assert probe.call("touches", cast.BY_KEY["sme"].address) == 300
    assert gc.chain.rpc.call("anvil_getAutomine") is True


@given(
    st.recursive(
        st.integers(min_value=0, max_value=2**256) | st.binary(max_size=300),
        lambda inner: st.lists(inner, max_size=6),
        max_leaves=20,
    )
)
def test_transaction_encoding_matches_the_rlp_package(item: object) -> None:
    import rlp

    from govchain.chain.signing import encode_bytes, encode_int, encode_list

    def encode(value: object) -> bytes:
        if isinstance(value, int):
            return encode_int(value)
        if isinstance(value, bytes):
            return encode_bytes(value)
        assert isinstance(value, list)
        return encode_list([encode(v) for v in value])

    assert encode(item) == rlp.encode(item)


def test_a_batch_mined_but_refused_gives_the_chain_its_automining_back(
    gc: GovChain, probe: Contract, actor: Actor
) -> None:
    outsider = actor("tax")  # holds no PROBE_ROLE: with gas given, the batch is sent and reverts
    with pytest.raises(BatchReverted):
        outsider.send_many([probe.tx("touch", gas=100_000) for _ in range(5)])
    assert gc.chain.rpc.call("anvil_getAutomine") is True


def test_an_interrupted_batch_gives_the_chain_its_automining_back(gc: GovChain) -> None:
    mining = gc.chain.mining
    assert mining is not None
    with pytest.raises(KeyboardInterrupt), mining.session() as session:
        assert session.pause() and gc.chain.rpc.call("anvil_getAutomine") is False
        raise KeyboardInterrupt
    assert gc.chain.rpc.call("anvil_getAutomine") is True


def test_automining_paused_by_a_process_that_died_is_restored_by_the_next(
    gc: GovChain, probe: Contract, actor: Actor
) -> None:
    # What a batch killed with SIGKILL mid-way leaves: automining off and its marker.
    mining = gc.chain.mining
    assert mining is not None and gc.chain.lock_dir is not None
    gc.chain.rpc.call("evm_setAutomine", [False])
    (gc.chain.lock_dir / f"{gc.chain.chain_id}-automine-paused").write_text("999999\n")
    assert probe.transact(actor("sme"), "touch").status == 1  # a single send heals and lands
    assert gc.chain.rpc.call("anvil_getAutomine") is True
    assert not (gc.chain.lock_dir / f"{gc.chain.chain_id}-automine-paused").exists()


def test_a_chain_paused_on_purpose_is_left_paused_by_a_batch(
    gc: GovChain, probe: Contract, actor: Actor
) -> None:
    gc.chain.rpc.call("evm_setAutomine", [False])
    try:
        sender = actor("sme")
        done = threading.Thread(
            target=lambda: sender.send_many([probe.tx("touch") for _ in range(20)])
        )
        done.start()
        while int(gc.chain.rpc.call("txpool_status")["pending"], 16) < 20:
            pass
        assert gc.chain.rpc.call("anvil_getAutomine") is False  # not taken over
        gc.chain.rpc.call("evm_mine")
        done.join(timeout=30)
        assert not done.is_alive()
    finally:
        gc.chain.rpc.call("evm_setAutomine", [True])
    assert probe.call("touches", sender.address) == 20


def test_a_batch_of_many_full_blocks_lands_though_they_raise_the_base_fee(
    gc: GovChain, actor: Actor
) -> None:
    # 8,000 declarations = 40 transactions of ~11M gas, two a block: 20 blocks over the gas
    # target, each raising the base fee ~6 %; signed at 2 x the base fee + tip, the last ones
    # could never pay it.
    from govchain.cases.port.client import Filing

    gc.chain.rpc.call("anvil_setNextBlockBaseFeePerGas", [hex(10 * 10**9)])
    gc.chain.rpc.call("evm_mine")
    gc.chain.forget_fees()
    filings = [Filing(f"0202{2026}7{i:09d}", "CNTXG", "beijing", b"goods") for i in range(8_000)]
    receipts = gc.case("port").submit_many(actor("broker"), filings)  # type: ignore[attr-defined]
    blocks = {r.block_number for r in receipts}
    assert len(receipts) == 40 and len(blocks) >= 14
    assert max(blocks) - min(blocks) + 1 == len(blocks)  # no empty block waited for the fee
    assert gc.chain.rpc.call("anvil_getAutomine") is True
