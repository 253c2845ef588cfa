"""Case 4 as a spec: bill series and bills, who does each step, what each carries.

The finance bureau opens a series (a public code such as ``BJMED2026A``, a bill type, a range of
numbers) for an issuer; the issuer issues bills ``CODE/NUMBER`` with a face amount in fen, the
payer's identifier (only its keyed commitment goes on chain) and the hash of the bill document
the payer receives; reimbursers reimburse part or all of a bill, never above its face value in
total; the issuer voids a bill before any reimbursement; the tax bureau deducts a donation
receipt once. A bill's key is public — keccak256 of its series and number — so anyone verifies a
bill with no secret and no keystore.
"""

from __future__ import annotations

import re

from govchain.chain.abicodec import encode as abi_encode
from govchain.errors import InputError
from govchain.framework.casebase.registry import register
from govchain.framework.casebase.spec import (
    NEW,
    CaseSpec,
    Kind,
    Note,
    Param,
    Verb,
)
from govchain.framework.casebase.values import fen
from govchain.hashing import keccak

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,31}$")
TYPES = {"medical": 1, "donation": 2, "education": 3}


def parse_series(text: str) -> str:
    """A series code (``BJMED2026A``); ``CODE/NUMBER`` names the bill's series too."""
    code = str(text).strip().upper().split("/", 1)[0]
    if not _CODE.match(code):
        raise InputError(f"'{text}' is not a bill series code (3-32 letters, digits or -).")
    return code


def parse_bill(text: str) -> str:
    """A bill reference ``CODE/NUMBER`` (``BJMED2026A/1001``)."""
    code, sep, number = str(text).strip().upper().partition("/")
    if not sep or not number.isdigit() or len(number) > 19:
        raise InputError(f"'{text}' is not a bill reference (SERIES/NUMBER, e.g. BJMED2026A/1001).")
    return f"{parse_series(code)}/{int(number)}"


def series_code(text: str) -> bytes:
    """A series' on-chain code: keccak256 of its canonical text (public)."""
    return keccak(text=parse_series(text))


def bill_number(text: str) -> int:
    return int(parse_bill(text).split("/")[1])


def bill_key(text: str) -> bytes:
    """A bill's public key: keccak256(abi.encode(series code, number)), as the contract checks."""
    return keccak(abi_encode(["bytes32", "uint64"], [series_code(text), bill_number(text)]))


def bill_type(text: str | int) -> int:
    key = str(text).strip().lower()
    if key.isdigit() and int(key) in TYPES.values():
        return int(key)
    if key not in TYPES:
        raise InputError(f"'{text}' is not a bill type ({', '.join(TYPES)}).")
    return TYPES[key]


def count(text: str | int) -> int:
    value = int(text) if str(text).strip().isdigit() else -1
    if not 0 < value < 2**64:
        raise InputError(f"'{text}' is not a positive count of numbers.")
    return value


def number(text: str | int) -> int:
    value = int(text) if str(text).strip().isdigit() else -1
    if not 0 <= value < 2**64:
        raise InputError(f"'{text}' is not a bill number.")
    return value


ISSUER = Param("issuer", str, "The issuer the series belongs to.", address=True)
TYPE = Param("bill_type", bill_type, "Bill type.", tuple(TYPES))
FIRST = Param("first", number, "First bill number of the series.")
COUNT = Param("count", count, "How many numbers the series holds.")
CODE = Param("code", series_code, derive=parse_series)
NUMBER = Param("number", number, derive=bill_number)
FACE = Param("amount", fen, "Face amount: fen (12550) or yuan (125.50).")
PAYER = Param(
    "payer", str, "The payer's identifier (only a keyed hash goes on chain).", secret=True
)
AMOUNT = Param("amount", fen, "Amount reimbursed now: fen or yuan.")
DOCUMENT = Note("document", "public", help="The bill document the payer receives (its hash).")
CLAIM = Note("claim_ref", "secret", help="The reimburser's claim reference (only a keyed hash).")

# fmt: off
VERBS = (  # name, number, kind, function, from-states, to-state, role, help; what it takes
    Verb("open", 1, "series", "openSeries", (NEW,), "open", "FINANCE",
         "The finance bureau opens series CODE for an issuer: type and range of numbers.",
         params=(ISSUER, TYPE, FIRST, COUNT)),
    Verb("close", 2, "series", "step", ("open",), "closed", "FINANCE",
         "The finance bureau closes a series: no more bills in it.", batch=True),
    Verb("issue", 3, "bill", "issueBill", (NEW,), "issued", "BILL_ISSUER",
         "The series' issuer issues bill SERIES/NUMBER; a number is never used twice.",
         params=(CODE, NUMBER, FACE, PAYER), note=DOCUMENT),
    Verb("reimburse", 4, "bill", "reimburse", ("issued", "partially_reimbursed"),
         "partially_reimbursed", "REIMBURSER",
         "Reimburse part of a bill (the total never exceeds its face value; the step that "
         "reaches it is recorded as full reimbursement).",
         params=(AMOUNT,), note=CLAIM),
    Verb("reimburse_full", 5, "bill", "reimburse", ("issued", "partially_reimbursed"),
         "reimbursed", "REIMBURSER",
         "Reimburse what remains of a bill (the amount must bring it to its face value).",
         params=(AMOUNT,), note=CLAIM),
    Verb("void", 6, "bill", "step", ("issued",), "voided", "BILL_ISSUER",
         "The issuer voids a bill (red-letter reversal), only before any reimbursement.",
         party=True, batch=True),
    Verb("deduct", 7, "bill", "step", ("issued",), "deducted", "TAX",
         "The tax bureau deducts a donation receipt, once.", batch=True),
)
# fmt: on

CASE = register(
    CaseSpec(
        name="bill",
        number=4,
        title="Electronic bills (fapiao) for medical care, donations and education.",
        summary="bills in series, reimbursed at most once in total, verified by anyone",
        contract="ElectronicBills",
        kinds=(
            Kind(
                "bill",
                2,
                ("issued", "partially_reimbursed", "reimbursed", "voided", "deducted"),
                "bill (SERIES/NUMBER)",
                parse_bill,
                public_key=bill_key,
            ),
            Kind(
                "series", 1, ("open", "closed"), "series code", parse_series, public_key=series_code
            ),
        ),
        verbs=VERBS,
        readers=("FINANCE", "SUPERVISOR"),
        sentences={
            "SeriesExists": "Bill series {code} already exists.",
            "UnknownSeries": "There is no bill series {code}.",
            "InvalidSeries": "A series needs a bill type and at least one number.",
            "NotSeriesIssuer": "{account} is not the issuer of bill series {code}.",
            "SeriesClosed": "Bill series {code} is closed: no more bills in it.",
            "NumberOutsideSeries": "Number {number} is outside bill series {code}.",
            "BadBillKey": "The bill's key does not match its series and number ({key}).",
            "InvalidAmount": "An amount must be positive (fen).",
            "AboveFaceValue": (
                "Reimbursing {amount} fen would exceed the bill's face value ({face} fen; "
                "{reimbursed} fen already reimbursed)."
            ),
            "NotReimbursable": "A donation receipt is not reimbursed (it is deducted by tax).",
            "NotADonation": "Only a donation receipt is deducted.",
        },
        client="govchain.cases.bills.client:BillsClient",
        cli="govchain.cases.bills.cli:extend",
        demo="govchain.cases.bills.demo:run",
        walkthrough="govchain.cases.bills.demo:WALKTHROUGH",
    )
)
