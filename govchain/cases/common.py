"""What the case modules share: hashing identifiers, finding authorities' keys, event trails."""

from __future__ import annotations

from collections.abc import Iterable

from eth_utils import keccak

from govchain.chain.abi import Event
from govchain.chain.contracts import Contract
from govchain.chain.roles import role_id
from govchain.framework.directory import Directory


def id_hash(text: str) -> bytes:
    """The on-chain key of a business identifier (waybill, declaration number): its keccak256."""
    return keccak(text=text.strip().upper())


def holders(directory: Directory, role_names: Iterable[str]) -> list[str]:
    """Active participants holding any of ``role_names`` (one batch request)."""
    wanted = {role_id(n) for n in role_names}
    held = directory.roles_by_participant(active_only=True)
    return [address for address, roles in held.items() if wanted & roles]


def encryption_keys(directory: Directory, accounts: Iterable[str]) -> dict[str, bytes]:
    """Registered public keys of ``accounts`` (those without one are left out)."""
    unique = list(dict.fromkeys(accounts))
    keys = directory.contract.call_many([("encryptionKey", (a,)) for a in unique])
    return {a: bytes(k) for a, k in zip(unique, keys, strict=True) if k}


def trail(contract: Contract, topic_value: bytes, events: Iterable[str]) -> list[Event]:
    """Events whose first indexed argument is ``topic_value``, in chain order."""
    out: list[Event] = []
    for name in events:
        out += contract.logs(name, topics=["0x" + topic_value.hex()])
    return sorted(out, key=lambda e: (e.block_number, e.log_index))
