"""Block production on a local development chain (Anvil, Ganache), for batches.

An automining dev chain mines a block for every transaction that arrives. A batch of thousands
then costs thousands of blocks (Anvil's cost per block grows with its chain), and transactions
that overtake each other inside concurrent batch requests wait in the pool until some later
block. So a batch *pauses* automining, sends everything (several batch requests in flight),
mines blocks until all of it is in — full blocks, a few hundred transactions each — and then
restores automining, also on an error or Ctrl-C.

Other processes may send meanwhile. Batches of one data directory take turns (a lock file in
its ``locks/`` directory, held from the pause to the restore), so one batch never takes
another's pause for the chain's own mode; single transactions sent during a pause are mined in
the batch's blocks, and once automining is back a last block takes whatever arrived after the
batch's final one. A process killed while it had automining paused leaves a marker beside the
lock; whoever takes the lock next (every command checks) turns automining back on.

A chain that was not automining when the batch began (someone paused it on purpose, or it
mines at intervals) is left alone: the batch waits for its receipts like on any other network,
and only mines when nothing has happened for a while.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from govchain.chain.rpc import RpcClient, RpcError


class DevMining:
    """The mining controls of one dev chain (Anvil or Ganache)."""

    def __init__(
        self, rpc: RpcClient, engine: str, chain_id: int, lock_dir: Callable[[], Path | None]
    ) -> None:
        self.rpc = rpc
        self.engine = engine  # "anvil" or "ganache"
        self.chain_id = chain_id
        self._lock_dir = lock_dir
        self._lock = threading.RLock()

    # -- the node's controls -----------------------------------------------------------------
    def automine(self) -> bool:
        """Whether the node mines a block as soon as a transaction arrives."""
        if self.engine == "ganache":
            return bool(self.rpc.call("eth_mining"))
        return bool(self.rpc.call("anvil_getAutomine"))

    def set_automine(self, on: bool) -> None:
        if self.engine == "ganache":
            self.rpc.call("miner_start" if on else "miner_stop")
        else:
            self.rpc.call("evm_setAutomine", [on])

    def mine(self, blocks: int = 1) -> None:
        """Mine ``blocks`` blocks now (each takes as much of the pool as fits)."""
        if blocks <= 1:
            self.rpc.call("evm_mine")
        elif self.engine == "ganache":
            self.rpc.call("evm_mine", [{"blocks": blocks}])
        else:
            self.rpc.call("anvil_mine", [hex(blocks)])

    def base_fee(self) -> int | None:
        """The latest block's base fee (None before London rules)."""
        value = self.rpc.call("eth_getBlockByNumber", ["latest", False]).get("baseFeePerGas")
        return int(value, 16) if value is not None else None

    def pool_size(self) -> int:
        """Transactions waiting in the node's pool (ready or not)."""
        try:
            status = self.rpc.call("txpool_status")
            return int(status["pending"], 16) + int(status["queued"], 16)
        except (RpcError, KeyError, TypeError, ValueError):
            return 1  # cannot tell: assume something waits

    # -- a batch's hold on mining ------------------------------------------------------------
    @contextlib.contextmanager
    def session(self) -> Iterator[MiningSession]:
        """Hold the chain's mining for one batch (batches take turns); on leaving, automining
        is restored if the batch paused it."""
        with self._lock, self._file_lock(block=True):
            self._restore_if_marked()
            batch = MiningSession(self)
            try:
                yield batch
            finally:
                if batch.driving:
                    self._resume()

    def heal(self) -> bool:
        """If a process died while it had automining paused, turn it back on (True). Never
        waits: a batch in progress keeps its pause."""
        marker = self._marker()
        if marker is None or not marker.exists():
            return False
        if not self._lock.acquire(blocking=False):
            return False
        try:
            with self._file_lock(block=False) as held:
                return held and self._restore_if_marked()
        finally:
            self._lock.release()

    def _pause(self) -> bool:
        """Pause automining if it is on (True: the caller mines now)."""
        if not self.automine():
            return False
        marker = self._marker()
        if marker is not None:
            marker.write_text(f"{os.getpid()}\n")
        self.set_automine(False)
        return True

    def _resume(self) -> None:
        self.set_automine(True)
        marker = self._marker()
        if marker is not None:
            with contextlib.suppress(FileNotFoundError):
                marker.unlink()
        # a transaction that arrived after the batch's last block would wait for the next one
        if self.pool_size():
            self.mine()

    def _restore_if_marked(self) -> bool:
        marker = self._marker()
        if marker is None or not marker.exists():
            return False
        self.set_automine(True)
        marker.unlink()
        if self.pool_size():
            self.mine()
        return True

    # -- the lock shared by the processes of one data directory ------------------------------
    def _marker(self) -> Path | None:
        directory = self._lock_dir()
        return None if directory is None else directory / f"{self.chain_id}-automine-paused"

    @contextlib.contextmanager
    def _file_lock(self, *, block: bool) -> Iterator[bool]:
        directory = self._lock_dir()
        if directory is None:
            yield True
            return
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(directory / f"{self.chain_id}-mining.lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX if block else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


class MiningSession:
    """One batch's turn: :meth:`pause` just before sending; ``driving`` then says whether the
    batch mines its own blocks (automining was on and is paused until the session ends)."""

    def __init__(self, mining: DevMining) -> None:
        self.mining = mining
        self.driving = False
        self._base_fee: int | None = None

    def pause(self) -> bool:
        if not self.driving:
            self.driving = self.mining._pause()
            if self.driving:
                self._base_fee = self.mining.base_fee()
        return self.driving

    def mine(self, blocks: int = 1) -> None:
        """Mine for the batch. On Anvil each block keeps the base fee the batch was signed
        under: the batch's own full blocks would otherwise raise it 12.5 % a block until its
        last transactions could not pay it (they would wait in the pool for ever)."""
        if self._base_fee is not None and self.mining.engine == "anvil":
            for _ in range(blocks):
                self.mining.rpc.call("anvil_setNextBlockBaseFeePerGas", [hex(self._base_fee)])
                self.mining.mine()
            return
        self.mining.mine(blocks)
