"""Configuration: flags > ``GOVCHAIN_*`` environment variables > one config file > defaults.

The config file is ``govchain.toml`` in the project root (or the file ``GOVCHAIN_CONFIG`` names)::

    [project]
    data_dir = ".govchain"          # chain state, keystores, document store, indexes
    network = "local"               # the network used when --network is not given

    [networks.local]
    rpc_url = "http://127.0.0.1:8545"
    chain_id = 1337
    engine = "anvil"                # local node engine: anvil | ganache | poa

    [networks.consortium]
    rpc_url = "https://rpc.example.gov.cn"
    chain_id = 8888
    rpc_timeout = 30                # seconds to wait for a reply (default 60)
    rpc_connect_timeout = 5         # seconds to open a connection (default 10)
    rpc_retries = 4                 # further attempts of a read (default 4, 1 on this machine)
    rpc_ca_bundle = "certs/consortium-ca.pem"   # CAs trusted for https (default: the system's)
    [networks.consortium.rpc_headers]
    X-Api-Key = "..."               # sent with every request (better: GOVCHAIN_RPC_HEADERS)

Environment variables: ``GOVCHAIN_ROOT``, ``GOVCHAIN_CONFIG``, ``GOVCHAIN_DATA_DIR``,
``GOVCHAIN_NETWORK``, ``GOVCHAIN_RPC_URL``, ``GOVCHAIN_CHAIN_ID``, ``GOVCHAIN_KEYSTORE``,
``GOVCHAIN_DEPLOYMENTS``, ``GOVCHAIN_ENGINE``, ``GOVCHAIN_NODE_MODULES``, ``GOVCHAIN_RPC_TIMEOUT``,
``GOVCHAIN_RPC_CONNECT_TIMEOUT``, ``GOVCHAIN_RPC_RETRIES``, ``GOVCHAIN_RPC_CA_BUNDLE``,
``GOVCHAIN_RPC_HEADERS`` (``"Name: value"`` pairs separated by ``;`` or new lines; they are added
to, and override, the file's headers) and ``GOVCHAIN_INDEX_URL`` (where the event index lives:
``postgresql://user@host:port/database``, or ``index_url`` in ``[project]`` or a network's table;
default a SQLite file under the data directory).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from govchain.chain.rpc import RpcOptions
from govchain.errors import ConfigError, InputError
from govchain.inputs import read_text

CONFIG_FILENAME = "govchain.toml"
#: The local development chains `govchain node` runs: Anvil or Ganache (1337), and the
#: single-signer proof-of-authority chain of EthereumJS (1338, a chain id of its own so that
#: address books and signed transactions of the two never mix). Only these accept the public
#: development keys and demo-cast names.
LOCAL_CHAIN_ID = 1337
POA_CHAIN_ID = 1338
DEV_CHAIN_IDS = (LOCAL_CHAIN_ID, POA_CHAIN_ID)
DEFAULT_RPC_URL = "http://127.0.0.1:8545"
ENGINES = ("anvil", "ganache", "poa")
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
SQLITE_INDEX_SCHEME = "sqlite:///"
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # an HTTP header name


@dataclass(frozen=True)
class Config:
    """Everything GovChain needs to find its chain, keys, deployments and data."""

    root: Path
    data_dir: Path
    network: str
    rpc_url: str
    chain_id: int | None
    engine: str
    keystore_dir: Path
    deployments_file: Path
    node_modules: Path
    #: timeouts, retries, headers and CA bundle of the endpoint
    rpc: RpcOptions = field(default_factory=RpcOptions)
    #: where the event index lives: None = a SQLite file under data_dir; postgresql://…
    index_url: str | None = None

    @property
    def contracts_dir(self) -> Path:
        return self.root / "contracts"

    @property
    def is_local(self) -> bool:
        """True when the RPC URL points at this machine (the chain `govchain node` manages)."""
        return _is_local(self.rpc_url)

    @property
    def port(self) -> int:
        parsed = urlparse(self.rpc_url)
        return parsed.port or (443 if parsed.scheme == "https" else 80)

    @property
    def node_dir(self) -> Path:
        """The local chain's files (one directory per network: `local` and `poa` can both
        run)."""
        return self.data_dir / ("node" if self.network == "local" else f"node-{self.network}")

    @property
    def names_file(self) -> Path:
        """Off-chain display names of participants (the chain holds only their hashes)."""
        return self.data_dir / "names.json"

    def environment(self) -> dict[str, str]:
        """The ``GOVCHAIN_*`` variables that make a child process (``govchain …``) use this
        configuration's project, chain, data, keystore and address book."""
        env = {
            "GOVCHAIN_ROOT": str(self.root),
            "GOVCHAIN_RPC_URL": self.rpc_url,
            "GOVCHAIN_DATA_DIR": str(self.data_dir),
            "GOVCHAIN_KEYSTORE": str(self.keystore_dir),
            "GOVCHAIN_DEPLOYMENTS": str(self.deployments_file),
        }
        if self.index_url is not None:
            env["GOVCHAIN_INDEX_URL"] = self.index_url
        return env

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def load(
        cls,
        *,
        root: str | Path | None = None,
        network: str | None = None,
        rpc_url: str | None = None,
        chain_id: int | None = None,
        keystore: str | Path | None = None,
        deployments: str | Path | None = None,
        data_dir: str | Path | None = None,
        engine: str | None = None,
        config_file: str | Path | None = None,
    ) -> Config:
        """Resolve the configuration; arguments are the command-line flags (None = not given)."""
        env = os.environ
        project_root = Path(root or env.get("GOVCHAIN_ROOT") or find_project_root()).resolve()
        file_path = Path(
            config_file or env.get("GOVCHAIN_CONFIG") or project_root / CONFIG_FILENAME
        )
        settings = _read_config_file(file_path, required=bool(config_file))
        project = _table(settings, "project", file_path)

        net_name = network or env.get("GOVCHAIN_NETWORK") or project.get("network") or "local"
        networks = _table(settings, "networks", file_path)
        net = networks.get(net_name)
        if net is None:
            if net_name != "local" and not (rpc_url or env.get("GOVCHAIN_RPC_URL")):
                known = ", ".join(sorted(networks)) or "none"
                raise ConfigError(
                    f"Network '{net_name}' is not defined in {file_path} (defined: {known})."
                )
            net = {}
        if not isinstance(net, dict):
            raise ConfigError(f"[networks.{net_name}] in {file_path} must be a table.")

        url = rpc_url or env.get("GOVCHAIN_RPC_URL") or net.get("rpc_url") or DEFAULT_RPC_URL
        _check_url(url)
        eng = (engine or env.get("GOVCHAIN_ENGINE") or net.get("engine") or "anvil").lower()
        if eng not in ENGINES:
            raise ConfigError(f"Unknown node engine '{eng}': use one of {', '.join(ENGINES)}.")
        cid_raw = chain_id or env.get("GOVCHAIN_CHAIN_ID") or net.get("chain_id")
        if cid_raw is None and net_name == "local":
            cid_raw = engine_chain_id(eng)
        cid = _as_int(cid_raw, "chain id") if cid_raw is not None else None

        data = _resolve(
            project_root, data_dir or env.get("GOVCHAIN_DATA_DIR") or project.get("data_dir")
        )
        data = data or project_root / ".govchain"
        ks = _resolve(project_root, keystore or env.get("GOVCHAIN_KEYSTORE")) or data / "keystore"
        book = _resolve(project_root, deployments or env.get("GOVCHAIN_DEPLOYMENTS"))
        book = book or project_root / "deployments" / f"{net_name}.json"
        modules = _resolve(project_root, env.get("GOVCHAIN_NODE_MODULES"))
        rpc = _rpc_options(
            project_root, net, env, f"[networks.{net_name}] in {file_path}", _is_local(url)
        )
        index_url = env.get("GOVCHAIN_INDEX_URL") or net.get("index_url")
        index_url = index_url or project.get("index_url")
        return cls(
            root=project_root,
            data_dir=data,
            network=net_name,
            rpc_url=url,
            chain_id=cid,
            engine=eng,
            keystore_dir=ks,
            deployments_file=book,
            node_modules=modules or project_root / "node_modules",
            rpc=rpc,
            index_url=check_index_url(str(index_url)) if index_url else None,
        )


