"""The JSON-RPC client against a real local HTTP(S) server that misbehaves on purpose: reads are
retried after 503 and 429, writes are looked up by hash before any re-send, headers and timeouts
come from the config file and the environment, https trusts a given CA bundle, and an unreachable
endpoint is one sentence naming it."""

from __future__ import annotations

import datetime
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account

from govchain.chain.rpc import RpcClient, RpcOptions
from govchain.config import Config
from govchain.errors import ChainUnavailable, ConfigError

FAST = RpcOptions(backoff=0.01, retries=3, timeout=5, connect_timeout=2)
KEY = "0x" + "11" * 32


class FakeNode:
    """A JSON-RPC endpoint: ``script`` is what to do with the next requests ("503", "429",
    "close" = drop the connection after reading the request), then ``answer`` replies."""

    def __init__(self) -> None:
        self.script: list[str] = []
        self.seen: list[tuple[list[str], dict[str, str]]] = []
        self.known: set[str] = set()  # transaction hashes the node has
        self.lock = threading.Lock()
        self.url = ""

    def answer(self, method: str, params: list[Any]) -> Any:
        if method == "eth_blockNumber":
            return "0x10"
        if method == "eth_getTransactionByHash":
            return {"hash": params[0]} if params[0] in self.known else None
        if method == "eth_getTransactionReceipt":
            return (
                {"transactionHash": params[0], "status": "0x1"} if params[0] in self.known else None
            )
        if method == "eth_sendRawTransaction":
            tx_hash = _hash(params[0])
            self.known.add(tx_hash)
            return tx_hash
        return None

    def methods(self) -> list[str]:
        return [m for batch, _ in self.seen for m in batch]


def _hash(raw: str) -> str:
    from eth_utils import keccak

    return "0x" + keccak(hexstr=raw).hex()


