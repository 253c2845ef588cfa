"""Case 5 as a spec: procurement contracts, invoices financed as confirmed receivables, and
credit attestations shared with lenders under the SME's consent.

A government buyer registers contract ``HDPC-2026-0117`` with an SME (``sme contract register``);
the SME submits invoice ``HDPC-2026-0117/INV-1`` against it; the buyer confirms it (within the
contract's amount) or rejects it; the SME pledges the confirmed receivable to one lender, which
finances it once (up to its amount) or declines; the buyer repays the lender. Data agencies attest
an SME's tax grade or social-insurance headcount — only a salted commitment on chain; the value
reaches a lender through data sharing under the SME's consent. Amounts are fen (integers).
"""

from __future__ import annotations

from govchain.errors import InputError
from govchain.framework.casebase.registry import register
from govchain.framework.casebase.spec import (
    NEW,
    CaseSpec,
    DocumentType,
    Kind,
    Note,
    Param,
    Verb,
    plain_reference,
)
from govchain.framework.casebase.values import fen, show_time, unix_time, yuan

METRICS = {"tax-grade": 1, "si-headcount": 2, "credit-rating": 3}
METRIC_NAMES = {v: k for k, v in METRICS.items()}


def parse_contract(text: str) -> str:
    """A procurement contract number; ``CONTRACT/INVOICE`` names the invoice's contract too."""
    return plain_reference(str(text).split("/", 1)[0])


def parse_invoice(text: str) -> str:
    """An invoice ``CONTRACT/INVOICE`` (``HDPC-2026-0117/INV-1``)."""
    contract, sep, number = str(text).partition("/")
    if not sep or not number.strip():
        raise InputError(
            f"'{text}' is not an invoice (CONTRACT/INVOICE, e.g. HDPC-2026-0117/INV-1)."
        )
    return f"{parse_contract(contract)}/{plain_reference(number)}"


def metric(text: str | int) -> int:
    key = str(text).strip().lower()
    if key.isdigit() and int(key) in METRIC_NAMES:
        return int(key)
    if key not in METRICS:
        raise InputError(f"'{text}' is not a credit metric ({', '.join(METRICS)}).")
    return METRICS[key]


SUPPLIER = Param("supplier", str, "The SME supplying under the contract.", address=True)
CONTRACT_AMOUNT = Param("amount", fen, "Contract amount: fen (12550) or yuan (125.50).")
PROCUREMENT = Param("procurement", derive=parse_contract, item="contract")
INVOICE_AMOUNT = Param("amount", fen, "Invoice amount: fen or yuan.")
DUE = Param("due", unix_time, "When the buyer pays (2027-03-31).")
LENDER = Param("lender", str, "The lender asked to finance it.", address=True)
FINANCED = Param("amount", fen, "Amount financed (at most the receivable): fen or yuan.")
SME = Param("sme", str, "The SME attested.", address=True)
METRIC = Param("metric", metric, "What is attested.", tuple(METRICS))
REASON = Note("reason", "code", optional=True, help="Reason code from the catalogue.")

