"""The platform on a real proof-of-authority client: EthereumJS sealing clique blocks (one
signer, a block a second here), started and restarted under GovChain's own node supervisor.

Nothing here may lean on a development chain: every JSON-RPC method the SDK sends is recorded,
and none may be ``anvil_*``, ``evm_*``, ``hardhat_*`` or ``miner_*``. The module deploys the
platform once, seeds only the participants it needs (the full demo seeding is minutes of
blocks), and checks a certificate, a port declaration through release, a batch, a refused write
and a restart with the chain's state kept.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govchain.cases.port.client import Filing, PortClient
from govchain.chain.chain import Chain
from govchain.chain.node import LocalNode
from govchain.chain.node.ports import free_port
from govchain.chain.rpc import RpcClient
from govchain.client import GovChain
from govchain.config import POA_CHAIN_ID, Config
from govchain.devnet import cast
from govchain.devnet.seed import cast_specs
from govchain.errors import ContractRevert
from govchain.framework.casebase import registry
from govchain.framework.casebase.hubdemo import ENTERPRISE_CODE, demo_fields
from govchain.framework.certificates.documents import Draft
from govchain.framework.certificates.types import BY_NAME
from govchain.framework.plan import deploy_platform
from govchain.framework.roster import seed
from tests.conftest import REPO

#: Who acts in this module (a subset of the demo cast).
LICENCE = BY_NAME["BUSINESS_LICENCE"]
ACTORS = (
    *("bureau", "broker", "customs-beijing", "tax", "terminal-tianjin", "terminal-hebei"),
    *LICENCE.issuers,
    *LICENCE.revokers,
)
DEV_ONLY = ("anvil_", "evm_", "hardhat_", "miner_", "debug_")
NUMBER = "020220261000077001"


class MethodLog:
    """Records the JSON-RPC methods every RpcClient sends (a spy: requests still go out)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.methods: set[str] = set()
        call, batch = RpcClient.call, RpcClient.batch

        def logged_call(client: RpcClient, method: str, params: Any = ()) -> Any:
            self.methods.add(method)
            return call(client, method, params)

        def logged_batch(client: RpcClient, calls: Any, *args: Any, **kwargs: Any) -> Any:
            calls = list(calls)
            self.methods.update(m for m, _ in calls)
            return batch(client, calls, *args, **kwargs)

        monkeypatch.setattr(RpcClient, "call", logged_call)
        monkeypatch.setattr(RpcClient, "batch", logged_batch)

    def dev_only(self) -> list[str]:
        return sorted(m for m in self.methods if m.startswith(DEV_ONLY))


@pytest.fixture(scope="module")
def poa_config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    data = tmp_path_factory.mktemp("poa")
    return Config.load(
        root=REPO,
        network="poa",
        rpc_url=f"http://127.0.0.1:{free_port()}",
        data_dir=data,
        keystore=data / "keystore",
        deployments=data / "deployments" / "poa.json",
    )


@pytest.fixture(scope="module")
def poa_node(poa_config: Config) -> Iterator[LocalNode]:
    os.environ["GOVCHAIN_POA_PERIOD"] = "1"  # read once, when the genesis is written
    node = LocalNode(poa_config)
    try:
        node.start()
    finally:
        del os.environ["GOVCHAIN_POA_PERIOD"]
    try:
        yield node
    finally:
        node.stop()


@pytest.fixture(scope="module")
def platform(poa_config: Config, poa_node: LocalNode) -> GovChain:
    chain = Chain.from_config(poa_config)
    bureau = chain.sender(cast.bureau().account)
    result = deploy_platform(poa_config, chain, bureau, None)
    result.book.save(poa_config.deployments_file)
    gc = GovChain(poa_config, chain, result.book)
    wanted = {cast.BY_KEY[k].address for k in ACTORS}
    seed(
        gc.directory, bureau, [s for s in cast_specs() if s.address in wanted], gc.config.names_file
    )
    gc.certificates.store.setup_catalogue(
        bureau, holders=lambda k: cast.BY_KEY[k].address, only={"business_licence"}
    )
    registry.load(registry.get("port").demo_setup or "")(gc, bureau)
    return gc


@pytest.fixture
def rpc_log(monkeypatch: pytest.MonkeyPatch) -> MethodLog:
    return MethodLog(monkeypatch)


def act(gc: GovChain, key: str) -> Any:
    return gc.sender(cast.BY_KEY[key].account)


def test_the_node_is_a_real_poa_chain(platform: GovChain, poa_node: LocalNode) -> None:
    chain = platform.chain
    assert chain.chain_id == POA_CHAIN_ID
    assert chain.client_version.startswith("EthereumJS")
    assert chain.mining is None and not chain.exact_estimates  # no dev controls; verified gas
    block = chain.block("latest")
    assert len(bytes.fromhex(block["extraData"][2:])) == 97  # clique: vanity + seal
    assert platform.web3.eth.get_block("latest")["number"] >= int(block["number"], 16)
    book = platform.book
    assert book.network == "poa" and book.compiler["settings"]["evmVersion"] == "paris"


