"""Case 7 as a spec: business licences (the certificate's on-chain record) and linked permits.

The market regulator issues an enterprise's licence from any terminal — counter, kiosk, mobile
app, web — as an electronic certificate of the framework plus this record: one per credit code
(a second issuance is refused whichever terminal tries), the certificate's hash, a version raised
by each amendment, and the states active, suspended, revoked, cancelled. Other agencies link their
permits (``CREDITCODE/PERMIT-NO``) to an active licence. An enterprise presents its licence to a
named counterparty with an expiring EIP-712 authorisation (``licence present`` / ``licence
check``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
from govchain.framework.creditcode import parse_credit_code
from govchain.hashing import keccak
from govchain.inputs import read_json

CHANNELS = {"counter": 1, "kiosk": 2, "mobile": 3, "web": 4}
CHANNEL_NAMES = {v: k for k, v in CHANNELS.items()}
#: The published catalogue of permit types other agencies link to a licence.
PERMIT_TYPES = (
    "food-business",
    "medical-device",
    "road-transport",
    "construction",
    "liquor-retail",
)
PERMIT_NAMES = {keccak(text=p): p for p in PERMIT_TYPES}


def channel(text: str | int) -> int:
    key = str(text).strip().lower()
    if key.isdigit() and int(key) in CHANNEL_NAMES:
        return int(key)
    if key not in CHANNELS:
        raise InputError(f"'{text}' is not an issuing channel ({', '.join(CHANNELS)}).")
    return CHANNELS[key]


def permit_type(text: str) -> bytes:
    key = str(text).strip().lower()
    if key not in PERMIT_TYPES:
        raise InputError(f"'{text}' is not a permit type ({', '.join(PERMIT_TYPES)}).")
    return keccak(text=key)


def certificate_hash(value: Any) -> bytes:
    """A licence certificate's target hash: from the wrapped OpenAttestation document (a dict or
    its file), or the hash itself (0x + 64 hex digits)."""
    if isinstance(value, bytes) and len(value) == 32:
        return value
    if isinstance(value, dict):
        document: Any = value
    else:
        text = str(value).strip()
        if text.lower().startswith("0x") and len(text) == 66:
            try:
                return bytes.fromhex(text[2:])
            except ValueError:
                pass
        document = read_json(Path(text), "licence certificate")
    target = document.get("signature", {}).get("targetHash") if isinstance(document, dict) else None
    if not isinstance(target, str) or len(target) != 64:
        raise InputError("That is not a wrapped licence certificate (no signature.targetHash).")
    try:
        return bytes.fromhex(target)
    except ValueError:
        raise InputError("The certificate's targetHash is not hexadecimal.") from None


def parse_permit(text: str) -> str:
    """A permit ``CREDITCODE/PERMIT-NO`` (its licence's credit code, then its number)."""
    code, sep, number = str(text).partition("/")
    if not sep or not number.strip():
        raise InputError(f"'{text}' is not a permit (CREDITCODE/PERMIT-NO).")
    return f"{parse_credit_code(code)}/{plain_reference(number)}"


def licence_part(text: str) -> str:
    return parse_credit_code(str(text).split("/", 1)[0])


ENTERPRISE = Param(
    "enterprise", str, "The enterprise's account (it presents the licence).", address=True
)
CHANNEL = Param("channel", channel, "The terminal it came through.", tuple(CHANNELS))
CERTIFICATE = Param("certificate", certificate_hash, "The licence certificate (wrapped document).")
REASON = Note("reason", "code", optional=True, help="Reason code from the catalogue.")

# fmt: off
VERBS = (  # name, number, kind, function, from-states, to-state, role, help; what it takes
    Verb("issue", 1, "licence", "issueLicence", (NEW,), "active", "MARKET_REGULATOR",
         "The market regulator issues an enterprise's licence (one per credit code, any terminal).",
         params=(ENTERPRISE, CHANNEL, CERTIFICATE)),
    Verb("amend", 2, "licence", "amend", ("active",), "active", "MARKET_REGULATOR",
         "Amend a licence: a new certificate and version; the old one is superseded.",
         params=(CHANNEL, CERTIFICATE)),
    Verb("suspend", 3, "licence", "step", ("active",), "suspended", "MARKET_REGULATOR",
         "Suspend a licence.", note=REASON, batch=True),
    Verb("reinstate", 4, "licence", "step", ("suspended",), "active", "MARKET_REGULATOR",
         "Reinstate a suspended licence.", batch=True),
    Verb("revoke", 5, "licence", "step", ("active", "suspended"), "revoked", "MARKET_REGULATOR",
         "Revoke a licence.", note=REASON, batch=True),
    Verb("cancel", 6, "licence", "step", ("active", "suspended"), "cancelled", "MARKET_REGULATOR",
         "Cancel a licence on the enterprise's deregistration.", note=REASON, batch=True),
    Verb("grant", 7, "permit", "grantPermit", (NEW,), "valid", "PERMIT_AGENCY",
         "An agency links its permit CREDITCODE/PERMIT-NO to the enterprise's active licence.",
         params=(Param("licence", derive=licence_part, item="licence"),
                 Param("permit_type", permit_type, "Permit type.", PERMIT_TYPES)),
         note=Note("permit", "document", "permit", help="The permit document (sealed).")),
    Verb("withdraw", 8, "permit", "step", ("valid",), "withdrawn", "PERMIT_AGENCY",
         "The agency withdraws its permit.", note=REASON, party=True, batch=True),
)
# fmt: on


def _hash(value: Any) -> str:
    return "-" if value == bytes(32) else "0x" + bytes(value).hex()


CASE = register(
    CaseSpec(
        name="licence",
        number=7,
        title="Multi-terminal business licensing: one licence per enterprise, presented.",
        summary="business licences from any terminal, versioned, with permits and presentations",
        contract="BusinessLicensing",
        kinds=(
            Kind(
                "licence",
                1,
                ("active", "suspended", "revoked", "cancelled"),
                "credit code",
                licence_part,
                unique=True,
            ),
            Kind(
                "permit", 2, ("valid", "withdrawn"), "permit (CREDITCODE/PERMIT-NO)", parse_permit
            ),
        ),
        verbs=VERBS,
        documents=(DocumentType("permit", 1, "permit", "PERMIT_AGENCY", party=True),),
        readers=("MARKET_REGULATOR",),
        details={
            "enterprise": str,
            "version": int,
            "channel": int,
            "certificate": bytes,
            "licence": bytes,
            "permitType": bytes,
        },
        formats={
            "channel": lambda v: CHANNEL_NAMES.get(int(v), "-"),
            "certificate": _hash,
            "licence": _hash,
            "permitType": lambda v: PERMIT_NAMES.get(bytes(v), "-"),
        },
        sentences={
            "InvalidChannel": "Say which terminal issued it (counter, kiosk, mobile, web).",
            "NoEnterprise": "Name the enterprise the licence belongs to.",
            "LicenceNotActive": "The licence is not active.",
            "PresentationExpired": "The authorisation has expired.",
            "NotTheHolder": "The authorisation was not signed by the licence's holder for you.",
        },
        client="govchain.cases.licence.client:LicensingClient",
        cli="govchain.cases.licence.cli:extend",
        demo="govchain.cases.licence.demo:run",
        walkthrough="govchain.cases.licence.demo:WALKTHROUGH",
    )
)
