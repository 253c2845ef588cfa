"""The local development chain: start, stop, status, logs, checkpoints; and throw-away chains.

:class:`LocalNode` manages the persistent chain of an installation (state under
``<data_dir>/node/``), run in the background by the supervisor
(:mod:`govchain.chain.node.supervisor`).
:class:`EphemeralNode` starts a fresh chain on a free port for tests and benchmarks and removes it
on exit.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from govchain.chain.node import engines
from govchain.chain.node import state as checkpoints
from govchain.chain.node.ports import free_port, port_in_use
from govchain.chain.rpc import RpcClient, RpcOptions
from govchain.config import Config, engine_chain_id
from govchain.errors import GovChainError, NodeError

START_TIMEOUT = 90.0
STOP_TIMEOUT = 30.0
MAX_LOG_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class NodeStatus:
    running: bool
    engine: str
    rpc_url: str
    chain_id: int | None = None
    block_number: int | None = None
    supervisor_pid: int | None = None
    chain_pid: int | None = None
    started_at: str | None = None
    state_file: str | None = None
    checkpoint_at: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class StartResult:
    status: NodeStatus
    already_running: bool
    notice: str | None


class LocalNode:
    """The installation's local chain (Anvil by default, Ganache with ``engine="ganache"``, a
    proof-of-authority EthereumJS chain with ``engine="poa"``)."""

    def __init__(self, config: Config) -> None:
        if not config.is_local:
            raise NodeError(
                f"The RPC URL {config.rpc_url} is not on this machine: `govchain node` only "
                "manages the local chain."
            )
        self.config = config
        self.dir = config.node_dir
        self.info_file = self.dir / "node.json"
        self.log_file = self.dir / "node.log"
        self.state_file = self.dir / "anvil-state.json"
        self.ganache_db = self.dir / "ganache-db"
        self.poa_dir = self.dir / "poa"
        self.rpc = RpcClient(config.rpc_url, options=RpcOptions(timeout=10, retries=0))

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> StartResult:
        current = self.status()
        if current.running:
            return StartResult(current, True, None)
        engine = self.config.engine
        expected = engine_chain_id(engine)
        if self.config.chain_id is not None and self.config.chain_id != expected:
            hint = " (govchain.toml defines it: `govchain --network poa node start`)"
            raise NodeError(
                f"The {engine} engine runs chain id {expected}, but network "
                f"'{self.config.network}' expects {self.config.chain_id}: use a network "
                f"configured for it{hint if engine == 'poa' else ''}."
            )
        self._clear_stale()
        port = self.config.port
        if port_in_use(port):
            raise NodeError(
                f"Port {port} is already in use by another program, so the local chain cannot "
                f"start. Stop that program or choose another port with --rpc-url "
                f"http://127.0.0.1:<port> (or GOVCHAIN_RPC_URL)."
            )
        self.dir.mkdir(parents=True, exist_ok=True)
        notice = None
        if engine == "anvil":
            choice = checkpoints.choose(self.state_file)
            notice = choice.notice
            cmd = engines.command(self.config, engine, port, load_state=choice.path)
        else:
            cmd = engines.command(
                self.config, engine, port, ganache_db=self.ganache_db, poa_dir=self.poa_dir
            )
        spec = {
            "argv": cmd.argv,
            "rpc_url": self.config.rpc_url,
            "state_file": None if cmd.persists_itself else str(self.state_file),
            "info_file": str(self.info_file),
            "info": {"engine": engine, "rpc_url": self.config.rpc_url, "port": port},
        }
        self._rotate_log()
        with self.log_file.open("ab") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "govchain.chain.node.supervisor", json.dumps(spec)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                close_fds=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise NodeError(
                    f"The local chain failed to start ({engine}). Last lines of "
                    f"{self.log_file}:\n{self.tail(12)}"
                )
            status = self.status()
            if status.running:
                if status.chain_id != expected:
                    self.stop()
                    raise NodeError(f"The chain started with chain id {status.chain_id}.")
                return StartResult(status, False, notice)
            time.sleep(0.1)
        proc.terminate()
        raise NodeError(f"The local chain did not become ready within {START_TIMEOUT:.0f} s.")

    def stop(self) -> bool:
        """Stop the chain cleanly (final checkpoint); False if it was not running."""
        info = self._info()
        supervisor = info.get("supervisor_pid")
        chain = info.get("chain_pid")
        was_running = supervisor_alive(supervisor) or engine_alive(chain)
        if supervisor and supervisor_alive(supervisor):
            os.kill(supervisor, signal.SIGTERM)
            if not wait_gone(supervisor, STOP_TIMEOUT):
                os.kill(supervisor, signal.SIGKILL)
        if chain and engine_alive(chain):
            os.kill(chain, signal.SIGTERM)
            if not wait_gone(chain, STOP_TIMEOUT):
                os.kill(chain, signal.SIGKILL)
        self.info_file.unlink(missing_ok=True)
        return was_running

    def status(self) -> NodeStatus:
        info = self._info()
        base = {"engine": info.get("engine", self.config.engine), "rpc_url": self.config.rpc_url}
        supervisor = info.get("supervisor_pid")
        if not supervisor_alive(supervisor):
            note = None
            if engine_alive(info.get("chain_pid")):
                note = "the chain runs without its supervisor (no checkpoints); restart it"
            return NodeStatus(False, **base, note=note)
        try:
            replies = self.rpc.batch([("eth_chainId", []), ("eth_blockNumber", [])])
            chain_id, block = (int(r, 16) for r in replies)
        except (GovChainError, TypeError, ValueError):
            return NodeStatus(False, **base, supervisor_pid=supervisor, note="not answering yet")
        checkpoint_at = None
        if self.state_file.exists():
            checkpoint_at = time.strftime(
                "%Y-%m-%d %H:%M:%S", time.localtime(self.state_file.stat().st_mtime)
            )
        return NodeStatus(
            True,
            **base,
            chain_id=chain_id,
            block_number=block,
            supervisor_pid=supervisor,
            chain_pid=info.get("chain_pid"),
            started_at=info.get("started_at"),
            state_file=str(self._state_of(base["engine"])),
            checkpoint_at=checkpoint_at,
        )

    def checkpoint(self) -> int:
        """Write a checkpoint now (Anvil only); returns its size in bytes."""
        status = self.status()
        if not status.running:
            raise NodeError("The local chain is not running: start it with `govchain node start`.")
        if status.engine != "anvil":
            return 0  # Ganache and EthereumJS persist their own database
        return checkpoints.checkpoint(self.rpc, self.state_file)

    def tail(self, lines: int = 50) -> str:
        if not self.log_file.exists():
            return "(no log yet)"
        with self.log_file.open("r", errors="replace") as fh:
            return "".join(deque(fh, maxlen=lines)).rstrip()

    def reset(self) -> None:
        """Stop the chain and delete its state (a fresh chain on next start)."""
        self.stop()
        for path in (self.state_file, checkpoints.backup_path(self.state_file)):
            path.unlink(missing_ok=True)
        import shutil

        for directory in (self.ganache_db, self.poa_dir):
            if directory.exists():
                shutil.rmtree(directory)

    def _state_of(self, engine: str) -> Path:
        return {"anvil": self.state_file, "ganache": self.ganache_db}.get(engine, self.poa_dir)

    # -- helpers -----------------------------------------------------------------------------
    def _info(self) -> dict[str, Any]:
        try:
            data = json.loads(self.info_file.read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _clear_stale(self) -> None:
        info = self._info()
        chain = info.get("chain_pid")
        if chain and engine_alive(chain):
            os.kill(chain, signal.SIGTERM)
            wait_gone(chain, STOP_TIMEOUT)
        self.info_file.unlink(missing_ok=True)

    def _rotate_log(self) -> None:
        if self.log_file.exists() and self.log_file.stat().st_size > MAX_LOG_BYTES:
            os.replace(self.log_file, self.log_file.with_suffix(".log.1"))


class EphemeralNode:
    """A fresh, throw-away chain on a free port (no persistence). Use as a context manager."""

    def __init__(self, config: Config, engine: str = "anvil", port: int | None = None) -> None:
        self.config = config
        self.engine = engine
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._proc: subprocess.Popen[bytes] | None = None
        self._tmp: Path | None = None

    def start(self) -> EphemeralNode:
        import tempfile

        db = poa_dir = None
        if self.engine != "anvil":
            self._tmp = Path(tempfile.mkdtemp(prefix=f"govchain-{self.engine}-"))
            db, poa_dir = self._tmp / "db", self._tmp / "poa"
        cmd = engines.command(
            self.config, self.engine, self.port, ganache_db=db, poa_dir=poa_dir, quiet=True
        )
        self._proc = subprocess.Popen(
            cmd.argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        rpc = RpcClient(self.url, options=RpcOptions(timeout=5, retries=0))
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                err = self._proc.stderr.read().decode(errors="replace") if self._proc.stderr else ""
                raise NodeError(f"{self.engine} exited at start: {err.strip()[:500]}")
            try:
                rpc.call("eth_chainId")
                return self
            except GovChainError:
                time.sleep(0.05)
        self.stop()
        raise NodeError(f"{self.engine} did not become ready within {START_TIMEOUT:.0f} s.")

    @property
    def pid(self) -> int | None:
        """The node process's id while it runs."""
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    def stop(self) -> None:
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._tmp:
            import shutil

            shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> EphemeralNode:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is not alive
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.05)
    return False


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def supervisor_alive(pid: int | None) -> bool:
    """True if ``pid`` is a running GovChain node supervisor (not a reused process id)."""
    if not pid:
        return False
    return pid_alive(pid) and "govchain.chain.node.supervisor" in _cmdline(pid)


def engine_alive(pid: int | None) -> bool:
    """True if ``pid`` is a running Anvil, Ganache or EthereumJS process."""
    if not pid or not pid_alive(pid):
        return False
    cmdline = _cmdline(pid)
    return any(name in cmdline for name in ("anvil", "ganache", "@ethereumjs/client"))
