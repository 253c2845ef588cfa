"""Case 6 as a spec: property units, their mortgages and seizures, sales, escrowed deposits,
utility transfers and tax audits.

The registration centre registers unit ``110108003005GB00012F00010015`` with its owners' accounts
and shares (``estate register``). A mortgage (``estate mortgage register``) names its bank, which
alone releases it or consents to a sale; a court freezes and unfreezes the unit
(``estate seizure freeze``). A sale: every owner signs its terms (``estate sign``), the registrar
files it (``estate sale apply``), every buyer signs to accept, the tax bureau confirms the deed
tax, the registrar completes it. Deposits, utility transfers and tax audits are kept beside.
Only keyed commitments of unit numbers and references go on chain; amounts are fen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from govchain.errors import InputError
from govchain.framework.casebase.registry import register
from govchain.framework.casebase.spec import NEW, CaseSpec, DocumentType, Kind, Note, Param, Verb
from govchain.framework.casebase.values import fen, show_time, yuan
from govchain.framework.directory import parse_address

_UNIT = re.compile(r"^\d{12}[A-Z]{2}\d{5}[A-Z]\d{8}$")
WHOLE = 10_000  # 100% in basis points
MOVE, RELEASE = 1, 2
PURPOSES = {"pre-sale": 1, "rental": 2}
SERVICES = {"water": 1, "power": 2, "gas": 4}


def parse_unit(text: str) -> str:
    """A real estate unit number (28 characters: district, zone, parcel, building unit)."""
    value = re.sub(r"[\s-]", "", str(text)).upper()
    if not _UNIT.match(value):
        raise InputError(f"'{text}' is not a unit number (like 110108003005GB00012F00010015).")
    return value


def _items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else str(value).split(",")


def accounts(value: Any) -> list[str]:
    """Accounts, as a list or comma-separated."""
    return [parse_address(str(a).strip()) for a in _items(value)]


def percent(text: Any) -> int:
    """A share in basis points from a percentage (``60``, ``33.33``): no floats."""
    raw = str(text).strip().removesuffix("%")
    whole, dot, part = raw.partition(".")
    if not whole.isdigit() or (dot and (not part.isdigit() or len(part) > 2)):
        raise InputError(f"'{text}' is not a share in percent (60, or 33.33).")
    return int(whole) * 100 + (int(part.ljust(2, "0")) if dot else 0)


def shares(value: Any) -> list[int]:
    """Shares in percent, as a list or comma-separated, as basis points (the contract checks
    that they sum to 100%)."""
    return [v if isinstance(v, int) else percent(v) for v in _items(value)]


def signatures(value: Any) -> list[bytes]:
    """Signatures, as a list of bytes or comma-separated hex."""
    out = []
    for s in _items(value) if value not in ("", None) else []:
        try:
            out.append(s if isinstance(s, bytes) else bytes.fromhex(str(s).strip()[2:]))
        except ValueError:
            raise InputError(f"'{s}' is not a signature (0x and hex digits).") from None
    return out


def choice(names: dict[str, int], what: str) -> Any:
    def convert(text: Any) -> int:
        wanted = [names[n.strip().lower()] for n in str(text).split(",") if n.strip() in names]
        if not wanted or len(wanted) != len(str(text).split(",")):
            raise InputError(f"'{text}' is not {what} (one of: {', '.join(names)}).")
        return sum(set(wanted))

    return convert


def show_shares(value: Sequence[int]) -> str:
    return ", ".join(f"{v // 100}.{v % 100:02d}%" for v in value) or "-"


def _names(names: dict[str, int]) -> Any:
    return lambda v: ", ".join(n for n, bit in names.items() if int(v) & bit) or "-"


UNIT = Param("unit", derive=parse_unit, item="unit")
SHARES = Param("shares", shares, "Shares in percent, comma-separated (60,40): together 100.")
SIGS = Param("signatures", signatures, "Each one's signature of the terms (estate sign).")
BUYERS = Param("buyers", accounts, "The buyers (comma-separated).", address=True)
REASON = Note("reason", "code", optional=True, help="Reason code from the catalogue.")
CONSENT = Param("option", choice({"move": MOVE, "release": RELEASE}, "an option"),
                "What happens to the mortgage on completion.", ("move", "release"))  # fmt: skip


def _doc(name: str, document: str, what: str) -> Note:
    return Note(name, "document", document, help=f"The {what} (sealed, only its commitment).")


# fmt: off
VERBS = (  # name, number, kind, function, from-states, to-state, role, help; what it takes
    Verb("register", 1, "unit", "register", (NEW,), "registered", "REGISTRAR",
         "The registrar registers a unit with its owners and shares.",
         params=(Param("owners", accounts, "The owners (comma-separated).", address=True), SHARES),
         note=_doc("certificate", "certificate", "ownership certificate")),
    Verb("register", 2, "mortgage", "registerMortgage", (NEW, "released"), "registered",
         "REGISTRAR", "The registrar registers a mortgage on the unit with a bank.",
         params=(Param("bank", str, "The mortgagee bank.", address=True),
                 Param("amount", fen, "Secured amount: fen or yuan.")),
         note=_doc("contract", "mortgage", "mortgage contract")),
    Verb("release", 3, "mortgage", "release", ("registered", "consented"), "released", "LENDER",
         "The mortgagee bank releases its mortgage.", params=(UNIT,), note=REASON, party=True),
    Verb("consent", 4, "mortgage", "consent", ("registered", "consented"), "consented",
         "LENDER", "The mortgagee consents to the current sale (the mortgage moves or is "
         "released on completion).", params=(UNIT, CONSENT), party=True),
    Verb("freeze", 5, "seizure", "freeze", (NEW, "lifted"), "frozen", "COURT",
         "A court freezes the unit.", note=_doc("order", "order", "court order"),
         method="freeze"),
    Verb("unfreeze", 6, "seizure", "unfreeze", ("frozen",), "lifted", "COURT",
         "The court lifts its seizure.", params=(UNIT,), note=REASON, party=True,
         method="unfreeze"),
    Verb("apply", 7, "sale", "applySale", (NEW, "completed", "withdrawn"), "applied",
         "REGISTRAR", "The registrar files a sale every owner signed.",
         params=(BUYERS, SHARES, SIGS), note=_doc("deed", "deed", "sale contract")),
    Verb("accept", 8, "sale", "acceptSale", ("applied",), "accepted", "REGISTRAR",
         "Every buyer's acceptance (their signatures) recorded.",
         params=(UNIT, BUYERS, SHARES, SIGS), party=True),
    Verb("tax", 9, "sale", "step", ("accepted",), "taxed", "TAX",
         "The tax bureau confirms the deed tax is paid.", batch=True, method="confirm_tax",
         note=Note("receipt", "secret", help="The tax receipt number (only a keyed hash).")),
    Verb("complete", 10, "sale", "completeSale", ("taxed",), "completed", "REGISTRAR",
         "The registrar completes the sale: the buyers own the unit.",
         params=(UNIT, BUYERS, SHARES), note=_doc("certificate", "certificate",
                                                   "new ownership certificate"), party=True),
    Verb("withdraw", 11, "sale", "step", ("applied", "accepted", "taxed"), "withdrawn",
         "REGISTRAR", "The registrar withdraws a sale.", note=REASON, party=True, batch=True),
    Verb("hold", 12, "deposit", "deposit", (NEW, "released"), "held", "HOUSING",
         "The housing authority records a deposit held in escrow.",
         params=(Param("purpose", choice(PURPOSES, "a purpose"), "What it secures.",
                       tuple(PURPOSES)),
                 Param("amount", fen, "Deposit: fen or yuan."),
                 Param("bank", str, "The escrow bank.", address=True)),
         note=_doc("agreement", "escrow", "escrow agreement")),
    Verb("release", 13, "deposit", "step", ("held",), "released", "HOUSING",
         "The housing authority releases the deposit.", note=REASON, party=True, batch=True),
    Verb("transfer", 14, "utility", "recordUtility", (NEW,), "transferred", "UTILITY",
         "A utility company moves its accounts to the buyers of a completed sale.",
         params=(Param("services", choice(SERVICES, "services"), "water, power, gas "
                       "(comma-separated)."),),
         note=Note("account", "secret", help="The new account number (only a keyed hash).")),
    Verb("open", 15, "audit", "audit", (NEW, "closed"), "open", "TAX",
         "The tax bureau opens an audit entry on the unit.",
         note=_doc("report", "audit", "audit report")),
    Verb("close", 16, "audit", "step", ("open",), "closed", "TAX",
         "The tax bureau closes its audit entry.", note=REASON, party=True, batch=True),
)
# fmt: on

CASE = register(
    CaseSpec(
        name="estate",
        number=6,
        title="Municipal real estate registration: owners, mortgages, seizures and sales.",
        summary="units with owners' shares, mortgages, court seizures, signed sales",
        contract="RealEstateRegistry",
        kinds=(
            Kind("unit", 1, ("registered",), "unit number", parse_unit),
            Kind(
                "mortgage", 2, ("registered", "consented", "released"), "unit number", parent="unit"
            ),
            Kind("seizure", 3, ("frozen", "lifted"), "unit number", parent="unit"),
            Kind(
                "sale",
                4,
                ("applied", "accepted", "taxed", "completed", "withdrawn"),
                "unit number",
                parent="unit",
            ),
            Kind("deposit", 5, ("held", "released"), "unit number", parent="unit"),
            Kind("utility", 6, ("transferred",), "unit number", parent="sale"),
            Kind("audit", 7, ("open", "closed"), "unit number", parent="unit"),
        ),
        verbs=VERBS,
        documents=(
            DocumentType("certificate", 1, "unit", "REGISTRAR", party=True),
            DocumentType("mortgage", 2, "mortgage", "REGISTRAR", party=True),
            DocumentType("order", 3, "seizure", "COURT", party=True),
            DocumentType("deed", 4, "sale", "REGISTRAR", party=True),
            DocumentType("escrow", 5, "deposit", "HOUSING", party=True),
            DocumentType("audit", 6, "audit", "TAX", party=True),
        ),
        readers=("REGISTRAR", "SUPERVISOR"),
        details={
            "owners": lambda v: [parse_address(a) for a in v],
            "shares": lambda v: [int(s) for s in v],
            "since": int,
            "seizures": int,
            "sale": int,
            "mortgage": bytes,
            "bank": str,
            "amount": int,
            "consent": int,
            "purpose": int,
            "services": int,
        },
        formats={
            "owners": lambda v: ", ".join(v) or "-",
            "shares": show_shares,
            "buyers": lambda v: ", ".join(v),
            "since": show_time,
            "amount": lambda v: yuan(int(v)) if int(v) else "-",
            "total": lambda v: show_shares([int(v)]),
            "mortgage": lambda v: "-" if v == bytes(32) else "0x" + bytes(v).hex(),
            "consent": lambda v: {MOVE: "move", RELEASE: "release"}.get(int(v), "-"),
            "purpose": lambda v: {1: "pre-sale", 2: "rental"}.get(int(v), "-"),
            "services": _names(SERVICES),
        },
        sentences={
            "BadOwners": "A unit has 1 to 4 distinct owners, each with a share ({count} given).",
            "BadShares": "The shares must add up to 100% (they add up to {total}).",
            "InvalidAmount": "An amount must be positive.",
            "InvalidOption": "That option ({option}) is not one of the allowed ones.",
            "NotALender": "{bank} is not an active bank (lender).",
            "NotOfUnit": "That item is not of this unit.",
            "UnitSeized": "The unit is seized by a court: no sale or new mortgage until lifted.",
            "AlreadyMortgaged": "The unit is mortgaged already: its bank releases it first.",
            "MortgageNotConsented": (
                "The unit is mortgaged and its bank has not consented to this sale."
            ),
            "NoAgreement": "{account} has not signed these terms (every owner and buyer must).",
            "WrongTerms": "Those are not the buyers and shares of the sale as applied.",
            "StaleSale": "A later sale of this unit was filed: this one cannot complete.",
            "SaleNotCompleted": "That sale is not completed yet.",
        },
        client="govchain.cases.estate.client:EstateClient",
        cli="govchain.cases.estate.cli:extend",
        demo="govchain.cases.estate.demo:run",
        walkthrough="govchain.cases.estate.demo:WALKTHROUGH",
    )
)
