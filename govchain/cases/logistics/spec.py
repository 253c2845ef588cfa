"""Case 1 as a spec: a shipment's journey by air waybill, customs inspection, documents and the
export tax refund (an item of its own, keyed by the shipment)."""

from __future__ import annotations

import re

from govchain.errors import InputError
from govchain.framework.casebase.registry import register
from govchain.framework.casebase.spec import (
    NEW,
    Anchors,
    CaseSpec,
    DocumentType,
    Kind,
    Note,
    Param,
    Verb,
    words,
)
from govchain.framework.directory import parse_address

_AWB = re.compile(r"^(\d{3})-?(\d{8})$")
#: Customs' inspection results, as the contract numbers them (1..4).
INSPECTION = ("pass", "hold", "fail", "waived")


def parse_waybill(text: str) -> str:
    """An IATA air waybill number ``AAA-SSSSSSSC`` (airline prefix, serial, check digit = the
    first seven serial digits mod 7), normalised; a clear error for a mistyped one."""
    match = _AWB.match(str(text).strip())
    if not match:
        raise InputError(f"'{text}' is not an air waybill number (like 999-12345675).")
    prefix, serial = match.groups()
    if int(serial[:7]) % 7 != int(serial[7]):
        raise InputError(f"Air waybill {text} has a wrong check digit: it was probably mistyped.")
    return f"{prefix}-{serial}"


def parse_inspection(text: str | int) -> int:
    key = str(text).strip().lower()
    if key not in INSPECTION:
        raise InputError(f"'{text}' is not an inspection result (one of: {', '.join(INSPECTION)}).")
    return INSPECTION.index(key) + 1


def inspection_name(value: int) -> str:
    return INSPECTION[value - 1] if 0 < value <= len(INSPECTION) else "none"


SHIPMENT = Kind(
    "shipment",
    1,
    (
        "booked",
        "received_at_terminal",
        "declared",
        "inspected",
        "released",
        "departed",
        "arrived",
        "delivered",
    ),
    "air waybill",
    parse_waybill,
)
REFUND = Kind(
    "refund",
    2,
    ("requested", "approved", "rejected", "paid"),
    "air waybill",
    parse_waybill,
    "shipment",
)
RESULT = Param("result", parse_inspection, "Inspection result.", INSPECTION)
REPORT = Note("report", "document", "inspection_report", optional=True, help="Inspection report.")
MERCHANT = Param("merchant", parse_address, "The shipper (address or name).", address=True)
DECLARATION = Note("declaration", "document", "declaration", help="The export declaration.")
CLAIM = Note("claim", "document", "refund_claim", help="The refund claim.")
REASON = Note("reason", "code", help="A reason code.")
PAYMENT = Note("payment_ref", "secret", help="Payment reference (only a keyed hash).")

# fmt: off
VERBS = (  # name, number, kind, function, from-states, to-state, role, help; what it takes
    Verb("book", 1, "shipment", "book", (NEW,), "booked", "LOGISTICS",
         "The logistics operator books a shipment for a merchant.", params=(MERCHANT,)),
    Verb("receive", 2, "shipment", "step", ("booked",), "received_at_terminal", "AIRPORT",
         "The airport receives the cargo at its terminal.",
         method="receive_at_terminal", batch=True),
    Verb("declare", 3, "shipment", "step", ("received_at_terminal",), "declared", "MERCHANT",
         "The merchant declares the shipment to customs.", party=True, note=DECLARATION,
         batch=True),
    Verb("inspect", 4, "shipment", "inspect", ("declared",), "inspected", "CUSTOMS",
         "Customs records an inspection: pass, waived or fail (hold: inspect again).",
         params=(RESULT,), note=REPORT),
    Verb("hold", 5, "shipment", "inspect", ("declared",), "declared", "CUSTOMS",
         "Customs holds the shipment for another inspection.",
         params=(RESULT,), fixed={"result": "hold"}, note=REPORT),
    Verb("release", 6, "shipment", "step", ("inspected",), "released", "CUSTOMS",
         "Customs releases a shipment whose inspection passed or was waived.", batch=True),
    Verb("depart", 7, "shipment", "step", ("released",), "departed", "AIRPORT",
         "The airport records the departure.", batch=True),
    Verb("arrive", 8, "shipment", "step", ("departed",), "arrived", "LOGISTICS",
         "The shipment's logistics operator records arrival.", party=True, batch=True),
    Verb("deliver", 9, "shipment", "step", ("arrived",), "delivered", "LOGISTICS",
         "The shipment's logistics operator records delivery.", party=True, batch=True),
    Verb("request", 10, "refund", "requestRefund", (NEW, "rejected"), "requested", "MERCHANT",
         "The merchant claims the export tax refund after departure (again if rejected).",
         note=CLAIM),
    Verb("approve", 11, "refund", "step", ("requested",), "approved", "TAX",
         "The tax bureau approves the refund.", batch=True),
    Verb("reject", 12, "refund", "step", ("requested",), "rejected", "TAX",
         "The tax bureau rejects the refund.", note=REASON, batch=True),
    Verb("pay", 13, "refund", "step", ("approved",), "paid", "TREASURY",
         "The treasury pays the approved refund (once).", note=PAYMENT, batch=True),
)
# fmt: on

CASE = register(
    CaseSpec(
        name="logistics",
        number=1,
        title="Air cargo shipments by waybill: journey, documents, tracking, export tax refund.",
        summary="shipments from booking to delivery, inspection, tracking proofs, tax refund",
        contract="AirportLogistics",
        kinds=(SHIPMENT, REFUND),
        verbs=VERBS,
        documents=(
            DocumentType("manifest", 1, "shipment", "LOGISTICS", party=True),
            DocumentType("commercial_invoice", 2, "shipment", "MERCHANT", party=True),
            DocumentType("packing_list", 3, "shipment", "MERCHANT", party=True),
            DocumentType("declaration", 4, "shipment", "MERCHANT", party=True),
            DocumentType("inspection_report", 5, "shipment", "CUSTOMS"),
            DocumentType("refund_claim", 6, "refund", "MERCHANT", party=True),
        ),
        readers=("AIRPORT", "CUSTOMS", "TAX", "SUPERVISOR"),
        details={"merchant": str, "inspection": inspection_name},
        formats={
            "inspection": inspection_name,
            "state": lambda v: words(SHIPMENT.state_name(int(v))),
        },
        sentences={
            "InvalidInspection": "Give an inspection result: pass, hold, fail or waived.",
            "InspectionNotCleared": (
                "Customs releases only a shipment whose inspection passed or was waived "
                "(this one: {inspection})."
            ),
            "RefundNotClaimable": (
                "The export tax refund is claimed by the shipment's merchant after departure "
                "({account}; the shipment is {state})."
            ),
        },
        anchors=Anchors(
            "track", "tracking message", "Tracking messages at volume: Merkle batches."
        ),
        demo="govchain.cases.logistics.demo:run",
        walkthrough="govchain.cases.logistics.demo:WALKTHROUGH",
        demo_setup="govchain.cases.logistics.demo:setup",
    )
)
