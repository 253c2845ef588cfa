"""A small JSON-RPC client: single calls and batch requests over pooled keep-alive HTTP(S).

GovChain talks JSON-RPC directly (rather than through web3.py's provider stack) for three reasons:
batch requests of pre-signed transactions, the raw error objects needed to decode custom Solidity
errors the same way on Anvil, Ganache, Besu and Geth, and speed. (web3.py is still there for
agencies that use it: ``GovChain.web3``.)

The HTTP side is urllib3 (the pool under ``requests``, used directly: one thread-safe pool of
keep-alive connections, TLS with a CA bundle, per-request retry policies):

- Reads are retried with exponential backoff on connection errors, timeouts, HTTP 429 and
  502/503/504 (a ``Retry-After`` header is honoured), by urllib3's :class:`~urllib3.util.Retry`.
  HTTP 500 is not retried: nodes and gateways use it for ordinary JSON-RPC errors (a revert).
- Writes are never blindly re-sent. Only a refused *connection* (the request never left) is
  retried. When a raw transaction's fate is unknown (the connection broke after sending, a
  timeout, a 5xx), the transaction is looked up by its hash first: if the node has it, its hash
  is the answer; only if it does not is the same signed transaction sent once more.
- Other state-changing methods (``evm_*``, ``anvil_*``, ...) are sent once.
- ``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``NO_PROXY`` from the environment are honoured.
- Every failure to reach the node is one :class:`ChainUnavailable` sentence naming the endpoint.
- Reads to a plain ``http://`` endpoint try a bare kept-alive ``http.client`` connection first
  (``keepalive.py``: urllib3 adds 40 % to a local ``eth_call``); that attempt counts as the
  first of the read's tries, and anything unusual continues on urllib3 under the rules above.
  urllib3 is imported on the first request that needs it: a command that only reads a local
  node never loads it (~30 ms of a CLI read command's start).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

from govchain.chain.keepalive import KeepAlive
from govchain.errors import ChainUnavailable
from govchain.hashing import keccak

if TYPE_CHECKING:
    import urllib3
    from urllib3.util import Retry

Call = tuple[str, Sequence[Any]]
#: Calls per HTTP batch request, and its approximate size limit (Anvil refuses batches of more
#: than 1,000 calls and request bodies of a few megabytes).
BATCH_LIMIT = 500
BATCH_BYTES = 1_000_000
#: :meth:`RpcClient.batch_many`: calls per batch request, and requests in flight at once. Eight
#: requests of 100 keep a local node busy on every core while this process encodes the next.
MANY_PER_REQUEST = 100
MANY_IN_FLIGHT = 8
#: Raw transaction sends: never re-sent before the node was asked whether it has them.
RAW_SENDS = frozenset({"eth_sendRawTransaction", "eth_sendRawTransactionSync"})
#: HTTP statuses after which a read is tried again (429: rate limited; gateway errors).
RETRY_STATUSES = frozenset({429, 502, 503, 504})
_READ_PREFIXES = ("eth_", "net_", "web3_", "txpool_", "debug_trace")
_WRITE_METHODS = frozenset({"eth_sendTransaction", "eth_sign", "eth_signTransaction"})
#: Connections kept open per endpoint (more threads may open more; extra ones are closed).
POOL_SIZE = 64


@dataclass(frozen=True)
class RpcOptions:
    """How to talk to an endpoint (config keys ``rpc_*``, environment ``GOVCHAIN_RPC_*``)."""

    timeout: float = 60.0  # seconds to wait for a reply
    connect_timeout: float = 10.0  # seconds to open a connection
    retries: int = 4  # further attempts of a read (and of a refused connection)
    backoff: float = 0.25  # seconds; doubled on each further retry
    backoff_max: float = 8.0
    headers: tuple[tuple[str, str], ...] = ()  # sent with every request (an API key, say)
    ca_bundle: str | None = None  # PEM file of the CAs trusted for https (default: the system's)

    def header_dict(self) -> dict[str, str]:
        return dict(self.headers)


@dataclass
class RpcError(Exception):
    """An error object returned by the node (the request reached it and was refused)."""

    code: int
    message: str
    data: Any = None

    def __str__(self) -> str:
        return f"{self.message} (JSON-RPC error {self.code})"


class _FateUnknown(ChainUnavailable):
    """The request may have reached the node: no reply, a broken connection or a 5xx."""


def is_read(method: str) -> bool:
    """True for methods that change nothing, and so may be retried."""
    return (
        method.startswith(_READ_PREFIXES)
        and not method.startswith("eth_send")
        and method not in _WRITE_METHODS
    )


class RpcClient:
    """JSON-RPC over HTTP(S). Thread-safe (one pool of keep-alive connections). Failures to
    reach the node become :class:`ChainUnavailable` naming the endpoint."""

    def __init__(
        self, url: str, *, timeout: float | None = None, options: RpcOptions | None = None
    ) -> None:
        opts = options or RpcOptions()
        if timeout is not None:
            opts = replace(opts, timeout=timeout)
        self.url = url
        self.options = opts
        self.timeout = opts.timeout
        parts = urlsplit(url)
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._headers = {"Content-Type": "application/json", **opts.header_dict()}
        self._proxy = _proxy_for(parts.scheme, parts.hostname or "")
        self._target = url if self._proxy else self._path
        self._pooled: _Pooled | None = None  # urllib3, made on first use (_pool_and_retries)
        self._pooled_lock = threading.Lock()
        # Reads to a plain-HTTP endpoint try a bare kept-alive connection first (keepalive.py);
        # its one attempt counts as the first of the read's retries. A command that only reads
        # a local node never imports urllib3 at all.
        self._fast: KeepAlive | None = None
        if parts.scheme == "http" and not self._proxy and opts.retries > 0:
            self._fast = KeepAlive(
                parts.hostname or "127.0.0.1",
                parts.port or 80,
                self._path,
                self._headers,
                connect_timeout=opts.connect_timeout,
                timeout=opts.timeout,
            )
        self._workers: dict[int, ThreadPoolExecutor] = {}
        self._workers_lock = threading.Lock()

    def call(self, method: str, params: Sequence[Any] = ()) -> Any:
        """One request; returns its result or raises :class:`RpcError`."""
        payload = {"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}
        if method in RAW_SENDS:
            reply = self._send_raw(method, payload, params)
        else:
            reply = self._post(payload, read=is_read(method))
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

    def batch_many(
        self,
        calls: Sequence[Call],
        *,
        per_request: int = MANY_PER_REQUEST,
        in_flight: int = MANY_IN_FLIGHT,
    ) -> list[Any]:
        """Like :meth:`batch`, with up to ``in_flight`` batch requests of ``per_request`` calls
        on the wire at once. Results come back in call order; the node may handle the requests
        in any order (send raw transactions with consecutive nonces this way only to a node
        that keeps early arrivals, as a dev chain does)."""
        if len(calls) <= per_request or in_flight <= 1:
            return self.batch(calls)
        chunks = [calls[i : i + per_request] for i in range(0, len(calls), per_request)]
        out: list[Any] = []
        for part in self._executor(in_flight).map(self.batch, chunks):
            out += part
        return out

    def _executor(self, size: int) -> ThreadPoolExecutor:
        with self._workers_lock:
            pool = self._workers.get(size)
            if pool is None:
                pool = self._workers[size] = ThreadPoolExecutor(size, "govchain-rpc")
            return pool

    def _batch(self, calls: Sequence[Call]) -> list[Any]:
        if not calls:
            return []
        try:
            replies = self._post(_batch_payload(calls), read=all(is_read(m) for m, _ in calls))
        except _FateUnknown:
            if not any(m in RAW_SENDS for m, _ in calls):
                raise
            return self._resume_batch(calls)
        return self._unpack(len(calls), replies)

    def _unpack(self, count: int, replies: Any) -> list[Any]:
        if isinstance(replies, dict):  # a node that refuses batches answers with one error
            raise _as_error(replies.get("error") or {})
        if not isinstance(replies, list):
            raise ChainUnavailable(f"The node at {self.url} sent a malformed batch reply.")
        by_id = {r.get("id"): r for r in replies if isinstance(r, dict)}
        out: list[Any] = []
        for i in range(count):
            reply = by_id.get(i)
            if reply is None:
                out.append(RpcError(-32603, "no reply in batch"))
                continue
            try:
                out.append(_result(reply))
            except RpcError as exc:
                out.append(exc)
        return out

    # -- writes whose fate is unknown --------------------------------------------------------
    def _send_raw(self, method: str, payload: dict[str, Any], params: Sequence[Any]) -> Any:
        try:
            return self._post(payload, read=False)
        except _FateUnknown:
            tx_hash = raw_tx_hash(str(params[0]))
            if self._post(_lookup(tx_hash), read=True).get("result") is None:
                return self._post(payload, read=False)  # the node never got it: send it again
            if method == "eth_sendRawTransactionSync":
                return {"jsonrpc": "2.0", "id": 1, "result": self._receipt(tx_hash)}
            return {"jsonrpc": "2.0", "id": 1, "result": tx_hash}

    def _resume_batch(self, calls: Sequence[Call]) -> list[Any]:
        """After a batch holding raw transactions got no answer: the transactions the node
        already has are answered by their hash; everything else is sent once more."""
        sends = {i: raw_tx_hash(str(p[0])) for i, (m, p) in enumerate(calls) if m in RAW_SENDS}
        order = list(sends)
        lookups = _batch_payload([_lookup_call(sends[i]) for i in order])
        found = self._unpack(len(order), self._post(lookups, read=True))
        known = {i: sends[i] for i, tx in zip(order, found, strict=True) if tx and not _err(tx)}
        out: list[Any] = [None] * len(calls)
        for i, tx_hash in known.items():
            method = calls[i][0]
            out[i] = self._receipt(tx_hash) if method.endswith("Sync") else tx_hash
        again = [i for i in range(len(calls)) if i not in known]
        if again:
            redo = [calls[i] for i in again]
            replies = self._unpack(len(redo), self._post(_batch_payload(redo), read=False))
            for i, reply in zip(again, replies, strict=True):
                out[i] = reply
        return out

    def _receipt(self, tx_hash: str) -> Any:
        deadline = time.monotonic() + self.timeout
        while True:
            receipt = self.call("eth_getTransactionReceipt", [tx_hash])
            if receipt is not None or time.monotonic() > deadline:
                return receipt
            time.sleep(0.05)

    # -- HTTP --------------------------------------------------------------------------------
    def _post(self, payload: Any, *, read: bool) -> Any:
        body = json.dumps(payload, separators=(",", ":")).encode()
        answer = self._fast.post(body) if read and self._fast is not None else None
        if answer is not None and answer[0] not in RETRY_STATUSES:
            status, data = answer
        else:
            pooled = self._pool_and_retries()
            if read:
                retry = pooled.read_retry if self._fast is None else pooled.read_retry_rest
            else:
                retry = pooled.write_retry
            status, data = self._urlopen(pooled.pool, body, payload, retry)
        if status >= 400 and not data.lstrip().startswith((b"{", b"[")):
            text = data[:200].decode(errors="replace").strip()
            kind = _FateUnknown if status >= 500 else ChainUnavailable
            raise kind(f"The chain at {self.url} answered HTTP {status}: {text}")
        try:
            return json.loads(data)
        except ValueError:
            text = data[:80].decode(errors="replace").strip()
            raise ChainUnavailable(
                f"The endpoint {self.url} does not speak JSON-RPC (reply: {text!r})."
            ) from None

    def _pool_and_retries(self) -> _Pooled:
        with self._pooled_lock:
            if self._pooled is None:
                self._pooled = _Pooled.make(self.url, self.options, self._proxy)
            return self._pooled

    def _urlopen(
        self,
        pool: urllib3.ProxyManager | urllib3.HTTPConnectionPool,
        body: bytes,
        payload: Any,
        retry: Retry,
    ) -> tuple[int, bytes]:
        from urllib3.exceptions import HTTPError, MaxRetryError

        try:
            response = pool.urlopen(
                "POST",
                self._target,
                body=body,
                headers=self._headers,
                retries=retry,
                assert_same_host=False,
            )
        except MaxRetryError as exc:
            raise self._unreachable(exc.reason, payload) from None
        except HTTPError as exc:
            raise self._unreachable(exc, payload) from None
        return response.status, response.data

    def _unreachable(self, reason: BaseException | None, payload: Any) -> ChainUnavailable:
        from urllib3.exceptions import (
            ConnectTimeoutError,
            NameResolutionError,
            NewConnectionError,
            ProtocolError,
            ReadTimeoutError,
            SSLError,
        )

        attempts = f" (tried {self.options.retries + 1} times)" if self.options.retries else ""
        if isinstance(reason, SSLError):
            return ChainUnavailable(
                f"The TLS connection to {self.url} failed: {_short(reason)}. Set rpc_ca_bundle "
                "in govchain.toml or GOVCHAIN_RPC_CA_BUNDLE to the CA bundle that signed its "
                "certificate."
            )
        if isinstance(reason, NameResolutionError):
            return ChainUnavailable(
                f"The host of {self.url} cannot be resolved{attempts}: check --rpc-url / "
                "GOVCHAIN_RPC_URL."
            )
        if isinstance(reason, NewConnectionError):
            return ChainUnavailable(
                f"No chain is answering at {self.url}{attempts}. Start the local chain with "
                "`govchain node start` (or `make up`), or check --rpc-url / GOVCHAIN_RPC_URL."
            )
        if isinstance(reason, ConnectTimeoutError):
            return ChainUnavailable(
                f"No connection to {self.url} within {self.options.connect_timeout:g} s"
                f"{attempts}: check --rpc-url / GOVCHAIN_RPC_URL and the network."
            )
        if isinstance(reason, ReadTimeoutError):
            return _FateUnknown(
                f"The chain at {self.url} did not answer within {self.timeout:g} s{attempts}."
            )
        if isinstance(reason, ProtocolError):
            return _FateUnknown(
                f"The connection to {self.url} broke before it answered{attempts}: "
                f"{_short(reason)}."
            )
        return _FateUnknown(f"The request to {self.url} failed{attempts}: {_short(reason)}.")


@dataclass(frozen=True)
class _Pooled:
    """urllib3's side of a client: the pool of kept-alive connections and the retry policies."""

    pool: urllib3.ProxyManager | urllib3.HTTPConnectionPool
    read_retry: Retry
    read_retry_rest: Retry  # after the kept-alive attempt, which counted as the first try
    write_retry: Retry

    @classmethod
    def make(cls, url: str, opts: RpcOptions, proxy: str | None) -> _Pooled:
        import urllib3
        from urllib3.util import Retry, Timeout

        tls: dict[str, Any] = {}
        if url.startswith("https:"):
            tls = {"cert_reqs": "CERT_REQUIRED"}
            if opts.ca_bundle:
                tls["ca_certs"] = opts.ca_bundle
        pool_kw: dict[str, Any] = {
            "num_pools": 1,
            "maxsize": POOL_SIZE,
            "block": False,
            "timeout": Timeout(connect=opts.connect_timeout, read=opts.timeout),
            "retries": False,
            **tls,
        }
        pool: urllib3.ProxyManager | urllib3.HTTPConnectionPool
        if proxy:  # HTTP(S)_PROXY / NO_PROXY from the environment, as requests honoured them
            pool = urllib3.ProxyManager(proxy, **pool_kw)
        else:
            pool = urllib3.PoolManager(**pool_kw).connection_from_url(url)
        common: dict[str, Any] = {
            "redirect": 0,
            "other": 0,
            "allowed_methods": None,  # POST is retried under the rules below, not by verb
            "backoff_factor": opts.backoff,
            "backoff_max": opts.backoff_max,
            "raise_on_status": False,
        }
        read_retry, read_retry_rest = (
            Retry(
                total=tries,
                connect=tries,
                read=tries,
                status=tries,
                status_forcelist=RETRY_STATUSES,
                respect_retry_after_header=True,
                **common,
            )
            for tries in (opts.retries, max(opts.retries - 1, 0))
        )
        # a refused connection never carried the request: that alone is safe to try again
        write_retry = Retry(total=opts.retries, connect=opts.retries, read=0, status=0, **common)
        return cls(pool, read_retry, read_retry_rest, write_retry)