def test_certificate_issued_and_verified(platform: GovChain, rpc_log: MethodLog) -> None:
    document = platform.certificates.issue(
        act(platform, "market-regulator"),
        "business_licence",
        Draft(demo_fields("BUSINESS_LICENCE"), holder=ENTERPRISE_CODE),
    )
    assert platform.certificates.verify(document).valid
    tampered = {**document, "data": {**document["data"], "name": "x:string:Forged Ltd"}}
    assert not platform.certificates.verify(tampered).valid
    assert rpc_log.dev_only() == []


def test_port_declaration_through_release(platform: GovChain, rpc_log: MethodLog) -> None:
    pc = platform.case("port")
    assert isinstance(pc, PortClient)
    pc.submit(act(platform, "broker"), NUMBER, port="CNTXG", region="beijing", goods=b"docs")
    customs = act(platform, "customs-beijing")
    pc.accept(customs, NUMBER)
    pc.assess_duty(customs, NUMBER, b"duty")
    pc.confirm_duty_paid(act(platform, "tax"), NUMBER, "PAY-77001")
    pc.release(customs, NUMBER)
    assert pc.get(NUMBER).state == "released"
    assert [e.name for e in pc.history(NUMBER)][-1] == "Transition"
    assert rpc_log.dev_only() == []


def test_a_batch_lands_with_late_receipts(platform: GovChain, rpc_log: MethodLog) -> None:
    pc = platform.case("port")
    assert isinstance(pc, PortClient)
    filings = [
        Filing(f"02022026100008{i:04d}", "CNTXG", "beijing", b"goods %d" % i) for i in range(300)
    ]
    receipts = pc.submit_many(act(platform, "broker"), filings)
    assert all(r.status == 1 for r in receipts)
    assert len(pc.query("at", "CNTXG")) >= 300
    numbers = [f.number for f in filings[:40]]
    steps = pc.batch("accept", act(platform, "customs-beijing"), numbers)
    assert all(r.status == 1 for r in steps)
    assert {pc.get(n).state for n in numbers} == {"accepted"}
    assert rpc_log.dev_only() == []


def test_a_refused_write_is_a_typed_error_and_sends_nothing(
    platform: GovChain, rpc_log: MethodLog
) -> None:
    pc = platform.case("port")
    assert isinstance(pc, PortClient)
    terminal = act(platform, "terminal-tianjin")
    before = platform.chain.nonce(terminal.address)
    with pytest.raises(ContractRevert) as refused:
        pc.release(terminal, NUMBER)  # a terminal holds no customs role
    assert type(refused.value).__name__ != "ContractRevert"  # decoded to its own class
    assert "customs" in refused.value.message.lower() or "role" in refused.value.message.lower()
    assert platform.chain.nonce(terminal.address) == before
    assert "eth_sendRawTransaction" not in rpc_log.methods
    assert rpc_log.dev_only() == []


def test_a_restart_keeps_the_chain(platform: GovChain, poa_node: LocalNode) -> None:
    head = platform.chain.block_number()
    count = platform.directory.count()
    assert poa_node.stop()
    assert not poa_node.status().running
    started = poa_node.start()
    assert not started.already_running and started.status.chain_id == POA_CHAIN_ID
    chain = Chain.from_config(poa_node.config)
    assert chain.block_number() >= head
    gc = GovChain(poa_node.config, chain, platform.book)
    assert gc.directory.count() == count
    pc = gc.case("port")
    assert isinstance(pc, PortClient) and pc.get(NUMBER).state == "released"
    pc.gate_out(gc.sender(cast.BY_KEY["terminal-tianjin"].account), NUMBER)  # still writable
    assert pc.get(NUMBER).state == "gated_out"


def test_the_anvil_network_refuses_to_start_the_poa_engine(tmp_path: Path) -> None:
    config = Config.load(
        root=REPO, rpc_url=f"http://127.0.0.1:{free_port()}", data_dir=tmp_path, engine="poa"
    )
    from govchain.errors import NodeError

    with pytest.raises(NodeError, match="runs chain id 1338"):
        LocalNode(config.with_overrides(chain_id=1337)).start()


def test_the_client_patches_are_applied() -> None:
    """`npm ci` applies patches/ (patch-package, the postinstall script): without them the
    client seals only empty blocks, refuses every estimate and runs no contract code."""
    modules = REPO / "node_modules" / "@ethereumjs"
    for path in (
        "vm/dist/esm/buildBlock.js",
        "client/dist/esm/src/rpc/modules/eth.js",
        "client/dist/esm/src/execution/vmexecution.js",
    ):
        assert "GovChain patch" in (modules / path).read_text(), path
    assert sorted(p.name for p in (REPO / "patches").glob("*.patch")) == [
        "@ethereumjs+client+0.10.5.patch",
        "@ethereumjs+vm+10.0.0.patch",
    ]
