"""What the estate case adds to the generic client: owners' and buyers' signatures of a sale's
terms (EIP-712), the terms of an applied sale filled in for its later steps, and the title of a
unit — who owns it, since when, with which encumbrances — with its ownership history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from govchain.cases.estate.spec import accounts, shares
from govchain.chain.abicodec import encode
from govchain.chain.tx import Sender
from govchain.framework.casebase.client import CaseClient, ItemNotFound, Prepared, Target
from govchain.framework.casebase.values import show_time
from govchain.hashing import keccak

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

_TERMS = ("accept_sale", "complete_sale")


@dataclass(frozen=True)
class Title:
    """Who owns a unit, in which shares, since when, and what encumbers it."""

    unit: str
    owners: list[str]
    shares: list[int]  # basis points
    since: int
    mortgage: dict[str, Any] | None
    seizures: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "since": show_time(self.since)}


class EstateClient(CaseClient):
    """Case 6's client: the generic verbs plus signatures, titles and ownership history."""

    def sale_number(self, unit: Target, *, pending: bool) -> int:
        """The number of the unit's sale a signature is for: the applied one (``pending``) or
        the next one."""
        return int(self.get(unit, "unit").fields["sale"]) + (0 if pending else 1)

    def sign(
        self, signer: LocalAccount, unit: Target, buyers: Any, shares_: Any, *, pending: bool
    ) -> bytes:
        """An owner's (or, for ``pending``, a buyer's) EIP-712 signature of a sale's terms."""
        typed = {
            "types": {
                "EIP712Domain": [
                    {"name": "name", "type": "string"},
                    {"name": "version", "type": "string"},
                    {"name": "chainId", "type": "uint256"},
                    {"name": "verifyingContract", "type": "address"},
                ],
                "Transfer": [
                    {"name": "unit", "type": "bytes32"},
                    {"name": "sale", "type": "uint32"},
                    {"name": "buyers", "type": "bytes32"},
                ],
            },
            "primaryType": "Transfer",
            "domain": {
                "name": "GovChain RealEstate",
                "version": "1",
                "chainId": self.contract.chain.chain_id,
                "verifyingContract": self.contract.address,
            },
            "message": {
                "unit": self.resolve(unit, "unit"),
                "sale": self.sale_number(unit, pending=pending),
                "buyers": _terms(accounts(buyers), shares(shares_)),
            },
        }
        from eth_account.messages import encode_typed_data

        return bytes(signer.sign_message(encode_typed_data(full_message=typed)).signature)

    def terms(self, unit: Target) -> tuple[list[str], list[int]]:
        """The buyers and shares of the unit's sale as applied (from the index)."""
        sale = self.resolve(unit, "sale")
        for e in reversed(self.index.events(self.spec.contract, ["SaleApplied"], first=sale)):
            return list(e["buyers"]), [int(s) for s in e["shares"]]
        raise ItemNotFound(f"No sale of {unit!s} was applied.")

    def prepare(
        self,
        verb: str | int,
        sender: Sender,
        target: Target,
        *args: Any,
        filer: str | None = None,
        **kw: Any,
    ) -> Prepared:
        """The generic transition; accepting and completing a sale take its applied terms
        unless given."""
        if self.spec.method_of(self.spec.verb(verb)) in _TERMS and "buyers" not in kw and not args:
            kw["buyers"], kw["shares"] = self.terms(target)
        return super().prepare(verb, sender, target, *args, filer=filer, **kw)

    def title(self, unit: Target) -> Title:
        """Who owns the unit, in which shares, since when; its mortgage and live seizures; its
        ownership history (from the index, in chain order)."""
        record = self.get(unit, "unit")
        f = record.fields
        mortgage = None
        if f["mortgage"] != bytes(32):
            m = self.records([f["mortgage"]])[0]
            mortgage = {"id": "0x" + m.id.hex(), "bank": m.fields["bank"], "amount": m.amount,
                        "state": m.state, "since": m.updated_at.isoformat()}  # fmt: skip
        frozen = self.index.items(self.spec.contract, kind=3, state=1, key=record.id)
        seizures = [{"court": r.filer, "id": "0x" + r.id.hex()} for r in frozen]
        history = [
            {"block": e.block_number, "owners": list(e["owners"]),
             "shares": [int(s) for s in e["shares"]], "sale": "0x" + bytes(e["sale"]).hex()}
            for e in self.index.events(self.spec.contract, ["OwnersRecorded"], first=record.id)
        ]  # fmt: skip
        return Title(str(unit), f["owners"], f["shares"], f["since"], mortgage, seizures, history)


def _terms(buyers: list[str], shares_: list[int]) -> bytes:
    return keccak(encode(["address[]", "uint16[]"], [buyers, shares_]))