def _proxy_for(scheme: str, host: str) -> str | None:
    """The proxy the environment names for this endpoint (None: connect directly)."""
    proxy = getproxies().get(scheme)
    return proxy if proxy and not proxy_bypass(host) else None


def raw_tx_hash(raw: str) -> str:
    """The hash of a signed raw transaction (0x-hex), as the node will report it."""
    return "0x" + keccak(hexstr=raw).hex()


def _lookup(tx_hash: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": 1, "method": "eth_getTransactionByHash", "params": [tx_hash]}


def _lookup_call(tx_hash: str) -> Call:
    return ("eth_getTransactionByHash", [tx_hash])


def _batch_payload(calls: Sequence[Call]) -> list[dict[str, Any]]:
    return [
        {"jsonrpc": "2.0", "id": i, "method": m, "params": list(p)}
        for i, (m, p) in enumerate(calls)
    ]


def _err(value: Any) -> bool:
    return isinstance(value, RpcError)


def _short(exc: BaseException | None) -> str:
    text = str(exc) if exc is not None else "unknown error"
    return text.split(": ", 1)[-1][:160] if "object at 0x" in text else text[:160]


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


__all__ = ["RAW_SENDS", "Call", "RpcClient", "RpcError", "RpcOptions", "is_read", "raw_tx_hash"]
