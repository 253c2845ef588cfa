"""The fast path of a read: a POST on one kept-alive ``http.client`` connection per thread.

urllib3 (the RPC client's transport) adds ~0.085 ms to every request — its header dicts, response
object and pool bookkeeping — on a local node that answers an ``eth_call`` in ~0.22 ms, 40 %
(``bench/bench_reads.py``). Reads to a plain ``http://`` endpoint without a proxy therefore go
first through the standard library's HTTP client, which urllib3 itself wraps; anything unusual
(no connection, a broken keep-alive, a timeout, a status to retry) is handed back to the caller,
which takes the urllib3 path with its retry policy, TLS and proxy support. Writes never come here.
"""

from __future__ import annotations

import http.client
import threading


class KeepAlive:
    """POSTs to ``host:port/path`` on a connection kept per thread."""

    def __init__(
        self,
        host: str,
        port: int,
        path: str,
        headers: dict[str, str],
        *,
        connect_timeout: float,
        timeout: float,
    ) -> None:
        self.host = host
        self.port = port
        self.path = path
        self.headers = headers
        self.connect_timeout = connect_timeout
        self.timeout = timeout
        self._local = threading.local()

    def post(self, body: bytes) -> tuple[int, bytes] | None:
        """The status and body of the answer, or None when none came (the connection is dropped
        and the caller sends the request again its own way)."""
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        try:
            if conn is None:
                conn = self._connect()
            conn.request("POST", self.path, body, self.headers)
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            return None
        if response.will_close:
            self.close()
        return response.status, data

    def _connect(self) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.connect_timeout)
        conn.connect()
        if conn.sock is not None:
            conn.sock.settimeout(self.timeout)
        self._local.conn = conn
        return conn

    def close(self) -> None:
        """Drop this thread's connection (the next post opens a new one)."""
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            conn.close()