def _handler(node: FakeNode) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            calls = body if isinstance(body, list) else [body]
            with node.lock:
                node.seen.append(([c["method"] for c in calls], dict(self.headers.items())))
                action = node.script.pop(0) if node.script else "ok"
            if action == "close":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if action == "slow":
                time.sleep(1.0)
            if action in ("503", "429"):
                self._send(int(action), b"busy, try later", {"Retry-After": "0"})
                return
            replies = [
                {"jsonrpc": "2.0", "id": c["id"], "result": node.answer(c["method"], c["params"])}
                for c in calls
            ]
            self._send(200, json.dumps(replies if isinstance(body, list) else replies[0]).encode())

        def _send(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up on a slow reply (the timeout test) is expected


def _serve(node: FakeNode, wrap: Callable[[socket.socket], socket.socket] | None = None):
    server = _QuietServer(("127.0.0.1", 0), _handler(node))
    server.daemon_threads = True
    if wrap is not None:
        server.socket = wrap(server.socket)
    scheme = "https" if wrap else "http"
    node.url = f"{scheme}://localhost:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def node() -> Iterator[FakeNode]:
    fake = FakeNode()
    server = _serve(fake)
    yield fake
    server.shutdown()
    server.server_close()


def _raw_tx() -> tuple[str, str]:
    tx = {"nonce": 0, "gas": 21000, "gasPrice": 1, "to": "0x" + "22" * 20, "value": 1}
    signed = Account.sign_transaction({**tx, "chainId": 1337}, KEY)
    return "0x" + signed.raw_transaction.hex(), "0x" + signed.hash.hex()


def test_reads_are_retried_after_503_and_429(node: FakeNode) -> None:
    node.script = ["503", "429"]
    assert RpcClient(node.url, options=FAST).call("eth_blockNumber") == "0x10"
    assert node.methods() == ["eth_blockNumber"] * 3


def _urllib3(headers: dict[str, str]) -> bool:
    return headers.get("User-Agent", "").startswith("python-urllib3")


def test_reads_take_the_kept_alive_fast_path_and_writes_urllib3(node: FakeNode) -> None:
    client = RpcClient(node.url, options=FAST)
    for _ in range(3):
        assert client.call("eth_blockNumber") == "0x10"
    raw, tx_hash = _raw_tx()
    assert client.call("eth_sendRawTransaction", [raw]) == tx_hash
    assert [_urllib3(h) for _, h in node.seen] == [False, False, False, True]


def test_a_read_goes_on_when_the_node_drops_the_kept_alive_connection(node: FakeNode) -> None:
    client = RpcClient(node.url, options=FAST)
    assert client.call("eth_blockNumber") == "0x10"
    node.script = ["close"]
    assert client.call("eth_blockNumber") == "0x10"  # fast path broke; urllib3 answered
    assert client.call("eth_blockNumber") == "0x10"  # and the fast path reconnects
    assert [_urllib3(h) for _, h in node.seen] == [False, False, True, False]


def test_the_fast_attempt_counts_as_one_of_the_tries(node: FakeNode) -> None:
    node.script = ["close"] * 10
    with pytest.raises(ChainUnavailable, match=r"tried 4 times"):
        RpcClient(node.url, options=FAST).call("eth_blockNumber")
    assert len(node.seen) == 4


def test_batches_of_reads_are_retried_too(node: FakeNode) -> None:
    node.script = ["503"]
    assert RpcClient(node.url, options=FAST).batch([("eth_blockNumber", [])] * 3) == ["0x10"] * 3
    assert len(node.seen) == 2


def test_a_read_gives_up_after_its_retries_with_one_sentence(node: FakeNode) -> None:
    node.script = ["503"] * 10
    with pytest.raises(ChainUnavailable) as info:
        RpcClient(node.url, options=FAST).call("eth_blockNumber")
    assert str(info.value) == f"The chain at {node.url} answered HTTP 503: busy, try later"
    assert len(node.seen) == FAST.retries + 1


def test_a_lost_write_the_node_has_is_not_sent_again(node: FakeNode) -> None:
    raw, tx_hash = _raw_tx()
    node.known.add(tx_hash)  # it arrived; only the reply was lost
    node.script = ["close"]
    assert RpcClient(node.url, options=FAST).call("eth_sendRawTransaction", [raw]) == tx_hash
    assert node.methods() == ["eth_sendRawTransaction", "eth_getTransactionByHash"]


def test_a_lost_write_the_node_lacks_is_sent_once_more_after_the_lookup(node: FakeNode) -> None:
    raw, tx_hash = _raw_tx()
    node.script = ["close"]
    assert RpcClient(node.url, options=FAST).call("eth_sendRawTransaction", [raw]) == tx_hash
    assert node.methods() == [
        "eth_sendRawTransaction",
        "eth_getTransactionByHash",
        "eth_sendRawTransaction",
    ]


def test_a_write_answered_503_is_looked_up_not_retried_blindly(node: FakeNode) -> None:
    raw, tx_hash = _raw_tx()
    node.known.add(tx_hash)
    node.script = ["503"]
    assert RpcClient(node.url, options=FAST).call("eth_sendRawTransaction", [raw]) == tx_hash
    assert node.methods() == ["eth_sendRawTransaction", "eth_getTransactionByHash"]


def test_a_lost_batch_of_writes_resends_only_what_the_node_lacks(node: FakeNode) -> None:
    (raw1, hash1), raw2 = _raw_tx(), _other_raw_tx()
    node.known.add(hash1)
    node.script = ["close"]
    calls = [("eth_sendRawTransaction", [raw1]), ("eth_sendRawTransaction", [raw2[0]])]
    assert RpcClient(node.url, options=FAST).batch(calls) == [hash1, raw2[1]]
    assert [batch for batch, _ in node.seen] == [
        ["eth_sendRawTransaction"] * 2,
        ["eth_getTransactionByHash"] * 2,
        ["eth_sendRawTransaction"],  # only the one the node did not have
    ]


def _other_raw_tx() -> tuple[str, str]:
    tx = {"nonce": 1, "gas": 21000, "gasPrice": 1, "to": "0x" + "22" * 20, "value": 1}
    signed = Account.sign_transaction({**tx, "chainId": 1337}, KEY)
    return "0x" + signed.raw_transaction.hex(), "0x" + signed.hash.hex()


def test_state_changing_node_methods_are_sent_once(node: FakeNode) -> None:
    node.script = ["503"]
    with pytest.raises(ChainUnavailable, match="HTTP 503"):
        RpcClient(node.url, options=FAST).call("evm_revert", ["0x1"])
    assert node.methods() == ["evm_revert"]


def test_an_unreachable_endpoint_is_one_sentence_naming_it() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    url = f"http://127.0.0.1:{port}/"
    with pytest.raises(ChainUnavailable) as info:
        RpcClient(url, options=FAST).call("eth_blockNumber")
    message = str(info.value)
    assert message.startswith(f"No chain is answering at {url} (tried 4 times).")
    assert "\n" not in message


def _write_config(root: Path, url: str, extra: str = "") -> None:
    (root / "govchain.toml").write_text(
        f'[networks.gateway]\nrpc_url = "{url}"\nchain_id = 8888\n{extra}'
    )


def test_headers_come_from_the_config_file(node: FakeNode, tmp_path: Path) -> None:
    _write_config(tmp_path, node.url, '[networks.gateway.rpc_headers]\nX-Api-Key = "k-file"\n')
    cfg = Config.load(root=tmp_path, network="gateway")
    RpcClient(cfg.rpc_url, options=cfg.rpc).call("eth_blockNumber")
    assert node.seen[0][1]["X-Api-Key"] == "k-file"


def test_headers_and_timeouts_come_from_the_environment(
    node: FakeNode, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_config(tmp_path, node.url, '[networks.gateway.rpc_headers]\nX-Api-Key = "k-file"\n')
    monkeypatch.setenv("GOVCHAIN_RPC_HEADERS", "X-Api-Key: k-env; X-Agency: customs")
    monkeypatch.setenv("GOVCHAIN_RPC_TIMEOUT", "7.5")
    monkeypatch.setenv("GOVCHAIN_RPC_RETRIES", "2")
    cfg = Config.load(root=tmp_path, network="gateway")
    assert (cfg.rpc.timeout, cfg.rpc.retries) == (7.5, 2)
    RpcClient(cfg.rpc_url, options=cfg.rpc).call("eth_blockNumber")
    headers = node.seen[0][1]
    assert (headers["X-Api-Key"], headers["X-Agency"]) == ("k-env", "customs")


@pytest.mark.parametrize(
    ("env", "value", "message"),
    [
        ("GOVCHAIN_RPC_HEADERS", "no colon here", "'Name: value' pairs"),
        ("GOVCHAIN_RPC_HEADERS", "Bad Name: x", "invalid name or value"),
        ("GOVCHAIN_RPC_TIMEOUT", "soon", "number of seconds"),
        ("GOVCHAIN_RPC_RETRIES", "99", "between 0 and 20"),
        ("GOVCHAIN_RPC_CA_BUNDLE", "/nonexistent/ca.pem", "does not exist"),
    ],
)
def test_bad_rpc_settings_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: str, value: str, message: str
) -> None:
    _write_config(tmp_path, "http://127.0.0.1:8545")
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError, match=message):
        Config.load(root=tmp_path, network="gateway")


