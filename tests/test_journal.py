"""Faults injected into multi-step writes (issue 11): Ctrl-C at each phase, kill -9 of a real
process at each phase, then recovery. After it the chain and the data directory agree exactly:
every certificate issued has its document, no document exists for one not issued, no filing is
lost or duplicated, no transaction is left in the node's pool, the journal is empty."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.framework import journal as wal
from govchain.framework.certificates import batchfiles
from govchain.framework.certificates import openattestation as oa
from govchain.framework.certificates.documents import Draft
from tests.conftest import REPO
from tests.test_certificates import LICENCE
from tests.test_cli import Env

Actor = Callable[[str], Sender]
HEADER = "companyName,legalRepresentative,registeredCapital,businessScope,address,holder"


def drafts(n: int) -> list[Draft]:
    return [Draft(dict(LICENCE), holder=f"91110108{i:010d}") for i in range(n)]


def issued_roots(gc: GovChain, roots: list[str]) -> list[bool]:
    return [gc.certificates.store.issuance(bytes.fromhex(r[2:])) is not None for r in roots]


def assert_consistent(gc: GovChain, out: Path, entry: wal.Entry | None, count: int) -> None:
    """Either the batch is on chain and every document is in place, or neither."""
    assert gc.journal.entries() == []
    leftovers = [p for p in out.parent.iterdir() if p.name.startswith(".issue-")]
    assert leftovers == []
    if entry is not None and all(issued_roots(gc, entry.payload["roots"])):
        documents = sorted(out.iterdir())
        assert len(documents) == count
        assert all(
            r.valid for r in gc.certificates.verify_many([oa.load_document(p) for p in documents])
        )
    else:
        assert not out.exists() or not any(out.iterdir())
        if entry is not None:
            assert not any(issued_roots(gc, entry.payload["roots"]))


def only_entry(gc: GovChain) -> wal.Entry:
    entries = gc.journal.entries()
    assert len(entries) == 1
    return entries[0]


def test_ctrl_c_while_writing_documents_issues_nothing(
    gc: GovChain, actor: Actor, tmp_path: Path
) -> None:
    out = tmp_path / "issued"

    def interrupt(n: int) -> None:
        if n == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        batchfiles.issue_batch_into(
            gc.certificates, gc.journal, actor("market-regulator"), "business_licence",
            drafts(10), out, progress=interrupt,
        )  # fmt: skip
    assert_consistent(gc, out, None, 10)


@pytest.mark.parametrize("sent", [True, False], ids=["after-sending", "before-sending"])
def test_ctrl_c_once_sending_is_settled_by_the_next_run(
    gc: GovChain, actor: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sent: bool
) -> None:
    out = tmp_path / "issued"

    def interrupt(self: Sender, *args: Any, **kw: Any) -> Any:
        raise KeyboardInterrupt

    # after-sending: the transaction went out, Ctrl-C while waiting for its receipt;
    # before-sending: recorded as sending, Ctrl-C before the node got it
    monkeypatch.setattr(Sender, "settle" if sent else "_send_raw", interrupt)
    with pytest.raises(KeyboardInterrupt):
        batchfiles.issue_batch_into(
            gc.certificates, gc.journal, actor("market-regulator"), "business_licence",
            drafts(7), out,
        )  # fmt: skip
    monkeypatch.undo()
    entry = only_entry(gc)
    assert entry.phase == "sending" and Path(entry.payload["staging"]).is_dir()
    with pytest.raises(Exception, match="interrupted"):  # a re-run must settle it first
        batchfiles.issue_batch_into(
            gc.certificates, gc.journal, actor("market-regulator"), "business_licence",
            drafts(7), out,
        )  # fmt: skip
    said = gc.recover()
    # the same signed transaction is sent again where it was lost: the batch is finished
    assert len(said) == 1 and said[0].startswith("Finished an interrupted issue-batch: 7")
    assert_consistent(gc, out, entry, 7)


def test_a_refused_batch_leaves_no_trace(gc: GovChain, actor: Actor, tmp_path: Path) -> None:
    out = tmp_path / "issued"
    with pytest.raises(Exception, match="BUSINESS_LICENCE_ISSUER_ROLE"):
        batchfiles.issue_batch_into(
            gc.certificates, gc.journal, actor("bank-bob"), "business_licence", drafts(3), out
        )
    assert_consistent(gc, out, None, 3)


# -- real processes killed with SIGKILL ---------------------------------------------------------
def _env(cli_env: Env) -> dict[str, str]:
    env = {**os.environ, **{k: v for k, v in cli_env.items() if v is not None}}
    env.pop("GOVCHAIN_PASSWORD", None)
    return env


def _govchain(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "govchain.cli.main", *args],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_when(proc: subprocess.Popen[str], ready: Callable[[], bool], limit: float = 60) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()``; False if it finished first."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.005)
    proc.kill()
    raise AssertionError("the process never reached the phase to kill it in")


def _phase(gc: GovChain) -> str | None:
    try:
        entries = gc.journal.entries()
    except Exception:
        return None  # caught mid-write: the file is replaced atomically, so only a race
    return entries[0].phase if entries else None


@pytest.fixture
def csv_rows(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    def make(n: int) -> Path:
        path = tmp_path / f"rows{n}.csv"
        lines = [HEADER] + [
            f"Firm {i},Li,1 CNY,Trade,Street {i},91110108{i:010d}" for i in range(n)
        ]
        path.write_text("\n".join(lines) + "\n")
        return path

    yield make


@pytest.mark.parametrize("phase", ["prepared", "sending"])
def test_kill_9_during_issue_batch_then_resume(
    gc: GovChain, cli_env: Env, tmp_path: Path, csv_rows: Callable[[int], Path], phase: str
) -> None:
    out = tmp_path / f"issued-{phase}"
    env = _env(cli_env)
    args = ["cert", "issue-batch", str(csv_rows(3000)), "--type", "business_licence"]
    with _mining_paused(gc, phase == "sending"):  # the transaction waits in the pool: a sure kill
        proc = _govchain(env, *args, "--out-dir", str(out), "--from", "market-regulator")
        killed = _kill_when(proc, lambda: _phase(gc) == phase)
    assert killed, proc.stderr.read() if proc.stderr else ""
    entry = only_entry(gc)
    done = subprocess.run(
        [sys.executable, "-m", "govchain.cli.main", "resume"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    expected = "Finished" if phase == "sending" else "Rolled back"
    assert expected in done.stderr, done.stderr
    assert_consistent(gc, out, entry, 3000)
    assert _pool_is_empty(gc)


def test_kill_9_during_port_submit_batch_then_resume(
    gc: GovChain, cli_env: Env, tmp_path: Path
) -> None:
    rows = ["number,port,region,goods"]
    rows += [f"0202202677{i:08d},CNTXG,beijing,bl-{i}" for i in range(2000)]
    path = tmp_path / "declarations.csv"
    path.write_text("\n".join(rows) + "\n")
    env = _env(cli_env)
    with _mining_paused(gc):  # its transactions wait in the node's pool when it is killed
        proc = _govchain(env, "port", "submit-batch", str(path), "--from", "broker")
        assert _kill_when(proc, lambda: _phase(gc) == "sending")
    # the next command, whatever it is, settles the batch first
    done = subprocess.run(
        [sys.executable, "-m", "govchain.cli.main", "port", "list", "--json"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "interrupted port submit-batch of 2000" in done.stderr
    assert gc.journal.entries() == []
    port = gc.case("port")
    filed = [port.get(f"0202202677{i:08d}") for i in (0, 999, 1999)]
    assert all(r.state == "submitted" for r in filed)
    assert _pool_is_empty(gc)


@contextlib.contextmanager
def _mining_paused(gc: GovChain, paused: bool = True) -> Iterator[None]:
    """Stop the dev node from mining on arrival, so a sent transaction stays in its pool."""
    if paused:
        gc.chain.rpc.call("evm_setAutomine", [False])
    try:
        yield
    finally:
        if paused:
            gc.chain.rpc.call("evm_setAutomine", [True])


def _pool_is_empty(gc: GovChain) -> bool:
    status = gc.chain.rpc.call("txpool_status")
    return int(status["pending"], 16) == 0 and int(status["queued"], 16) == 0


def test_recovery_never_touches_a_write_whose_process_is_alive(gc: GovChain) -> None:
    """Eight agencies' processes share a data directory: one's recovery must not settle (or
    undo) another's batch in flight. An entry's lock is held by its live process."""
    working = wal.Journal(gc.config.data_dir, gc.chain.chain_id)
    other = wal.Journal(gc.config.data_dir, gc.chain.chain_id)
    entry = working.begin("case-batch", "0x" + "00" * 20, {"what": "in flight"})
    try:
        assert [e.id for e in other.entries()] == [entry.id]
        assert other.orphans() == []  # alive: not another process's to settle
        working.release(entry)  # interrupted: now an orphan
        found = other.orphans()
        assert [e.id for e in found] == [entry.id]
    finally:
        working.finish(entry)
        for e in other.orphans() + found:
            other.release(e)
