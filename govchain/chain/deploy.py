"""Deployment: the plan of contracts, and an idempotent, verifiable deploy.

Run twice, the second run sends no transaction. If the chain was reset (no code at a recorded
address) or a contract's compiled code changed, :func:`deploy` says so and redeploys only when
asked (``redeploy=True``); a contract never deployed before (newly added to the plan) is deployed
without asking. The address book is written only after everything succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from govchain.chain import artifacts, compiler
from govchain.chain.chain import Chain
from govchain.chain.deployments import AddressBook, ContractRecord
from govchain.chain.tx import Sender, TxRequest
from govchain.errors import DeploymentError
from govchain.hashing import keccak


@dataclass
class DeployContext:
    deployer: str
    addresses: dict[str, str]
    admin_name: str
    admin_district: int
    chain_id: int = 0


#: The core contract: participant directory + certificate store, one address.
CORE = "GovChainCore"
#: The administrator the core is deployed for, unless the deployment names another.
BUREAU_NAME = "Beijing Municipal Government Service Bureau"
MUNICIPALITY = 110000


@dataclass(frozen=True)
class Deployable:
    """One contract of the plan: its constructor arguments and what it depends on."""

    name: str
    args: Callable[[DeployContext], list[Any]]
    depends: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContractState:
    name: str
    status: str  # ok | missing | gone | changed | foreign
    detail: str = ""


@dataclass
class DeployResult:
    book: AddressBook
    deployed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    book_changed: bool = False  # the book must be saved though nothing was deployed

    @property
    def changed(self) -> bool:
        return bool(self.deployed) or self.book_changed


def inspect(chain: Chain, book: AddressBook | None, plan: list[Deployable]) -> list[ContractState]:
    """Compare the plan with the address book and the chain, without sending anything.

    A reset is recognised by the code at each recorded address (missing or different), not by the
    genesis hash: Anvil's state reload can change its genesis block while keeping every contract.
    """
    if book is None:
        return [ContractState(d.name, "missing") for d in plan]
    if book.chain_id != chain.chain_id:
        raise DeploymentError(
            f"The address book for '{book.network}' is for chain id {book.chain_id}, but the "
            f"chain at {chain.url} has id {chain.chain_id}: check --network / --rpc-url."
        )
    states = []
    for item in plan:
        record = book.contracts.get(item.name)
        if record is None:
            states.append(ContractState(item.name, "missing"))
            continue
        code = chain.get_code(record.address)
        if not code:
            detail = f"no contract at {record.address}: the chain was reset"
            states.append(ContractState(item.name, "gone", detail))
        elif "0x" + keccak(code).hex() != record.code_hash:
            states.append(ContractState(item.name, "foreign", f"other code at {record.address}"))
        elif artifacts.load(item.name).bytecode_hash != record.bytecode_hash:
            states.append(ContractState(item.name, "changed", "the compiled code changed"))
        else:
            states.append(ContractState(item.name, "ok"))
    return states


def deploy(
    chain: Chain,
    sender: Sender,
    *,
    network: str,
    book: AddressBook | None,
    redeploy: bool = False,
    admin_name: str = "",
    admin_district: int = 0,
    plan: list[Deployable],
) -> DeployResult:
    """Deploy what ``plan`` needs; returns the (possibly unchanged) address book."""
    steps = plan
    states = {s.name: s for s in inspect(chain, book, steps)}
    stale = [s for s in states.values() if s.status in ("gone", "changed", "foreign")]
    if stale and not redeploy:
        reasons = "; ".join(f"{s.name}: {s.detail}" for s in stale)
        raise DeploymentError(
            f"The deployment on '{network}' is out of date ({reasons}). Nothing was sent. "
            "Run `govchain deploy --redeploy` to deploy fresh contracts."
        )
    todo = {s.name for s in states.values() if s.status != "ok"}
    for item in steps:  # a redeployed contract takes its dependents with it
        if any(dep in todo for dep in item.depends):
            todo.add(item.name)
    reset = any(s.status == "gone" for s in stale)
    keep = book if book is not None and not reset else None
    result = DeployResult(book=keep or _new_book(chain, network, sender.address))
    if not todo:
        result.unchanged = [d.name for d in steps]
        genesis = chain.genesis_hash()
        if result.book.genesis_hash != genesis:  # same contracts, another genesis block (a
            result.book.genesis_hash = genesis  # state reload, another engine): record it
            result.book_changed = True
        return result
    if keep is None and book is not None:
        result.notices.append(f"The chain behind '{network}' was reset: deploying fresh contracts.")
    new_book = _new_book(chain, network, sender.address)
    if keep is not None:
        planned = {d.name for d in steps}
        new_book.contracts = {
            k: v for k, v in keep.contracts.items() if k in planned and k not in todo
        }
    ctx = DeployContext(
        deployer=sender.address,
        addresses={k: v.address for k, v in new_book.contracts.items()},
        admin_name=admin_name or BUREAU_NAME,
        admin_district=admin_district or MUNICIPALITY,
        chain_id=chain.chain_id,
    )
    for wave in deploy_waves([item for item in steps if item.name in todo]):
        for item, record in zip(wave, _deploy_wave(chain, sender, wave, ctx), strict=True):
            new_book.contracts[item.name] = record
            ctx.addresses[item.name] = record.address
    result.deployed = [item.name for item in steps if item.name in todo]
    result.unchanged = [item.name for item in steps if item.name not in todo]
    new_book.updated_at = datetime.now(UTC).isoformat(timespec="seconds")
    result.book = new_book
    return result


def deploy_waves(items: list[Deployable]) -> list[list[Deployable]]:
    """``items`` in waves: each contract in the first wave after every contract it depends on
    (a contract outside ``items`` is deployed already)."""
    waves: list[list[Deployable]] = []
    left = list(items)
    while left:
        waiting = {item.name for item in left}
        wave = [item for item in left if not waiting.intersection(item.depends)]
        if not wave:
            names = ", ".join(sorted(waiting))
            raise DeploymentError(f"The deployment plan has a dependency cycle among {names}.")
        waves.append(wave)
        left = [item for item in left if item not in wave]
    return waves


def _deploy_wave(
    chain: Chain, sender: Sender, wave: list[Deployable], ctx: DeployContext
) -> list[ContractRecord]:
    """Deploy a wave of independent contracts in one batch (one block or a few on a real chain,
    not one block a contract)."""
    reqs, arguments = [], []
    for item in wave:
        art = artifacts.load(item.name)
        if not art.bytecode:
            raise DeploymentError(
                f"{item.name} is abstract or an interface and cannot be deployed."
            )
        args = item.args(ctx)
        arguments.append(args)
        data = art.interface.encode_deploy(art.bytecode, args)
        reqs.append(TxRequest(None, data, context=f"deploy {item.name}"))
    records = []
    for item, args, receipt in zip(wave, arguments, sender.send_many(reqs), strict=True):
        if receipt.contract_address is None:
            raise DeploymentError(f"Deploying {item.name} produced no contract address.")
        art = artifacts.load(item.name)
        code = chain.get_code(receipt.contract_address)
        records.append(
            ContractRecord(
                address=receipt.contract_address,
                tx_hash=receipt.tx_hash,
                block_number=receipt.block_number,
                abi_hash=art.abi_hash,
                bytecode_hash=art.bytecode_hash,
                code_hash="0x" + keccak(code).hex(),
                constructor_args=[_jsonable(a) for a in args],
            )
        )
    return records


def _new_book(chain: Chain, network: str, deployer: str) -> AddressBook:
    info = artifacts.build_info()
    return AddressBook(
        network=network,
        chain_id=chain.chain_id,
        genesis_hash=chain.genesis_hash(),
        deployer=deployer,
        compiler={
            "version": info.get("compiler", ""),
            "settings": info.get("settings", compiler.settings()),
            "sources_fingerprint": info.get("fingerprint", ""),
        },
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