def _certificates(tmp: Path) -> tuple[Path, Path, Path]:
    """A CA and a localhost certificate it signed (PEM files: CA, certificate, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "GovChain test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = tmp / "ca.pem", tmp / "server.pem", tmp / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def test_https_trusts_the_configured_ca_bundle(tmp_path: Path) -> None:
    pytest.importorskip("cryptography")
    ca, cert, key = _certificates(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    fake = FakeNode()
    server = _serve(fake, lambda s: context.wrap_socket(s, server_side=True))
    try:
        trusted = RpcOptions(ca_bundle=str(ca), retries=0)
        assert RpcClient(fake.url, options=trusted).call("eth_blockNumber") == "0x10"
        with pytest.raises(ChainUnavailable) as info:
            RpcClient(fake.url, options=RpcOptions(retries=0)).call("eth_blockNumber")
        assert str(info.value).startswith(f"The TLS connection to {fake.url} failed")
        assert "GOVCHAIN_RPC_CA_BUNDLE" in str(info.value)
    finally:
        server.shutdown()
        server.server_close()


def test_a_lost_sync_write_the_node_has_answers_its_receipt(node: FakeNode) -> None:
    raw, tx_hash = _raw_tx()
    node.known.add(tx_hash)
    node.script = ["close"]
    reply = RpcClient(node.url, options=FAST).call("eth_sendRawTransactionSync", [raw])
    assert reply["transactionHash"] == tx_hash
    assert node.methods() == [
        "eth_sendRawTransactionSync",
        "eth_getTransactionByHash",
        "eth_getTransactionReceipt",
    ]


def test_the_configured_timeout_applies(node: FakeNode, tmp_path: Path) -> None:
    _write_config(tmp_path, node.url, "rpc_timeout = 0.3\nrpc_retries = 1\n")
    cfg = Config.load(root=tmp_path, network="gateway")
    node.script = ["slow", "slow"]
    with pytest.raises(ChainUnavailable) as info:
        RpcClient(cfg.rpc_url, options=cfg.rpc).call("eth_blockNumber")
    assert (
        str(info.value) == f"The chain at {node.url} did not answer within 0.3 s (tried 2 times)."
    )
    assert len(node.seen) == 2  # a read is tried again after a timeout


def test_a_chain_on_this_machine_is_retried_once_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_config(tmp_path, "http://127.0.0.1:8545")
    (tmp_path / "govchain.toml").write_text(
        (tmp_path / "govchain.toml").read_text()
        + '[networks.remote]\nrpc_url = "https://rpc.example.gov.cn"\nchain_id = 8888\n'
    )
    assert Config.load(root=tmp_path, network="gateway").rpc.retries == 1
    assert Config.load(root=tmp_path, network="remote").rpc.retries == 4
    monkeypatch.setenv("GOVCHAIN_RPC_RETRIES", "0")
    assert Config.load(root=tmp_path, network="remote").rpc.retries == 0


def test_a_proxy_from_the_environment_is_used(
    node: FakeNode, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", node.url)  # the fake node plays the proxy
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("http_proxy", raising=False)
    assert RpcClient("http://rpc.gateway.invalid/", options=FAST).call("eth_blockNumber") == "0x10"
    assert node.methods() == ["eth_blockNumber"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    monkeypatch.setenv("HTTP_PROXY", dead)  # a proxy that is not there...
    monkeypatch.setenv("NO_PROXY", "localhost")  # ...and not used for the node's host
    assert RpcClient(node.url, options=FAST).call("eth_blockNumber") == "0x10"
