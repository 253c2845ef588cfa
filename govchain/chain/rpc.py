"""A small JSON-RPC client: single calls and batch requests over keep-alive HTTP.

GovChain talks JSON-RPC directly (rather than through web3.py's provider stack) for three reasons:
batch requests of pre-signed transactions, the raw error objects needed to decode custom Solidity
errors the same way on Anvil, Ganache, Besu and Geth, and speed. One HTTP session per thread.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import requests

from govchain.errors import ChainUnavailable

Call = tuple[str, Sequence[Any]]
#: Calls per HTTP batch request, and its approximate size limit (Anvil refuses batches of more
#: than 1,000 calls and request bodies of a few megabytes).
BATCH_LIMIT = 500
BATCH_BYTES = 1_000_000


@dataclass
class RpcError(Exception):
    """An error object returned by the node (the request reached it and was refused)."""

    code: int
    message: str
    data: Any = None

    def __str__(self) -> str:
        return f"{self.message} (JSON-RPC error {self.code})"


class RpcClient:
    """JSON-RPC over HTTP(S). Connection failures become :class:`ChainUnavailable`."""

    def __init__(self, url: str, *, timeout: float = 60.0) -> None:
        self.url = url
        self.timeout = timeout
        self._local = threading.local()

    @property
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["Content-Type"] = "application/json"
            self._local.session = session
        return session

    def call(self, method: str, params: Sequence[Any] = ()) -> Any:
        """One request; returns its result or raises :class:`RpcError`."""
        reply = self._post({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)})
        if not isinstance(reply, dict):
            raise ChainUnavailable(f"The node at {self.url} sent a malformed reply to {method}.")
        return _result(reply)

    def batch(self, calls: Sequence[Call]) -> list[Any]:
        """Many calls in batch requests (at most :data:`BATCH_LIMIT` per HTTP request, which
        every common node accepts); each item is a result or an :class:`RpcError`."""
        out: list[Any] = []
        chunk: list[Call] = []
        size = 0
        for call in calls:
            weight = _weight(call)
            if chunk and (len(chunk) == BATCH_LIMIT or size + weight > BATCH_BYTES):
                out += self._batch(chunk)
                chunk, size = [], 0
            chunk.append(call)
            size += weight
        if chunk:
            out += self._batch(chunk)
        return out

    def _batch(self, calls: Sequence[Call]) -> list[Any]:
        if not calls:
            return []
        payload = [
            {"jsonrpc": "2.0", "id": i, "method": m, "params": list(p)}
            for i, (m, p) in enumerate(calls)
        ]
        replies = self._post(payload)
        if isinstance(replies, dict):  # a node that refuses batches answers with one error
            raise _as_error(replies.get("error") or {})
        by_id = {r.get("id"): r for r in replies}
        out: list[Any] = []
        for i in range(len(calls)):
            reply = by_id.get(i)
            if reply is None:
                out.append(RpcError(-32603, "no reply in batch"))
                continue
            try:
                out.append(_result(reply))
            except RpcError as exc:
                out.append(exc)
        return out

    def _post(self, payload: Any) -> Any:
        try:
            response = self._session.post(self.url, json=payload, timeout=self.timeout)
        except requests.ConnectionError:
            raise ChainUnavailable(
                f"No chain is answering at {self.url}. Start the local chain with "
                "`govchain node start` (or `make up`), or check --rpc-url / GOVCHAIN_RPC_URL."
            ) from None
        except requests.Timeout:
            raise ChainUnavailable(
                f"The chain at {self.url} did not answer within {self.timeout:.0f} s."
            ) from None
        if response.status_code >= 400 and not response.content.startswith((b"{", b"[")):
            raise ChainUnavailable(
                f"The chain at {self.url} answered HTTP {response.status_code}: "
                f"{response.text[:200].strip()}"
            )
        try:
            return response.json()
        except ValueError:
            raise ChainUnavailable(
                f"The endpoint {self.url} does not speak JSON-RPC (reply: "
                f"{response.text[:80].strip()!r})."
            ) from None


def _result(reply: dict[str, Any]) -> Any:
    if "error" in reply and reply["error"] is not None:
        raise _as_error(reply["error"])
    return reply.get("result")


def _as_error(err: Any) -> RpcError:
    if not isinstance(err, dict):
        return RpcError(-32603, str(err))
    return RpcError(int(err.get("code", -32603)), str(err.get("message", "")), err.get("data"))


def _weight(call: Call) -> int:
    """Rough size of a call in a request body (hex strings dominate)."""
    return 64 + sum(_size(p) for p in call[1])


def _size(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_size(v) for v in value.values()) + 16 * len(value)
    if isinstance(value, list | tuple):
        return sum(_size(v) for v in value)
    return 16
