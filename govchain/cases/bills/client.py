"""What the bills case adds to the generic client: public verification of a bill from its series
and number (and its document), which needs no key, no secret and no index."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govchain.cases.bills.spec import TYPES, bill_number, parse_bill, series_code
from govchain.framework.casebase.client import CaseClient, ItemNotFound
from govchain.hashing import keccak

TYPE_NAMES = {v: k for k, v in TYPES.items()}


@dataclass(frozen=True)
class BillCheck:
    """What anyone learns of a bill: authentic, amounts (fen), type and status."""

    reference: str
    authentic: bool
    face: int
    reimbursed: int
    bill_type: str
    state: str
    issuer: str
    document_matches: bool | None  # None when no document was given

    @property
    def valid(self) -> bool:
        return self.authentic and self.document_matches is not False and self.state != "voided"

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "authentic": self.authentic,
            "valid": self.valid,
            "face": self.face,
            "reimbursed": self.reimbursed,
            "remaining": self.face - self.reimbursed,
            "type": self.bill_type,
            "state": self.state,
            "issuer": self.issuer,
            "documentMatches": self.document_matches,
        }


class BillsClient(CaseClient):
    """Case 4's client: the generic verbs plus public verification."""

    def verify(self, reference: str, document: bytes | None = None) -> BillCheck:
        """Look bill ``SERIES/NUMBER`` up on chain (no secret needed) and, given its document,
        check the document is the one issued."""
        canonical = parse_bill(reference)
        code = series_code(canonical)
        bill_id = bytes(self.contract.call("billId", code, bill_number(canonical)))
        if bill_id == bytes(32):
            raise ItemNotFound(f"There is no bill series {canonical.split('/')[0]}.")
        item, bill = self.contract.call_many([("item", (bill_id,)), ("bill", (bill_id,))])
        if int(item["state"]) == 0:
            raise ItemNotFound(f"Bill {canonical} was never issued.")
        matches = None if document is None else keccak(document) == bytes(bill["documentHash"])
        kind = self.spec.kind("bill")
        return BillCheck(
            canonical,
            True,
            int(bill["face"]),
            int(bill["reimbursed"]),
            TYPE_NAMES.get(int(bill["billType"]), "?"),
            kind.state_name(int(item["state"])),
            str(item["filer"]),
            matches,
        )
