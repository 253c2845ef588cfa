"""Certificate types: the catalogue, their derived roles, and revocation/suspension reasons.

On chain a type is ``keccak256(name)`` with a small code; the roles that may issue and revoke a
type are derived from its code (``GovChainCore.issuerRole(code)`` / ``revokerRole(code)``) and
named here ``<NAME>_ISSUER_ROLE`` / ``<NAME>_REVOKER_ROLE`` so clerks grant them by name:
``govchain participant grant market-regulator business_licence_issuer``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from govchain.chain import roles
from govchain.chain.abicodec import encode
from govchain.enums import parse_enum
from govchain.errors import InputError
from govchain.hashing import keccak

_ISSUER_DOMAIN = keccak(text="CERTIFICATE_ISSUER_ROLE")
_REVOKER_DOMAIN = keccak(text="CERTIFICATE_REVOKER_ROLE")
_BINDING_DOMAIN = keccak(text="GOVCHAIN_CERTIFICATE_BINDING")
GENERIC = "OA_DOCUMENT"


def issuer_role_id(code: int) -> bytes:
    """``GovChainCore.issuerRole(code)``, computed locally."""
    return keccak(encode(["bytes32", "uint16"], [_ISSUER_DOMAIN, code]))


def binding_leaf(chain_id: int, store: str, code: int, issuer: str) -> bytes:
    """``GovChainCore.bindingLeaf(code, issuer)``, computed locally: the leaf that binds a batch
    to ``issuer`` and type ``code`` on ``store`` (the core) and chain."""
    separator = keccak(
        encode(["bytes32", "uint256", "address"], [_BINDING_DOMAIN, chain_id, store])
    )
    return keccak(encode(["bytes32", "uint16", "address"], [separator, code, issuer]))


def revoker_role_id(code: int) -> bytes:
    """``GovChainCore.revokerRole(code)``, computed locally."""
    return keccak(encode(["bytes32", "uint16"], [_REVOKER_DOMAIN, code]))


def type_id(name: str) -> bytes:
    return keccak(text=normalise_name(name))


def normalise_name(name: str) -> str:
    text = name.strip().upper().replace("-", "_").replace(" ", "_")
    if not text or not all(c.isalnum() or c == "_" for c in text):
        raise InputError(f"'{name}' is not a certificate type name (letters, digits and _).")
    return text


@dataclass(frozen=True)
class TypeInfo:
    """What the catalogue knows about a type beyond its on-chain code."""

    name: str
    title: str
    fields: tuple[str, ...]  # fields a clerk must give
    valid_years: int | None  # default validity; None = no expiry
    issuers: tuple[str, ...] = ()  # demo-cast keys that issue it on the local chain
    revokers: tuple[str, ...] = ()
    holder_kind: str = "person"  # person | enterprise: what the holder identifier is


#: The certificate types the demo deploys (codes 2.. in this order; 1 is the generic OA_DOCUMENT).
CATALOGUE: tuple[TypeInfo, ...] = (
    TypeInfo(
        "BUSINESS_LICENCE",
        "Business Licence",
        ("companyName", "legalRepresentative", "registeredCapital", "businessScope", "address"),
        20,
        ("market-regulator", "edz"),
        ("market-regulator",),
        "enterprise",
    ),
    TypeInfo(
        "FOOD_BUSINESS_PERMIT",
        "Food Business Permit",
        ("companyName", "premises", "category"),
        5,
        ("market-regulator",),
        ("market-regulator",),
        "enterprise",
    ),
    TypeInfo(
        "HIGH_TECH_ENTERPRISE",
        "High-Tech Enterprise Certificate",
        ("companyName", "technologyField"),
        3,
        ("sci-tech", "haidian"),
        ("sci-tech",),
        "enterprise",
    ),
    TypeInfo(
        "ID_CARD",
        "Resident Identity Card",
        ("name", "gender", "birthDate", "address"),
        10,
        ("haidian", "xicheng", "chaoyang", "shunyi", "edz"),
        ("bureau",),
    ),
    TypeInfo(
        "DRIVING_LICENCE",
        "Driving Licence",
        ("name", "licenceClass"),
        6,
        ("haidian", "xicheng", "chaoyang", "shunyi", "edz"),
        ("bureau",),
    ),
    TypeInfo(
        "MARRIAGE_CERTIFICATE",
        "Marriage Certificate",
        ("spouse1Name", "spouse2Name", "registeredOn"),
        None,
        ("haidian", "xicheng", "chaoyang", "shunyi", "edz"),
        ("bureau", "court"),
    ),
    TypeInfo(
        "UNEMPLOYMENT_REGISTRATION",
        "Unemployment Registration",
        ("name", "lastEmployer"),
        1,
        ("hr",),
        ("hr",),
    ),
    TypeInfo(
        "KYC_ATTESTATION",
        "Enterprise KYC Attestation",
        ("companyName", "level", "dossierHash"),
        1,
        ("bank-bob", "bank-icbc", "bank-ccb"),
        ("bank-bob", "bank-icbc", "bank-ccb"),
        "enterprise",
    ),
    # Issued by the district service hubs (cases 8-12) on completing an application.
    TypeInfo(
        "RESIDENCE_PERMIT",
        "Residence Permit",
        ("name", "address", "since"),
        1,
        ("haidian", "xicheng", "chaoyang", "shunyi", "edz"),
        ("bureau",),
    ),
    TypeInfo(
        "WORK_PERMIT",
        "Foreigner's Work Permit",
        ("name", "employer", "position"),
        1,
        ("chaoyang", "edz", "haidian"),
        ("bureau",),
    ),
    TypeInfo(
        "TAX_REGISTRATION",
        "Tax Registration",
        ("companyName", "taxOffice"),
        None,
        ("tax", "edz", "xicheng", "chaoyang"),
        ("tax",),
        "enterprise",
    ),
    TypeInfo(
        "SEAL_PERMIT",
        "Company Seal Permit",
        ("companyName", "seals"),
        None,
        ("edz", "xicheng", "chaoyang"),
        ("bureau",),
        "enterprise",
    ),
    TypeInfo(
        "SOCIAL_INSURANCE_REGISTRATION",
        "Social Insurance Registration",
        ("companyName", "insuranceNumber"),
        None,
        ("social-insurance", "edz", "shunyi"),
        ("social-insurance",),
        "enterprise",
    ),
    TypeInfo(
        "CONSTRUCTION_PERMIT",
        "Construction Works Permit",
        ("companyName", "project", "site"),
        2,
        ("housing", "shunyi", "edz", "chaoyang"),
        ("housing",),
        "enterprise",
    ),
    TypeInfo(
        "ELDERLY_CARD",
        "Senior Citizen Card",
        ("name", "birthDate"),
        None,
        ("haidian", "xicheng", "chaoyang", "shunyi", "edz"),
        ("bureau",),
    ),
)
GENERIC_INFO = TypeInfo(GENERIC, "Document", (), None)
BY_NAME: dict[str, TypeInfo] = {t.name: t for t in (GENERIC_INFO, *CATALOGUE)}


@dataclass(frozen=True)
class CertificateType:
    """A type as defined on chain."""

    code: int
    type_id: bytes
    name: str | None  # None when the id matches no known name
    info: TypeInfo | None = field(default=None, compare=False)
    store: str = field(default="", compare=False)  # the type's document store address

    @property
    def label(self) -> str:
        return self.name or "0x" + self.type_id.hex()

    @property
    def title(self) -> str:
        return self.info.title if self.info else self.label

    @property
    def issuer_role(self) -> str:
        return f"{self.label}_ISSUER_ROLE"

    @property
    def revoker_role(self) -> str:
        return f"{self.label}_REVOKER_ROLE"


def register_role_names(ctype: CertificateType) -> None:
    """Let ``roles`` resolve and print this type's issuer and revoker role names."""
    if ctype.name:
        roles.define(ctype.issuer_role, issuer_role_id(ctype.code))
        roles.define(ctype.revoker_role, revoker_role_id(ctype.code))


class RevocationReason(IntEnum):
    """Why a certificate was revoked (final)."""

    UNSPECIFIED = 1
    SUPERSEDED = 2
    ISSUED_IN_ERROR = 3
    FRAUD = 4
    HOLDER_REQUEST = 5
    COURT_ORDER = 6
    DEREGISTERED = 7


class SuspensionReason(IntEnum):
    """Why a certificate was suspended (reversible)."""

    UNDER_INVESTIGATION = 1
    COURT_ORDER = 2
    HOLDER_REQUEST = 3
    ADMINISTRATIVE = 4


def parse_reason(enum: type[IntEnum], text: str | int) -> int:
    """A reason by name (``fraud``) or number."""
    return int(parse_enum(enum, text, "a reason"))
