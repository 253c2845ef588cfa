"""EIP-712 typed data as GovChain's contracts define it (OpenZeppelin's EIP712 with name and
version): one builder for every signed message — a data subject's consent, an enterprise's
licence presentation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

DOMAIN = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]


def typed_data(
    name: str,
    chain_id: int,
    contract: str,
    primary: str,
    fields: Sequence[tuple[str, str]],
    message: Mapping[str, Any],
    version: str = "1",
) -> dict[str, Any]:
    """The full EIP-712 message ``primary(fields…)`` for the contract's domain."""
    return {
        "types": {
            "EIP712Domain": DOMAIN,
            primary: [{"name": n, "type": t} for n, t in fields],
        },
        "primaryType": primary,
        "domain": {
            "name": name,
            "version": version,
            "chainId": chain_id,
            "verifyingContract": contract,
        },
        "message": dict(message),
    }


def sign_typed(account: LocalAccount, typed: Mapping[str, Any]) -> bytes:
    """``account``'s signature over the typed message."""
    from eth_account.messages import encode_typed_data  # signing code only when signing

    return bytes(account.sign_message(encode_typed_data(full_message=dict(typed))).signature)
