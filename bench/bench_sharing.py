"""Data-sharing benchmark: gas per catalogue/request/approval/consent/delivery/acknowledgement,
and the time to encrypt, store and log 1,000 documents (one by one, and batched).

Usage: python -m bench.bench_sharing
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from eth_utils import keccak

from bench.common import fresh_platform, heading, row, timed
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.devnet.cast import CITIZEN_BY_KEY
from govchain.framework.docstore import DocumentVault, LocalDocumentStore
from govchain.framework.sharing.exchange import DataExchange

RESOURCE = "social-insurance/records"


def grant(gc: GovChain) -> tuple[int, dict[str, int]]:
    sharing = gc.sharing
    provider = gc.sender(cast.BY_KEY["social-insurance"].account)
    hr = gc.sender(cast.BY_KEY["hr"].account)
    citizen = CITIZEN_BY_KEY["citizen-zhang"]
    now = datetime.now(UTC)
    gas = {
        "list a resource": sharing.list_resource(
            provider, RESOURCE, title="Records", schema=b"{}", sharing="on-approval", personal=True
        ).gas_used
    }
    receipt_before = gc.chain.block_number()
    rid = sharing.request(
        hr,
        RESOURCE,
        purpose="unemployment-claim",
        wanted_expiry=now + timedelta(days=60),
        subject=citizen.address,
    )
    gas["request"] = _gas_of_block(gc, receipt_before + 1)
    gas["approve"] = sharing.approve(provider, rid, expiry=now + timedelta(days=30)).gas_used
    deadline, signature = sharing.sign_consent(citizen.account, rid)
    gas["consent (EIP-712 signature, relayed)"] = sharing.submit_consent(
        hr, rid, deadline, signature
    ).gas_used
    before = gc.chain.block_number()
    delivery = sharing.deliver(provider, rid, keccak(b"payload"))
    gas["deliver (log the hash)"] = _gas_of_block(gc, before + 1)
    gas["acknowledge"] = sharing.acknowledge(hr, rid, delivery, keccak(b"payload")).gas_used
    gas["revoke"] = 0
    return rid, gas


def _gas_of_block(gc: GovChain, number: int) -> int:
    block = gc.chain.rpc.call("eth_getBlockByNumber", [hex(number), False])
    receipt = gc.chain.rpc.call("eth_getTransactionReceipt", [block["transactions"][0]])
    return int(receipt["gasUsed"], 16)


def documents(n: int) -> list[bytes]:
    return [
        json.dumps(
            {"person": f"P{i:06d}", "months": i % 120, "employer": "Jinghua", "padding": "x" * 1500}
        ).encode()
        for i in range(n)
    ]


def main() -> None:
    heading("Data-sharing gas")
    with fresh_platform() as gc:
        rid, gas = grant(gc)
        gas["revoke"] = gc.sharing.revoke(
            gc.sender(cast.BY_KEY["social-insurance"].account), rid
        ).gas_used
        for label, value in gas.items():
            row(label, f"{value:>10,}")

    heading("Encrypt + store + log 1,000 documents of ~1.6 KB (fresh chain)")
    docs = documents(1000)
    with fresh_platform() as gc, tempfile.TemporaryDirectory() as tmp:
        rid, _ = grant(gc)
        exchange = DataExchange(
            gc.sharing, gc.directory, DocumentVault(LocalDocumentStore(Path(tmp)))
        )
        provider = gc.sender(cast.BY_KEY["social-insurance"].account)
        with timed() as t:
            for doc in docs[:500]:
                exchange.deliver(provider, rid, doc)
        row(
            "one at a time: DataExchange.deliver (seal, store, 1 tx each)",
            f"{500 / t[0]:8.0f} docs/s  ({t[0] * 2:.2f} s per 1,000)",
        )
        with timed() as t:
            hr_key = exchange.public_key(gc.sharing.get(rid).requester)
            own_key = exchange.public_key(provider.address)
            readers = {gc.sharing.get(rid).requester: hr_key, provider.address: own_key}
            for doc in docs[500:]:
                exchange.vault.seal(doc, readers)
            provider.send_many(
                [gc.sharing.contract.tx("deliver", rid, keccak(d)) for d in docs[500:]]
            )
        row(
            "batched: seal + store each, then all hashes in one send_many",
            f"{500 / t[0]:8.0f} docs/s  ({t[0] * 2:.2f} s per 1,000)",
        )
        assert gc.sharing.get(rid).deliveries == 1001


if __name__ == "__main__":
    main()
