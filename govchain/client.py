"""The SDK entry point: a chain, its address book, and the contracts and services on it.

from govchain.client import GovChain
gc = GovChain.connect()                      # configuration as the CLI resolves it
clerk = gc.signer("customs-clerk-1", password="...")
gc.directory.get(clerk.address)
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from govchain.chain import labels
from govchain.chain.accounts import Keystore
from govchain.chain.chain import Chain
from govchain.chain.contracts import Contract
from govchain.chain.deploy import CORE
from govchain.chain.deployments import AddressBook
from govchain.chain.signers import LocalResolver, PasswordProvider, env_password, resolve_account
from govchain.chain.tx import Sender
from govchain.config import Config, is_dev_chain
from govchain.errors import DeploymentError, InputError
from govchain.files import private_dir
from govchain.framework.directory import Directory, parse_address
from govchain.hashing import is_hex_address, to_checksum_address

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

if TYPE_CHECKING:
    from web3 import Web3
    from web3.contract import Contract as Web3Contract

    from govchain.framework.casebase.client import CaseClient
    from govchain.framework.casebase.hubstats import ServiceHubs
    from govchain.framework.certificates.service import Certificates
    from govchain.framework.docstore import DocumentVault
    from govchain.framework.governance.client import Committee
    from govchain.framework.index import EventIndex
    from govchain.framework.journal import Journal
    from govchain.framework.sharing.client import DataSharingClient
    from govchain.framework.sharing.exchange import DataExchange


class GovChain:
    """One network: chain connection, address book, contract services."""

    def __init__(self, config: Config, chain: Chain, book: AddressBook) -> None:
        self.config = config
        self.chain = chain
        self.book = book
        private_dir(config.data_dir)  # 0700: chain state, keys, documents, indexes
        # every process writing from one account takes nonces under one lock
        chain.lock_dir = private_dir(config.data_dir / "locks")
        self._cases: dict[str, CaseClient] = {}
        self._cases_lock = threading.Lock()
        labels.load_file(config.names_file)

    @classmethod
    def connect(cls, config: Config | None = None, *, verify: bool = True) -> GovChain:
        """Connect using ``config`` (default: flags-free resolution, as the CLI does).

        With ``verify``, checks that the address book belongs to this chain (same chain id, the
        directory's code present), so a reset chain is reported before any transaction.
        """
        cfg = config or Config.load()
        chain = Chain.from_config(cfg)
        book = AddressBook.load(cfg.deployments_file)
        if book.chain_id != chain.chain_id:
            raise DeploymentError(
                f"{cfg.deployments_file} is for chain id {book.chain_id}, but the chain at "
                f"{cfg.rpc_url} has id {chain.chain_id}."
            )
        if verify and not chain.get_code(book.address(CORE)):
            raise DeploymentError(
                f"{cfg.deployments_file} does not match the chain at {cfg.rpc_url} (no directory "
                "contract there: was the chain reset?). Run `make up` or `govchain deploy "
                "--redeploy`."
            )
        return cls(cfg, chain, book)

    def contract(self, name: str) -> Contract:
        return Contract(self.chain, name, self.book.address(name))

    # -- web3.py interoperability ------------------------------------------------------------
    @cached_property
    def web3(self) -> Web3:
        """A ``web3.Web3`` on the same endpoint (same timeouts, headers, CA bundle), its chain
        id checked against the address book's."""
        from govchain.chain.web3interop import connect_web3

        return connect_web3(self.config.rpc_url, self.config.rpc, self.book.chain_id)

    def web3_contract(self, name: str) -> Web3Contract:
        """Contract ``name`` as a web3.py contract object (ABI and address from the book)."""
        from eth_typing import ChecksumAddress

        from govchain.chain import artifacts

        address = cast(ChecksumAddress, to_checksum_address(self.book.address(name)))
        return self.web3.eth.contract(address=address, abi=artifacts.load(name).abi)

    @contextmanager
    def errors(self, where: Any = "") -> Iterator[None]:
        """``with gc.errors(fn): fn.transact()`` turns a revert web3.py reports into GovChain's
        typed exception and sentence. ``where`` is a web3 contract function (its contract is
        found in the address book) or "Contract.function"."""
        from govchain.chain.web3interop import decoded

        context = where if isinstance(where, str) else self._web3_context(where)
        with decoded(context):
            yield

    def _web3_context(self, fn: Any) -> str:
        address = str(getattr(fn, "address", "")).lower()
        names = [n for n, rec in self.book.contracts.items() if rec.address.lower() == address]
        name = getattr(fn, "fn_name", "") or ""
        return f"{names[0]}.{name}" if names else ""

    @cached_property
    def journal(self) -> Journal:
        """The write-ahead journal of multi-step writes on this chain."""
        from govchain.framework.journal import Journal

        return Journal(self.config.data_dir, self.chain.chain_id)

    def recover(self) -> list[str]:
        """Settle writes a crash or Ctrl-C interrupted (finish what reached the chain, undo the
        rest); one sentence per write. Nothing to do is the usual case and costs one stat."""
        if not self.journal.entries():
            return []
        from govchain.framework import journal
        from govchain.framework.casebase import batches  # noqa: F401 - registers its settler
        from govchain.framework.certificates import batchfiles  # noqa: F401 - same

        return journal.recover(self.journal, self.chain)

    @cached_property
    def directory(self) -> Directory:
        return Directory(
            self.contract(CORE),
            lambda: self.certificates.store.types(refresh=True),
            resolve=self.address,
        )

    @cached_property
    def certificates(self) -> Certificates:
        """Electronic certificates (OpenAttestation v2) on the core's certificate store."""
        from govchain.framework.certificates.registry import CertificateStore
        from govchain.framework.certificates.service import Certificates

        store = CertificateStore(self.contract(CORE), _custom_type_names(self.config))
        return Certificates(store, self.chain.chain_id, self._secret)

    @cached_property
    def governance(self) -> Committee:
        """The governance committee: its seats, timelock and governor."""
        from govchain.framework.governance.client import Committee
        from govchain.framework.governance.settings import GOVERNOR, SEATS, TIMELOCK

        missing = [n for n in (GOVERNOR, SEATS, TIMELOCK) if n not in self.book.contracts]
        if missing:
            raise DeploymentError(
                f"This deployment has no governance committee ({', '.join(missing)} missing): "
                "run `govchain deploy`."
            )
        contracts = {name: self.contract(name) for name in self.book.contracts}
        return Committee(
            contracts[GOVERNOR],
            contracts[SEATS],
            contracts[TIMELOCK],
            self.directory,
            contracts,
            self.index,
        )

    @cached_property
    def sharing(self) -> DataSharingClient:
        """The data-sharing catalogue, requests, grants and delivery log."""
        from govchain.framework.sharing.client import DataSharingClient

        return DataSharingClient(self.contract("DataSharing"), self.index)

    @cached_property
    def exchange(self) -> DataExchange:
        """Encrypted delivery and fetching of data under grants (document store under the data
        directory)."""
        from govchain.framework.sharing.exchange import DataExchange

        return DataExchange(self.sharing, self.directory, self.vault)

    @cached_property
    def vault(self) -> DocumentVault:
        """The encrypted document store under the data directory."""
        from govchain.framework.docstore import DocumentVault, LocalDocumentStore

        return DocumentVault(LocalDocumentStore(self.config.data_dir / "documents"))

    @cached_property
    def services(self) -> ServiceHubs:
        """The district service hubs together: ``gc.services.stats()``."""
        from govchain.framework.casebase.hubstats import ServiceHubs

        return ServiceHubs(self)

    @cached_property
    def index(self) -> EventIndex:
        """The event index of every contract in the address book: a SQLite file under the data
        directory, or the PostgreSQL database ``Config.index_url`` names."""
        from govchain.framework.index import EventIndex, open_store

        contracts = {name: rec.address for name, rec in self.book.contracts.items()}
        start = min((rec.block_number for rec in self.book.contracts.values()), default=0)
        name = f"{self.config.network}-{self.chain.chain_id}"
        store = open_store(
            self.config.index_url,
            path=self.config.data_dir / "index" / f"{name}.sqlite3",
            namespace=name,
        )
        return EventIndex(self.chain, contracts, store, start_block=start)

    def _secret(self) -> bytes:
        """The deployment's platform secret (checked against the address book's fingerprint)."""
        from govchain.framework.identity import load_secret

        return load_secret(self.config.data_dir, self.config.network, self.book.secret_fingerprint)

    def case(self, name: str) -> CaseClient:
        """The SDK client of case ``name`` (``gc.case("port")``, also ``gc.port``)."""
        with self._cases_lock:
            client = self._cases.get(name)
            if client is None:
                client = self._cases[name] = self._make_case(name)
            return client

    def _make_case(self, name: str) -> CaseClient:
        from govchain.framework.casebase import registry
        from govchain.framework.casebase.client import CaseClient

        spec = registry.get(name)
        cls = registry.load(spec.client) if spec.client else CaseClient
        client: CaseClient = cls(
            spec,
            self.contract(spec.contract),
            directory=self.directory,
            vault=self.vault,
            index=self.index,
            secret=self._secret,
            data_dir=self.config.data_dir,
            exchange=lambda: self.exchange,
            certificates=lambda: self.certificates,
        )
        return client

    def __getattr__(self, name: str) -> CaseClient:
        """A registered case by name: ``gc.port``, ``gc.logistics``."""
        if name.startswith("_"):
            raise AttributeError(name)
        from govchain.framework.casebase import registry

        if name not in {c.name for c in registry.cases()}:
            raise AttributeError(f"GovChain has no attribute or case '{name}'")
        return self.case(name)

    def address(self, text: str) -> str:
        """An address as typed: ``0x…``, a keystore label, or on the local chain a demo-cast
        name (``customs-beijing``) — what the CLI accepts."""
        return resolve_address(self.config, text, local=is_dev_chain(self.chain.chain_id))

    def sender(self, account: LocalAccount) -> Sender:
        return self.chain.sender(account)

    def signer(
        self, who: str, *, password: str | None = None, ask: PasswordProvider | None = None
    ) -> Sender:
        """The sender for account ``who`` (keystore label/address, or a demo key locally)."""
        provider = ask or ((lambda _e: password) if password is not None else env_password)
        chain_id = self.chain.chain_id
        return self.sender(
            resolve_account(self.config, chain_id, who, provider, local_resolver(chain_id))
        )


def resolve_address(config: Config, text: str, *, local: bool) -> str:
    """An address, or a keystore label or (``local``: the local chain) demo-cast name standing
    for one."""
    value = text.strip()
    if value.lower().startswith("0x") or is_hex_address(value):
        return parse_address(value)
    entry = Keystore(config.keystore_dir).find(value)
    if entry is not None:
        return entry.address
    if local:
        from govchain.devnet.cast import member

        found = member(value)
        if found is not None:
            return found.address
    raise InputError(
        f"'{text}' is not an address (0x followed by 40 hex digits) or a known account name."
    )


def local_resolver(chain_id: int) -> LocalResolver | None:
    """Demo-cast names and development keys sign on the local chain only: elsewhere the code that
    knows them is not even imported."""
    if not is_dev_chain(chain_id):
        return None
    from govchain.devnet.cast import local_account

    return local_account


def _custom_type_names(config: Config) -> list[str]:
    """Certificate type names defined on this installation beyond the catalogue."""
    try:
        names = json.loads((config.data_dir / "certificate-types.json").read_text())
    except (OSError, ValueError):
        return []
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
