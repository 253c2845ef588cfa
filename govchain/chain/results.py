"""What a node answers to a transaction: its receipt, or the GovChain error its refusal means."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govchain.chain import reverts
from govchain.chain.rpc import RpcError
from govchain.errors import ContractRevert, GovChainError, TransactionError
from govchain.hashing import to_checksum_address


@dataclass(frozen=True)
class Receipt:
    """A mined transaction's receipt (status already checked by the sender)."""

    tx_hash: str
    block_number: int
    gas_used: int
    status: int
    contract_address: str | None
    effective_gas_price: int
    logs: list[dict[str, Any]] = field(repr=False)

    @classmethod
    def from_rpc(cls, raw: dict[str, Any]) -> Receipt:
        created = raw.get("contractAddress")
        return cls(
            tx_hash=raw["transactionHash"],
            block_number=int(raw["blockNumber"], 16),
            gas_used=int(raw["gasUsed"], 16),
            status=int(raw.get("status") or "0x1", 16),
            contract_address=to_checksum_address(created) if created else None,
            effective_gas_price=int(raw.get("effectiveGasPrice") or "0x0", 16),
            logs=list(raw.get("logs") or []),
        )


def as_error(exc: RpcError, context: str = "") -> GovChainError:
    """A node error on call/estimate/send, as the GovChain exception it means."""
    data = reverts.revert_data(exc)
    if data:
        return reverts.decode(data, context=context)
    message = exc.message.lower()
    if "revert" in message:
        where = f" ({context})" if context else ""
        return ContractRevert(f"The contract refused the call{where} without giving a reason.")
    if "insufficient funds" in message:
        return TransactionError(
            "The sending account has too little ether to pay for gas; fund it first."
        )
    return TransactionError(f"The node refused the request: {exc.message}")
