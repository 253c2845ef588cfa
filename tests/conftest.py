"""Test fixtures: one real Anvil per session, contracts deployed once, a snapshot around each test.

Tests that touch the chain take the ``gc`` fixture (a :class:`GovChain` on the session chain,
reverted to the deployed-and-seeded state after the test) and act as demo-cast members through
``actor("customs-beijing")``. Pure tests take no chain fixture and start nothing.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from govchain.chain.chain import Chain
from govchain.chain.node import EphemeralNode
from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.config import Config
from govchain.devnet import cast
from govchain.devnet.seed import seed_demo
from govchain.framework.certificates.service import Certificates
from govchain.framework.plan import deploy_platform
from tests import toycase

REPO = Path(__file__).resolve().parent.parent
TOY = toycase.TOY  # the worked example registers itself: deployed, seeded, tested like any case


def make_config(data_dir: Path, rpc_url: str, **extra: str) -> Config:
    """A configuration isolated under ``data_dir`` (never the developer's .govchain)."""
    return Config.load(
        root=REPO,
        rpc_url=rpc_url,
        data_dir=data_dir,
        keystore=data_dir / "keystore",
        deployments=data_dir / "deployments" / "local.json",
        **extra,
    )


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("govchain")


@pytest.fixture(scope="session")
def node(session_dir: Path) -> Iterator[EphemeralNode]:
    config = make_config(session_dir, "http://127.0.0.1:1")
    with EphemeralNode(config) as running:
        yield running


@pytest.fixture(scope="session")
def config(session_dir: Path, node: EphemeralNode) -> Config:
    return make_config(session_dir, node.url)


@pytest.fixture(scope="session")
def deployed(config: Config) -> GovChain:
    """The platform as `make up` leaves it: directory deployed, demo cast registered."""
    chain = Chain.from_config(config)
    bureau = chain.sender(cast.bureau().account)
    result = deploy_platform(config, chain, bureau, None)
    result.book.save(config.deployments_file)
    gc = GovChain(config, chain, result.book)
    seed_demo(gc, bureau)
    return gc


@pytest.fixture
def gc(deployed: GovChain) -> Iterator[GovChain]:
    """The deployed platform, reverted to its seeded state after the test."""
    snapshot = deployed.chain.snapshot()
    try:
        yield deployed
    finally:
        deployed.chain.revert(snapshot)


@pytest.fixture
def actor(gc: GovChain) -> Callable[[str], Sender]:
    """``actor("customs-beijing")``: the sender of a demo-cast member."""

    def get(key: str) -> Sender:
        member = cast.member(key)
        assert member is not None, f"no cast member {key}"
        return gc.sender(member.account)

    return get


@pytest.fixture
def cli_env(config: Config, deployed: GovChain) -> dict[str, str | None]:
    """Environment for running the CLI against the session chain."""
    return {
        **config.environment(),
        "GOVCHAIN_ROOT": str(REPO),
        "GOVCHAIN_PASSWORD": None,
        "GOVCHAIN_NETWORK": None,
        "GOVCHAIN_CONFIG": None,
    }


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL 16 server (PyPI ``pgserver``, a dev dependency), started on first use
    and deleted after the session. Its data lives outside the test's private directories:
    run as root, pgserver runs the server as its own ``pgserver`` user, which must reach it."""
    with warnings.catch_warnings():  # platformdirs: XDG_RUNTIME_DIR unset on CI machines
        warnings.simplefilter("ignore")
        import pgserver

    data = Path(tempfile.mkdtemp(prefix="govchain-pg-"))
    try:
        server = pgserver.get_server(data, cleanup_mode="delete")
        yield server.get_uri()
        server.cleanup()
    finally:
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def certs(gc: GovChain) -> Certificates:
    """The certificate service of the session's deployment."""
    return gc.certificates


@pytest.fixture
def regulator(actor: Callable[[str], Sender]) -> Sender:
    """The market regulator: issues and revokes business licences in the demo."""
    return actor("market-regulator")
