"""Case 2 as a spec: a declaration's state machine, who does each step, what it carries.

A declarant files a declaration (18-digit number, kept on chain as a keyed commitment) for goods
at a port of the single window, in a customs region; customs of that region accepts, assesses
the duty, releases or rejects; the tax bureau confirms the duty paid; the terminal of the port
where the goods are gates them out after release, whichever region filed it.
"""

from __future__ import annotations

import re

from govchain.errors import InputError
from govchain.framework.casebase.registry import register
from govchain.framework.casebase.spec import (
    NEW,
    CaseSpec,
    DocumentType,
    Kind,
    Note,
    Param,
    Query,
    Verb,
)

#: Filing regions of the single window (province-level administrative codes).
REGIONS = {"beijing": 110000, "tianjin": 120000, "hebei": 130000}
_NUMBER = re.compile(r"^\d{18}$")
_LOCODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}$")


def parse_number(text: str) -> str:
    """A customs declaration number: 18 digits (customs code, year, flag, serial)."""
    number = str(text).strip().replace(" ", "")
    if not _NUMBER.match(number):
        raise InputError(f"'{text}' is not a customs declaration number (18 digits).")
    return number


def port_code(text: str | bytes) -> bytes:
    """A UN/LOCODE port code (``CNTXG``) as bytes32."""
    if isinstance(text, bytes):
        return text.ljust(32, b"\0")
    code = text.strip().upper()
    if not _LOCODE.match(code):
        raise InputError(f"'{text}' is not a port code (UN/LOCODE such as CNTXG).")
    return code.encode().ljust(32, b"\0")


def port_text(code: bytes | str) -> str:
    """A port code as text (from bytes32, or already text)."""
    if isinstance(code, str):
        return code
    return bytes(code).rstrip(b"\0").decode(errors="replace")


def parse_region(text: str | int) -> int:
    if isinstance(text, int) or str(text).strip().isdigit():
        value = int(text)
        if value not in REGIONS.values():
            raise InputError(f"{text} is not a region of the single window ({', '.join(REGIONS)}).")
        return value
    key = str(text).strip().lower()
    if key not in REGIONS:
        raise InputError(f"'{text}' is not a region ({', '.join(REGIONS)}).")
    return REGIONS[key]


def region_name(code: int) -> str:
    names = {v: k for k, v in REGIONS.items()}
    return names.get(int(code), str(code))


PORT = Param("port", port_code, "Port where the goods are (UN/LOCODE, e.g. CNTXG).")
REGION = Param("region", parse_region, "Region it is filed in.", tuple(REGIONS))
GOODS = Note("goods", "document", "goods", help="The goods documents (stored encrypted).")
ASSESSMENT = Note("assessment", "document", "assessment", help="The duty assessment.")
PAYMENT = Note("payment_ref", "secret", help="Payment reference (only a keyed hash).")
REASON = Note("reason", "code", help="A reason code.")
OPEN = ("submitted", "accepted", "duty_assessed", "duty_paid")

# fmt: off
VERBS = (  # name, number, kind, function, from-states, to-state, role, help; what it takes
    Verb("submit", 1, "declaration", "submit", (NEW,), "submitted", "DECLARANT",
         "File declaration NUMBER (18 digits); a declarant never files a number twice.",
         params=(PORT, REGION), note=GOODS),
    Verb("accept", 2, "declaration", "step", ("submitted",), "accepted", "CUSTOMS",
         "Customs of the filing region accepts the declaration.", batch=True),
    Verb("assess", 3, "declaration", "step", ("accepted",), "duty_assessed", "CUSTOMS",
         "Customs of the filing region assesses the duty.", method="assess_duty",
         note=ASSESSMENT, batch=True),
    Verb("paid", 4, "declaration", "step", ("duty_assessed",), "duty_paid", "TAX",
         "The tax bureau confirms the duty was paid.", method="confirm_duty_paid",
         note=PAYMENT, batch=True),
    Verb("release", 5, "declaration", "step", ("duty_paid",), "released", "CUSTOMS",
         "Customs of the filing region releases the goods.", batch=True),
    Verb("gate_out", 6, "declaration", "step", ("released",), "gated_out", "TERMINAL",
         "The terminal of the port where the goods are gates them out.", batch=True),
    Verb("reject", 7, "declaration", "step", OPEN, "rejected", "CUSTOMS",
         "Customs of the filing region rejects the declaration (before release).",
         note=REASON, batch=True),
)
# fmt: on

CASE = register(
    CaseSpec(
        name="port",
        number=2,
        title="Customs declarations across Beijing, Tianjin and Hebei ports (single window).",
        summary="declarations cleared by the filing region's customs, gated out at the goods' port",
        contract="PortClearance",
        kinds=(
            Kind(
                "declaration",
                1,
                (
                    "submitted",
                    "accepted",
                    "duty_assessed",
                    "duty_paid",
                    "released",
                    "gated_out",
                    "rejected",
                ),
                "declaration number",
                parse_number,
            ),
        ),
        verbs=VERBS,
        documents=(
            DocumentType("goods", 1, "declaration", "DECLARANT", party=True),
            DocumentType("assessment", 2, "declaration", "CUSTOMS"),
        ),
        queries=(
            Query(
                "at", "port", PORT, "Declarations for goods at PORT, whichever region filed them."
            ),
        ),
        readers=("CUSTOMS", "TAX", "SUPERVISOR"),
        details={"port": port_text, "region": int},
        formats={"region": region_name, "port": port_text},
        sentences={
            "UnknownPort": "That port ({port}) is not part of the single window.",
            "InvalidPort": "A port needs a code.",
            "UnknownRegion": "{region} is not a customs region of the single window.",
            "WrongRegion": (
                "{customs} is not customs of the region this declaration was filed in ({region})."
            ),
            "NotPortTerminal": (
                "{account} is not the terminal operator of the port where these goods are ({port})."
            ),
        },
        client="govchain.cases.port.client:PortClient",
        cli="govchain.cases.port.cli:extend",
        demo="govchain.cases.port.demo:run",
        demo_setup="govchain.cases.port.demo:setup",
        walkthrough="govchain.cases.port.demo:WALKTHROUGH",
    )
)
