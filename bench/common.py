"""Shared benchmark helpers: fresh chains, the deployed platform, printing figures.

Every measurement starts on a fresh Anvil (Anvil slows down as its chain grows), deployed and
seeded the way `make up` does it. Figures are printed, never asserted.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

from govchain.chain.chain import Chain
from govchain.chain.node import EphemeralNode
from govchain.client import GovChain
from govchain.config import Config
from govchain.devnet import cast
from govchain.devnet.seed import seed_demo
from govchain.framework.plan import deploy_platform

REPO = Path(__file__).resolve().parent.parent


@contextmanager
def fresh_node(seed_cast: bool = True) -> Iterator[tuple[GovChain, EphemeralNode]]:
    """A fresh Anvil with every contract deployed (and the demo cast, unless told otherwise),
    and the node (its process, for memory figures)."""
    with TemporaryDirectory(prefix="govchain-bench-") as tmp:
        base = Config.load(root=REPO, data_dir=tmp, rpc_url="http://127.0.0.1:1")
        with EphemeralNode(base) as node:
            config = base.with_overrides(
                rpc_url=node.url, deployments_file=Path(tmp) / "deployments.json"
            )
            chain = Chain.from_config(config)
            bureau = chain.sender(cast.bureau().account)
            result = deploy_platform(config, chain, bureau, None)
            result.book.save(config.deployments_file)
            gc = GovChain(config, chain, result.book)
            if seed_cast:
                seed_demo(gc, bureau)
            yield gc, node


@contextmanager
def fresh_platform(seed_cast: bool = True) -> Iterator[GovChain]:
    """A fresh Anvil with every contract deployed (and the demo cast, unless told otherwise)."""
    with fresh_node(seed_cast) as (gc, _node):
        yield gc


def rss_mb(pid: int | None) -> float:
    """Resident memory of process ``pid`` in MB (0 if unknown)."""
    if pid is None:
        return 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@contextmanager
def timed() -> Iterator[list[float]]:
    """``with timed() as t: ...`` then ``t[0]`` is the elapsed seconds."""
    box: list[float] = []
    start = time.perf_counter()
    try:
        yield box
    finally:
        box.append(time.perf_counter() - start)


def heading(text: str) -> None:
    print(f"\n== {text} ==", flush=True)


def row(label: str, value: str) -> None:
    print(f"  {label:<58} {value}", flush=True)
