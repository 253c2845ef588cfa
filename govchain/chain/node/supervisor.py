"""The node supervisor: a small background process that owns the local chain process.

Started by ``govchain node start`` (``python -m govchain.chain.node.supervisor SPEC``), it

- starts the engine with "die with your parent" set, so the chain never outlives it;
- for Anvil, checkpoints the chain state atomically (see :mod:`govchain.node.state`) within about a
  second of every new block, so a ``kill -9`` of either process loses at most that second;
- on SIGTERM/SIGINT writes a final checkpoint, stops the engine with SIGTERM and exits;
- records both process ids in ``node.json`` for ``govchain node stop|status``.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from govchain.chain.node import state as checkpoints
from govchain.chain.rpc import RpcClient, RpcOptions
from govchain.errors import GovChainError

POLL_SECONDS = 0.25
CHECKPOINT_SECONDS = 1.0
READY_TIMEOUT = 90.0
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # runs in the child between fork and exec
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def log(message: str) -> None:
    print(f"[govchain-supervisor {time.strftime('%H:%M:%S')}] {message}", flush=True)


def wait_ready(rpc: RpcClient, child: subprocess.Popen[bytes], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            return False
        try:
            rpc.call("eth_chainId")
            return True
        except GovChainError:
            time.sleep(0.1)
    return False


def chain_mark(rpc: RpcClient) -> str | None:
    """Something that changes whenever the chain does (latest block hash)."""
    try:
        block = rpc.call("eth_getBlockByNumber", ["latest", False])
        return str(block["hash"]) if block else None
    except Exception:
        return None


def run(spec: dict[str, Any]) -> int:
    rpc = RpcClient(spec["rpc_url"], options=RpcOptions(timeout=30, retries=0))
    state_file = Path(spec["state_file"]) if spec.get("state_file") else None
    info_file = Path(spec["info_file"])
    stopping = False

    def request_stop(signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)

    log(f"starting {' '.join(spec['argv'][:1])} on {spec['rpc_url']}")
    child = subprocess.Popen(
        spec["argv"], stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent, close_fds=True
    )
    if not wait_ready(rpc, child, READY_TIMEOUT):
        log(f"the chain did not become ready (exit code {child.poll()})")
        child.kill()
        return 1
    info = {
        **spec["info"],
        "supervisor_pid": os.getpid(),
        "chain_pid": child.pid,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    tmp = info_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(info, indent=1))
    os.replace(tmp, info_file)
    log(f"chain ready (pid {child.pid})")

    last_mark = chain_mark(rpc) if state_file else None
    last_check = time.monotonic()
    while not stopping:
        if child.poll() is not None:
            log(
                f"the chain process exited unexpectedly (code {child.returncode}); "
                "the last checkpoint is kept"
            )
            return 1
        if state_file and time.monotonic() - last_check >= CHECKPOINT_SECONDS:
            last_check = time.monotonic()
            mark = chain_mark(rpc)
            if mark and mark != last_mark:
                try:
                    checkpoints.checkpoint(rpc, state_file)
                    last_mark = mark
                except Exception as exc:  # keep supervising; the previous checkpoint is intact
                    log(f"checkpoint failed: {exc}")
        time.sleep(POLL_SECONDS)

    if state_file and child.poll() is None:
        try:
            size = checkpoints.checkpoint(rpc, state_file)
            log(f"final checkpoint written ({size} bytes)")
        except Exception as exc:
            log(f"final checkpoint failed: {exc}; the previous checkpoint is kept")
    child.terminate()
    try:
        child.wait(timeout=20)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
    log("chain stopped")
    return 0


def main() -> None:
    spec = json.loads(sys.argv[1])
    sys.exit(run(spec))


if __name__ == "__main__":
    main()