def engine_chain_id(engine: str) -> int:
    """The chain id of the local chain ``engine`` runs."""
    return POA_CHAIN_ID if engine == "poa" else LOCAL_CHAIN_ID


def is_dev_chain(chain_id: int) -> bool:
    """True for the local development chains, where the public development keys may sign."""
    return chain_id in DEV_CHAIN_IDS


def is_postgres_url(url: str) -> bool:
    return url.startswith(POSTGRES_SCHEMES)


def check_index_url(url: str) -> str:
    """``url`` if it names a database an event index can live in; a one-line ConfigError if
    not."""
    if is_postgres_url(url) or (
        url.startswith(SQLITE_INDEX_SCHEME) and len(url) > len(SQLITE_INDEX_SCHEME)
    ):
        return url
    raise ConfigError(
        f"Index URL {url[:60]!r} is not understood: use postgresql://user@host:port/database "
        "or sqlite:///path/to/index.sqlite3 (default: a SQLite file under the data directory)."
    )


def find_project_root(start: Path | None = None) -> Path:
    """The nearest ancestor of ``start`` (default: cwd) holding govchain.toml; else the checkout
    this package runs from (an editable install), so `.venv/bin/govchain` works from any
    directory; else ``start``."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / CONFIG_FILENAME).is_file():
            return candidate
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / CONFIG_FILENAME).is_file():
        return checkout
    return here


def _read_config_file(path: Path, *, required: bool) -> dict[str, Any]:
    if not path.is_file():
        if required:
            raise ConfigError(f"Config file {path} does not exist.")
        return {}
    try:
        text = read_text(path, "Config file", max_bytes=1024 * 1024)
    except InputError as exc:
        raise ConfigError(exc.message) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}.") from None


def _table(settings: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = settings.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[{key}] in {path} must be a table.")
    return value


def _resolve(root: Path, value: str | Path | None) -> Path | None:
    if value in (None, ""):
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else root / path


def _as_int(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"The {what} must be a whole number, not '{value}'.") from None


def _check_url(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ConfigError(f"RPC URL '{url}' is not an http(s) URL such as {DEFAULT_RPC_URL}.")


def _is_local(url: str) -> bool:
    return (urlparse(url).hostname or "") in ("127.0.0.1", "localhost", "::1")


#: Retries of a read on this machine's chain: a refused connection there means it is not running,
#: which `govchain` should say at once rather than after the backoff meant for a remote gateway.
LOCAL_RETRIES = 1


def _rpc_options(
    root: Path, net: dict[str, Any], env: Mapping[str, str], where: str, local: bool = False
) -> RpcOptions:
    """The endpoint's timeouts, retries, headers and CA bundle: environment over config file."""
    default = RpcOptions(retries=LOCAL_RETRIES) if local else RpcOptions()

    def number(key: str, fallback: float) -> float:
        raw = env.get(f"GOVCHAIN_{key.upper()}") or net.get(key)
        if raw is None or raw == "":
            return fallback
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{key} must be a number of seconds, not '{raw}'.") from None
        if not 0 < value <= 3600:
            raise ConfigError(f"{key} must be between 0 and 3600 seconds, not {raw}.")
        return value

    retries_raw = env.get("GOVCHAIN_RPC_RETRIES") or net.get("rpc_retries")
    retries = default.retries if retries_raw in (None, "") else _as_int(retries_raw, "rpc_retries")
    if not 0 <= retries <= 20:
        raise ConfigError(f"rpc_retries must be between 0 and 20, not {retries}.")

    headers: dict[str, str] = {}
    table = net.get("rpc_headers", {})
    if not isinstance(table, dict):
        raise ConfigError(f"rpc_headers of {where} must be a table of header names and values.")
    headers.update({str(k): str(v) for k, v in table.items()})
    for item in re.split(r"[;\n]", env.get("GOVCHAIN_RPC_HEADERS", "")):
        if not item.strip():
            continue
        name, sep, value = item.partition(":")
        if not sep:
            raise ConfigError(
                "GOVCHAIN_RPC_HEADERS holds 'Name: value' pairs separated by ';', "
                f"not '{name.strip()[:40]}'."
            )
        headers[name.strip()] = value.strip()
    for name, value in headers.items():
        if not _TOKEN.match(name) or any(c in value for c in "\r\n\0"):
            raise ConfigError(f"The RPC header '{name[:40]}' has an invalid name or value.")

    bundle = _resolve(root, env.get("GOVCHAIN_RPC_CA_BUNDLE") or net.get("rpc_ca_bundle"))
    if bundle is not None and not bundle.is_file():
        raise ConfigError(f"The RPC CA bundle {bundle} does not exist.")
    return RpcOptions(
        timeout=number("rpc_timeout", default.timeout),
        connect_timeout=number("rpc_connect_timeout", default.connect_timeout),
        retries=retries,
        headers=tuple(headers.items()),
        ca_bundle=str(bundle) if bundle else None,
    )
