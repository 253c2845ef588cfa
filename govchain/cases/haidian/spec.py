"""Case 8 as a spec: Haidian's service hub (the generic hub of cases 8–12) and its own benefit
claims.

Services: Haidian's eight from the catalogue file (``govchain/data/services.json``), among them
high-tech enterprise certification (the science and technology commission, finance and tax each
approve; the office then issues the High-Tech Enterprise certificate) and the
flexible-employment subsidy (filed at the counter for a citizen holding an ID card; HR and
finance approve). Benefits (``haidian benefit claim|approve|pay|stop|reject``): the counter
files a claim under the claimant's ID number (only keyed commitments on chain); HR approves it
under a live data-sharing grant of the claimant's social-insurance records, records monthly
payouts in fen, and stops it on re-employment. The citywide ClaimRegistry refuses a second
active claim for the same person in any district.
"""

from __future__ import annotations

import re

from govchain.errors import InputError
from govchain.framework.casebase.hub import catalogue, hub_spec
from govchain.framework.casebase.registry import register
from govchain.framework.casebase.servicedata import load_services
from govchain.framework.casebase.spec import Kind, Note, Param, Verb
from govchain.framework.casebase.values import count, fen, yuan

SERVICES = catalogue("haidian", load_services("haidian"))


def id_number(text: str) -> str:
    """A resident ID number: 17 digits and a digit or X (kept only as commitments on chain)."""
    value = str(text).strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise InputError(f"'{text}' is not a resident ID number (18 characters).")
    return value


def month(text: str | int) -> int:
    """A month as yyyymm: ``2026-11`` or ``202611``."""
    raw = str(text).strip().replace("-", "")
    if not re.fullmatch(r"\d{6}", raw) or not 1 <= int(raw[4:]) <= 12:
        raise InputError(f"'{text}' is not a month (2026-11).")
    return int(raw)


def consent(text: str | int) -> int:
    return count(text, "data-sharing request number")


#: The citywide commitment of the claimant's ID number (the same in every district).
PERSON = Param("person", derive=lambda ref: ref, secret=True)
REASON = Note("reason", "code", help="Reason code from the catalogue.")
# fmt: off
BENEFIT_VERBS = (
    Verb("claim", 6, "benefit", "claim", ("", "rejected", "stopped"), "claimed",
         "DISTRICT_OFFICE",
         "The counter files a citizen's unemployment benefit claim (one active citywide).",
         params=(Param("claimant", str, "The citizen's app account (consents to the check).",
                       address=True), PERSON)),
    Verb("approve", 7, "benefit", "approveClaim", ("claimed",), "active", "HR",
         "HR approves a claim after checking social-insurance records under consent.",
         params=(Param("provider", str, "The social-insurance fund.", address=True),
                 Param("consent", consent, "The data-sharing request of the records."))),
    Verb("reject", 8, "benefit", "rejectClaim", ("claimed",), "rejected", "HR",
         "HR rejects a claim.", params=(PERSON,), note=REASON),
    Verb("pay", 9, "benefit", "pay", ("active",), "active", "HR",
         "HR records a monthly payout (amount in yuan or fen).",
         params=(Param("month", month, "The month paid (2026-11)."),
                 Param("amount", fen, "Amount (1880.00 yuan, or fen).")),
         note=Note("payment_ref", "secret", optional=True, help="Payment reference.")),
    Verb("stop", 10, "benefit", "stop", ("active",), "stopped", "HR",
         "HR stops a claim (re-employment).", params=(PERSON,), note=REASON),
)
# fmt: on

CASE = register(
    hub_spec(
        name="haidian",
        number=8,
        title="Internet+Government, Haidian: service hub and unemployment benefits.",
        summary="Haidian service hub: high-tech certification, subsidies, benefit claims",
        contract="HaidianHub",
        services=SERVICES,
        kinds=(
            Kind(
                "benefit",
                2,
                ("claimed", "active", "rejected", "stopped"),
                "ID number",
                id_number,
                unique=True,
            ),
        ),
        verbs=BENEFIT_VERBS,
        details={"claimant": str, "lastMonth": int, "paid": int, "payouts": int},
        formats={
            "paid": yuan,
            "amount": yuan,
            "lastMonth": lambda v: f"{int(v) // 100}-{int(v) % 100:02d}" if int(v) else "-",
        },
        sentences={
            "NoClaimant": "Name the claimant's app account.",
            "InvalidAmount": "A payout is a positive amount.",
            "InvalidMonth": "Month {month} is not a month after the last one paid ({lastMonth}).",
            "GrantNotLive": "Consent #{requestId} is not live now ({reason}).",
            "GrantNotFor": "Consent #{requestId} is not HR's grant of this claimant's records "
            "for this claim.",
        },
        links=("DataSharing", "ClaimRegistry"),
        client="govchain.cases.haidian.client:HaidianClient",
        cli="govchain.cases.haidian.cli:extend",
        demo="govchain.cases.haidian.demo:run",
        demo_setup="govchain.cases.haidian.demo:setup",
        walkthrough="govchain.cases.haidian.demo:WALKTHROUGH",
    )
)
