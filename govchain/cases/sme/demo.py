"""Demo: an SME financed against a confirmed receivable and repaid; a second financing of the same
receivable refused; a lender reads the SME's tax grade only under its consent."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from govchain.cases.sme.client import SmeClient
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import GovChainError
from govchain.framework.casebase.spec import Walkthrough
from govchain.framework.casebase.values import yuan

Say = Callable[[str], None]


def _future(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%d")


CONTRACT = {"supplier": "@sme", "amount": "500000.00",
            "contract": b"HAIDIAN PROCUREMENT CONTRACT: 400 air-quality sensors"}  # fmt: skip
INVOICE = {"amount": "200000.00", "due": _future(90), "invoice": b"INVOICE: 160 sensors delivered"}
# fmt: off
WALKTHROUGH = Walkthrough(
    reference=lambda n: f"HDPC-WT{n:06d}/INV-1",
    paths=(
        (("register_contract", "buyer", CONTRACT), ("submit", "sme", INVOICE),
         ("confirm", "buyer", {}), ("pledge", "sme", {"lender": "@bank-bob"}),
         ("decline", "bank-bob", {"reason": "not-eligible"}),
         ("pledge", "sme", {"lender": "@bank-icbc"}),
         ("finance", "bank-icbc", {"amount": "180000.00", "loan_ref": "ICBC-SCF-1"}),
         ("repay", "buyer", {"payment_ref": "TREASURY-PAY-1"}),
         ("close_contract", "buyer", {})),
        (("register_contract", "buyer", CONTRACT), ("submit", "sme", INVOICE),
         ("reject", "buyer", {"reason": "incomplete"})),
        (("attest", "tax", {"sme": "@sme", "metric": "tax-grade", "value": b"tax grade A"}),
         ("withdraw_attestation", "tax", {"reason": "issued-in-error"})),
    ),
)
# fmt: on


def run(gc: GovChain, say: Say) -> str:
    sme = gc.case("sme")
    assert isinstance(sme, SmeClient)
    keys = ("buyer", "sme", "bank-icbc", "bank-ccb", "tax")
    who = {k: gc.sender(cast.BY_KEY[k].account) for k in keys}
    contract = f"HDPC-{time.strftime('%Y')}-{int(time.time()) % 10**6:06d}"
    invoice = f"{contract}/INV-1"
    member = cast.BY_KEY["sme"]
    say(f"SME supply-chain finance: {member.name}, contract {contract}.")
    sme.register_contract(who["buyer"], contract, supplier=member.address, amount="500000.00",
                          contract=b"Procurement contract: 400 air-quality sensors")  # fmt: skip
    say("  1. The Haidian procurement centre registers a 500,000.00 yuan contract with the SME")
    sme.submit(who["sme"], invoice, amount="200000.00", due=_future(90),
               invoice=b"Invoice INV-1: 160 sensors delivered")  # fmt: skip
    sme.confirm(who["buyer"], invoice)
    say("  2. The SME invoices 200,000.00 yuan; the buyer confirms it: a confirmed receivable")
    sme.attest(who["tax"], f"TAX-GRADE/{contract}", sme=member.address,
                             metric="tax-grade", value=b"Tax credit grade A (2025)")  # fmt: skip
    att_id = sme.resolve(f"TAX-GRADE/{contract}", "attestation", filer=who["tax"].address)
    sme.credit.offer(who["tax"])
    request = sme.credit.request(who["bank-icbc"], att_id, until=_future(30))
    sme.credit.approve(who["tax"], request, until=_future(30), item=att_id)
    gc.sharing.consent(who["sme"], request)
    sme.credit.share(who["tax"], request)
    grade = sme.credit.fetch(who["bank-icbc"], request).decode()
    say(f"  3. ICBC reads the SME's tax grade under its consent (request #{request}): {grade!r}")
    sme.pledge(who["sme"], invoice, lender=cast.BY_KEY["bank-icbc"].address)
    sme.finance(who["bank-icbc"], invoice, amount="180000.00", loan_ref="ICBC-SCF-2026-001")
    say("  4. The SME pledges the receivable to ICBC, which finances 180,000.00 yuan")
    try:
        sme.pledge(who["sme"], invoice, lender=cast.BY_KEY["bank-ccb"].address)
    except GovChainError as exc:
        say(f"  5. Pledging it again to CCB is refused: {exc.message}")
    sme.repay(who["buyer"], invoice, payment_ref="HD-TREASURY-2026-4471")
    say("  6. At maturity the buyer repays ICBC")
    p = sme.profile(member.address)
    say(
        f"  7. The SME's picture: {p.contracts} contract(s), contracted {yuan(p.contracted)}, "
        f"financed {yuan(p.financed)}, repaid {yuan(p.repaid)}, overdue {yuan(p.overdue)}"
    )
    return invoice
