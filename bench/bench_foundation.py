"""Foundation benchmark: transaction throughput four ways, and gas per directory operation.

(a) raw limit: N pre-signed transactions sent in JSON-RPC batch requests, time to last receipt;
(b) the same N writes through govchain.tx in batch mode (estimation and signing included);
(c) N writes one at a time through govchain.tx (send and wait for each receipt);
(d) N writes with plain web3.py: ``transact()`` + ``wait_for_transaction_receipt``.
Each starts on a fresh chain. Usage: python bench/bench_foundation.py [N]
"""

from __future__ import annotations

import sys

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.middleware import SignAndSendRawMiddlewareBuilder

from bench.common import fresh_platform, heading, row, timed
from govchain.chain import artifacts
from govchain.chain.contracts import Contract
from govchain.chain.deploy import CORE
from govchain.chain.tx import Sender, TxRequest
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.devnet.keys import dev_account

WRITER = "sme"


def deploy_probe(gc: GovChain) -> tuple[Contract, Sender]:
    """The cheap gated write used for throughput: GatedProbe.touch by an active role holder."""
    bureau = gc.sender(cast.bureau().account)
    art = artifacts.load("GatedProbe")
    receipt = bureau.send(
        TxRequest(None, art.interface.encode_deploy(art.bytecode, [gc.directory.address]))
    )
    assert receipt.contract_address
    gc.directory.grant(bureau, cast.BY_KEY[WRITER].address, "probe")
    writer = gc.sender(cast.BY_KEY[WRITER].account)
    probe = Contract(gc.chain, "GatedProbe", receipt.contract_address)
    probe.transact(writer, "touch")  # first touch pays the cold storage slot
    return probe, writer


def raw_batch(n: int) -> float:
    with fresh_platform() as gc:
        probe, writer = deploy_probe(gc)
        account: LocalAccount = writer.account
        gas = writer.estimate(probe.tx("touch"))
        fees = gc.chain.fee_fields()
        first = gc.chain.nonce(writer.address)
        data = probe.tx("touch").data
        raws = [
            "0x"
            + account.sign_transaction(
                {
                    "chainId": gc.chain.chain_id,
                    "nonce": first + i,
                    "to": probe.address,
                    "value": 0,
                    "data": data,
                    "gas": gas,
                    **fees,
                }
            ).raw_transaction.hex()
            for i in range(n)
        ]
        with timed() as t:
            hashes: list[str] = []
            for start in range(0, n, 500):
                part = raws[start : start + 500]
                hashes += gc.chain.rpc.batch([("eth_sendRawTransaction", [r]) for r in part])
            gc.chain.wait_receipts(hashes)
        assert probe.call("touches", writer.address) == n + 1
        return n / t[0]


def layer_batch(n: int) -> float:
    with fresh_platform() as gc:
        probe, writer = deploy_probe(gc)
        with timed() as t:
            writer.send_many([probe.tx("touch") for _ in range(n)])
        assert probe.call("touches", writer.address) == n + 1
        return n / t[0]


def layer_one_by_one(n: int) -> float:
    with fresh_platform() as gc:
        probe, writer = deploy_probe(gc)
        with timed() as t:
            for _ in range(n):
                probe.transact(writer, "touch")
        return n / t[0]


def plain_web3(n: int) -> float:
    with fresh_platform() as gc:
        probe, writer = deploy_probe(gc)
        w3 = Web3(Web3.HTTPProvider(gc.chain.url))
        w3.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(writer.account), layer=0)
        contract = w3.eth.contract(address=probe.address, abi=artifacts.load("GatedProbe").abi)
        with timed() as t:
            for _ in range(n):
                tx_hash = contract.functions.touch().transact({"from": writer.address})
                w3.eth.wait_for_transaction_receipt(tx_hash)
        return n / t[0]


def directory_gas() -> dict[str, int]:
    with fresh_platform(seed_cast=False) as gc:
        d = gc.directory
        bureau = gc.sender(cast.bureau().account)
        deploy_gas = gc.chain.rpc.call(
            "eth_getTransactionReceipt", [gc.book.contracts[CORE].tx_hash]
        )
        a, b = dev_account(40).address, dev_account(41).address
        gas = {"deploy GovChainCore (directory + certificates)": int(deploy_gas["gasUsed"], 16)}
        gas["register (no roles)"] = d.register(
            bureau, a, kind="enterprise", name="A", district="haidian"
        ).gas_used
        gas["register with one role"] = d.register(
            bureau, b, kind="bank", name="B", district="xicheng", roles=["bank"]
        ).gas_used
        gas["grant role"] = d.grant(bureau, a, "merchant").gas_used
        gas["revoke role"] = d.revoke(bureau, a, "merchant").gas_used
        gas["update"] = d.update(
            bureau, a, kind="enterprise", name="A2", district="chaoyang"
        ).gas_used
        gas["suspend"] = d.suspend(bureau, a, "audit").gas_used
        gas["reactivate"] = d.reactivate(bureau, a).gas_used
        gas["requireActiveRole (view, gas of eth_estimateGas)"] = gc.chain.estimate_gas(
            {
                "to": d.address,
                "data": "0x"
                + d.contract.iface.encode_call(
                    "requireActiveRole", (b"\0" * 32, cast.bureau().address)
                ).hex(),
            }
        )
        return gas


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    heading(f"Transaction throughput, {n} writes each, fresh Anvil each time")
    a = raw_batch(n)
    row("(a) raw: pre-signed, JSON-RPC batch requests", f"{a:8.0f} tx/s")
    b = layer_batch(n)
    row("(b) govchain.tx batch mode (estimate + sign included)", f"{b:8.0f} tx/s")
    c = layer_one_by_one(n)
    row("(c) govchain.tx one at a time (send + receipt each)", f"{c:8.0f} tx/s")
    d = plain_web3(n)
    row("(d) plain web3.py transact() + wait_for_transaction_receipt", f"{d:8.0f} tx/s")
    row("b/a (target >= 0.5)", f"{b / a:8.2f}")
    row("c/d (target >= 4)", f"{c / d:8.2f}")
    heading("Gas per participant-directory operation")
    for label, gas in directory_gas().items():
        row(label, f"{gas:>10,}")


if __name__ == "__main__":
    main()