# fmt: off
VERBS = (  # name, number, kind, function, from-states, to-state, role, help; what it takes
    Verb("register", 1, "contract", "registerContract", (NEW,), "active", "BUYER",
         "A government buyer registers a procurement contract with an SME.",
         params=(SUPPLIER, CONTRACT_AMOUNT),
         note=Note("contract", "document", "contract", help="The contract document (sealed).")),
    Verb("close", 2, "contract", "step", ("active",), "closed", "BUYER",
         "The buyer closes a contract: no more invoices against it.", party=True, batch=True),
    Verb("submit", 3, "invoice", "submitInvoice", (NEW,), "submitted", "SME",
         "The supplier submits invoice CONTRACT/INVOICE against the contract.",
         params=(PROCUREMENT, INVOICE_AMOUNT, DUE),
         note=Note("invoice", "document", "invoice", help="The invoice document (sealed).")),
    Verb("confirm", 4, "invoice", "step", ("submitted",), "confirmed", "BUYER",
         "The buyer confirms an invoice: a confirmed receivable (within the contract's amount).",
         party=True, batch=True),
    Verb("reject", 5, "invoice", "step", ("submitted",), "rejected", "BUYER",
         "The buyer rejects an invoice.", note=REASON, party=True, batch=True),
    Verb("pledge", 6, "invoice", "pledge", ("confirmed",), "pledged", "SME",
         "The SME pledges a confirmed receivable to one lender, asking for financing.",
         params=(LENDER,), party=True),
    Verb("decline", 7, "invoice", "step", ("pledged",), "confirmed", "LENDER",
         "The lender declines: the receivable is released.", note=REASON, party=True, batch=True),
    Verb("finance", 8, "invoice", "finance", ("pledged",), "financed", "LENDER",
         "The lender finances the receivable, once, up to its amount.", params=(FINANCED,),
         note=Note("loan_ref", "secret", help="The lender's loan reference (only a keyed hash)."),
         party=True),
    Verb("repay", 9, "invoice", "repay", ("financed",), "repaid", "BUYER",
         "The buyer repays the financed receivable to the lender.",
         note=Note("payment_ref", "secret", help="The payment reference (only a keyed hash)."),
         party=True),
    Verb("attest", 10, "attestation", "attest", (NEW,), "current", "CREDIT_AGENCY",
         "A data agency attests an SME's credit metric (the value sealed, shared by consent).",
         params=(SME, METRIC),
         note=Note("value", "document", "value", help="The attested value (sealed)."),
         method="attest"),
    Verb("withdraw", 11, "attestation", "step", ("current",), "withdrawn", "CREDIT_AGENCY",
         "The agency withdraws its attestation.", note=REASON, party=True, batch=True),
)
# fmt: on

CASE = register(
    CaseSpec(
        name="sme",
        number=5,
        title="Haidian SME supply-chain finance: confirmed receivables financed once.",
        summary="procurement receivables confirmed, pledged once, financed, repaid; credit data",
        contract="SupplyChainFinance",
        kinds=(
            Kind(
                "invoice",
                2,
                ("submitted", "confirmed", "pledged", "financed", "repaid", "rejected"),
                "invoice (CONTRACT/INVOICE)",
                parse_invoice,
            ),
            Kind("contract", 1, ("active", "closed"), "contract number", parse_contract),
            Kind("attestation", 3, ("current", "withdrawn"), "attestation reference"),
        ),
        verbs=VERBS,
        documents=(
            DocumentType("contract", 1, "contract", "BUYER", party=True),
            DocumentType("invoice", 2, "invoice", "SME", party=True),
            DocumentType("value", 3, "attestation", "CREDIT_AGENCY", party=True),
        ),
        readers=("SUPERVISOR",),
        details={
            "supplier": str,
            "amount": int,
            "procurement": bytes,
            "lender": str,
            "due": int,
            "overdue": bool,
            "metric": int,
        },
        formats={
            "amount": yuan,
            "invoice": yuan,
            "confirmed": yuan,
            "receivable": yuan,
            "due": show_time,
            "metric": lambda v: METRIC_NAMES.get(int(v), "-"),
            "procurement": lambda v: "-" if v == bytes(32) else "0x" + bytes(v).hex(),
        },
        sentences={
            "InvalidAmount": "An amount must be positive and within the contract ({amount}).",
            "InvalidDueDate": "An invoice's due date must be in the future.",
            "NotSupplier": "{account} is not the supplier of that contract.",
            "ContractNotActive": "That contract is closed: no more invoices against it.",
            "AboveContract": (
                "Confirming {invoice} would take the contract's confirmed total above its amount "
                "({amount}; {confirmed} confirmed already)."
            ),
            "AboveReceivable": "Financing {amount} is more than the receivable ({receivable}).",
            "NotALender": "{lender} is not an active lender.",
            "InvalidMetric": "Say what is attested ({metric} is no metric).",
        },
        client="govchain.cases.sme.client:SmeClient",
        cli="govchain.cases.sme.cli:extend",
        demo="govchain.cases.sme.demo:run",
        walkthrough="govchain.cases.sme.demo:WALKTHROUGH",
    )
)
