"""Case 3 as a spec: KYC attestations banks record, and other banks' reliance on them.

A bank that has verified an enterprise attests it under a keyed commitment of the enterprise's
unified social credit code (``kyc attest CODE``): the enterprise's account, a level, a validity,
and the dossier, sealed in the document store for the bank, the enterprise and the supervisors
(only its salted commitment goes on chain). The bank renews or withdraws it. Another bank reuses it
through the data-sharing framework — request, approval scoped to the attestation, the enterprise's
consent — gets the dossier delivered (logged with its commitment) and records its reliance
(``kyc reliance rely CODE --consent N``), which the contract refuses without a live grant.
"""

from __future__ import annotations

from govchain.errors import InputError
from govchain.framework.casebase.registry import register
from govchain.framework.casebase.spec import CaseSpec, DocumentType, Kind, Note, Param, Verb
from govchain.framework.casebase.values import count, show_time, unix_time
from govchain.framework.creditcode import parse_credit_code
from govchain.framework.sharing.client import NOT_LIVE

LEVELS = {"basic": 1, "standard": 2, "enhanced": 3}
LEVEL_NAMES = {v: k for k, v in LEVELS.items()}


def level(text: str | int) -> int:
    key = str(text).strip().lower()
    if key.isdigit() and int(key) in LEVEL_NAMES:
        return int(key)
    if key not in LEVELS:
        raise InputError(f"'{text}' is not a KYC level ({', '.join(LEVELS)}).")
    return LEVELS[key]


def consent(text: str | int) -> int:
    return count(text, "data-sharing request number")


ENTERPRISE = Param(
    "enterprise", str, "The enterprise's account (it consents to reuse).", address=True
)
LEVEL = Param("level", level, "KYC level.", tuple(LEVELS))
UNTIL = Param("valid_until", unix_time, "When the attestation expires (2027-12-31).")
CONSENT = Param("consent", consent, "The data-sharing request whose live grant allows reuse.")
DOSSIER = Note(
    "dossier", "document", "dossier", help="The KYC dossier (sealed, only its commitment on chain)."
)
REASON = Note("reason", "code", optional=True, help="Reason code from the catalogue.")

# fmt: off
VERBS = (  # name, number, kind, function, from-states, to-state, role, help; what it takes
    Verb("attest", 1, "attestation", "attest", ("",), "valid", "BANK",
         "A bank that verified an enterprise records its KYC attestation (credit code).",
         params=(ENTERPRISE, LEVEL, UNTIL), note=DOSSIER),
    Verb("renew", 2, "attestation", "renew", ("valid",), "valid", "BANK",
         "The attesting bank renews its attestation: new dossier, level and validity.",
         params=(LEVEL, UNTIL), note=DOSSIER, party=True),
    Verb("withdraw", 3, "attestation", "step", ("valid",), "withdrawn", "BANK",
         "The attesting bank withdraws its attestation.", note=REASON, party=True, batch=True),
    Verb("rely", 4, "reliance", "rely", ("", "ended"), "relied", "BANK",
         "Another bank records that it relies on the attestation, under a live consent.",
         params=(CONSENT,), method="rely"),
    Verb("end", 5, "reliance", "step", ("relied",), "ended", "BANK",
         "The relying bank ends its reliance.", party=True, batch=True),
)
# fmt: on

CASE = register(
    CaseSpec(
        name="kyc",
        number=3,
        title="Enterprise electronic identity: shared eKYC reused under consent.",
        summary="banks' KYC attestations, reused by other banks only under consent",
        contract="EnterpriseKyc",
        kinds=(
            Kind("attestation", 1, ("valid", "withdrawn"), "credit code", parse_credit_code),
            Kind("reliance", 2, ("relied", "ended"), "credit code", parent="attestation"),
        ),
        verbs=VERBS,
        documents=(DocumentType("dossier", 1, "attestation", "BANK", party=True),),
        readers=("SUPERVISOR",),
        links=("DataSharing",),
        details={
            "enterprise": str,
            "level": int,
            "validUntil": int,
            "expired": bool,
            "attestation": bytes,
        },
        formats={
            "level": lambda v: LEVEL_NAMES.get(int(v), str(v)),
            "validUntil": show_time,
            "attestation": lambda v: "-" if v == bytes(32) else "0x" + bytes(v).hex(),
            "reason": lambda v: NOT_LIVE.get(int(v), str(v)),
        },
        sentences={
            "InvalidLevel": "A KYC level is basic, standard or enhanced (1-3), not {level}.",
            "InvalidValidity": "An attestation must be valid until a time in the future.",
            "NoEnterprise": "Name the enterprise the attestation is about.",
            "AttestationNotValid": "That attestation was withdrawn: it cannot be relied on.",
            "AttestationExpired": (
                "That attestation expired ({validUntil}): its bank renews it first."
            ),
            "OwnAttestation": "A bank does not rely on its own attestation.",
            "GrantNotLive": "Consent #{requestId} is not live now ({reason}).",
        },
        client="govchain.cases.kyc.client:KycClient",
        cli="govchain.cases.kyc.cli:extend",
        demo="govchain.cases.kyc.demo:run",
        walkthrough="govchain.cases.kyc.demo:WALKTHROUGH",
    )
)
