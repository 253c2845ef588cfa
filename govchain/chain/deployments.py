"""Address books: ``deployments/<network>.json``, one per network.

Each records the chain id and genesis hash, the deployer, the compiler version and settings, and per
contract its address, deployment transaction, block, constructor arguments, and hashes of its ABI,
creation bytecode and on-chain runtime code: everything needed to verify a deployment later.
Written atomically, and only after a deployment has completely succeeded.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from govchain.errors import DeploymentError, InputError
from govchain.files import write_atomic
from govchain.inputs import check_json_depth

FORMAT_VERSION = 1


@dataclass
class ContractRecord:
    address: str
    tx_hash: str
    block_number: int
    abi_hash: str
    bytecode_hash: str
    code_hash: str
    constructor_args: list[Any] = field(default_factory=list)


@dataclass
class AddressBook:
    network: str
    chain_id: int
    genesis_hash: str
    deployer: str
    compiler: dict[str, Any]
    contracts: dict[str, ContractRecord] = field(default_factory=dict)
    updated_at: str = ""
    format: int = FORMAT_VERSION
    #: Fingerprint of the deployment's platform secret (the secret itself is never here).
    secret_fingerprint: str = ""

    def address(self, name: str) -> str:
        record = self.contracts.get(name)
        if record is None:
            raise DeploymentError(
                f"{name} is not deployed on network '{self.network}': run `govchain deploy`."
            )
        return record.address

    def has(self, name: str) -> bool:
        return name in self.contracts

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["contracts"] = {k: asdict(v) for k, v in sorted(self.contracts.items())}
        return data

    @classmethod
    def from_json(cls, data: Any, source: str) -> AddressBook:
        try:
            contracts = {k: ContractRecord(**v) for k, v in data["contracts"].items()}
            return cls(
                network=str(data["network"]),
                chain_id=int(data["chain_id"]),
                genesis_hash=str(data["genesis_hash"]),
                deployer=str(data["deployer"]),
                compiler=dict(data["compiler"]),
                contracts=contracts,
                updated_at=str(data.get("updated_at", "")),
                format=int(data.get("format", FORMAT_VERSION)),
                secret_fingerprint=str(data.get("secret_fingerprint", "")),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise DeploymentError(
                f"{source} is not a GovChain address book (damaged or edited by hand); "
                "deploy again with `govchain deploy --redeploy`."
            ) from None

    @classmethod
    def load(cls, path: Path) -> AddressBook:
        try:
            text = path.read_text()
        except FileNotFoundError:
            raise DeploymentError(
                f"There is no address book at {path}: deploy first with `make up` or "
                "`govchain deploy` (or point --deployments / GOVCHAIN_DEPLOYMENTS at it)."
            ) from None
        except OSError as exc:
            raise DeploymentError(f"Cannot read {path}: {exc.strerror}.") from None
        try:
            check_json_depth(text, str(path))
            data = json.loads(text)
        except (ValueError, InputError):
            raise DeploymentError(f"{path} is not valid JSON (damaged address book).") from None
        return cls.from_json(data, str(path))

    def save(self, path: Path) -> None:
        """Write atomically: readers see the old book or the new one, never half of one."""
        text = json.dumps(self.to_json(), indent=2, sort_keys=True) + "\n"
        write_atomic(path, text, make_parents=True)
