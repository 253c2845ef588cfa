"""Demo: a hospital bill reimbursed in part by two insurers, then refused a third time."""

from __future__ import annotations

import time
from collections.abc import Callable

from govchain.cases.bills.client import BillsClient
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import GovChainError
from govchain.framework.casebase.spec import Walkthrough

Say = Callable[[str], None]

SERIES = {"issuer": "@hospital-pumch", "bill_type": "medical", "first": 1, "count": 1000}
BILL = {"amount": "1250.00", "payer": "110101199001011234", "document": b"PUMCH BILL: surgery"}
# fmt: off
WALKTHROUGH = Walkthrough(
    reference=lambda n: f"WT{n:06d}/1",
    paths=(
        (("open_series", "finance", SERIES), ("issue", "hospital-pumch", BILL),
         ("reimburse", "insurer", {"amount": "500.00", "claim_ref": "CLAIM-1"}),
         ("reimburse_full", "insurer", {"amount": "750.00", "claim_ref": "CLAIM-2"}),
         ("close_series", "finance", {})),
        (("open_series", "finance", SERIES), ("issue", "hospital-pumch", BILL),
         ("void", "hospital-pumch", {})),
        # the hospital's foundation issues donation receipts (one issuer keeps the walk simple)
        (("open_series", "finance", {**SERIES, "bill_type": "donation"}),
         ("issue", "hospital-pumch", {**BILL, "document": b"DONATION RECEIPT"}),
         ("deduct", "tax", {})),
    ),
)
# fmt: on


def run(gc: GovChain, say: Say) -> str:
    bills = gc.case("bill")
    assert isinstance(bills, BillsClient)
    who = {
        k: gc.sender(cast.BY_KEY[k].account)
        for k in ("finance", "hospital-pumch", "insurer", "tax")
    }
    code = f"PUMCH{time.strftime('%Y')}{int(time.time()) % 10**6:06d}"
    reference = f"{code}/1"
    say(f"Electronic bills: series {code} of Peking Union Medical College Hospital.")
    bills.open_series(who["finance"], code, issuer=cast.BY_KEY["hospital-pumch"].address,
                      bill_type="medical", first=1, count=1000)  # fmt: skip
    say("  1. The finance bureau opens the series for the hospital (numbers 1-1000)")
    document = b"PUMCH BILL 1: surgery, 1,250.00 yuan"
    bills.issue(who["hospital-pumch"], reference, amount="1250.00",
                payer="110101199001011234", document=document)  # fmt: skip
    say(f"  2. The hospital issues bill {reference}: 1,250.00 yuan (payer only as a keyed hash)")
    bills.reimburse(who["insurer"], reference, amount="800.00", claim_ref="MEDICAL-INSURANCE-1")
    say("  3. Medical insurance reimburses 800.00 yuan")
    bills.reimburse_full(who["insurer"], reference, amount="450.00", claim_ref="EMPLOYER-7")
    say("  4. A second reimburser pays the remaining 450.00 yuan")
    try:
        bills.reimburse(who["insurer"], reference, amount="100.00", claim_ref="THIRD")
    except GovChainError as exc:
        say(f"  5. A third claim is refused: {exc.message}")
    check = bills.verify(reference, document)
    say(f"  6. Anyone verifies it: {check.state.replace('_', ' ')}, document matches: "
        f"{check.document_matches}")  # fmt: skip
    return reference
