"""District service hubs (cases 8–12): one mechanism, a few lines per district.

A district's contract inherits ``ServiceHub`` (contracts/core/ServiceHub.sol) with its division
code; its spec comes from :func:`hub_spec` with the district's service catalogue and whatever the
district adds (Haidian's benefit claims). Every hub then has the same verbs — ``apply`` (an
enterprise itself), ``file`` (a counter clerk for a citizen), ``approve`` / ``reject`` (each
pending department, its own step), ``complete`` (the district office, with every certificate the
service issues, issued together through the certificate framework) — and :class:`HubClient`: the
catalogue, prerequisites checked against the applicant's documents, completion with the
certificates, overdue steps. A district that allows them defines automatic services (no
department: the contract approves on filing). Catalogues load from ``govchain/data/services.json``
(:func:`load_services`).

Prerequisites are checked twice: the contract checks each presented certificate is issued as
the required type, in its batch and in force (revoked, suspended, expired: refused), and
:meth:`HubClient.check_prerequisites` checks, with the documents in hand, that they verify
fully and name this applicant (the chain holds no certificate contents).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from govchain.chain.results import Receipt
from govchain.chain.roles import role_id
from govchain.chain.tx import Sender
from govchain.errors import ContractRevert, GovChainError, InputError, revert_error
from govchain.framework.casebase.client import CaseClient, Record, Target
from govchain.framework.casebase.spec import (
    NEW,
    CaseSpec,
    DocumentType,
    Kind,
    Note,
    Param,
    Verb,
)
from govchain.framework.certificates.documents import Draft
from govchain.framework.certificates.registry import DocumentRef
from govchain.framework.certificates.types import CATALOGUE
from govchain.framework.identity import person_id
from govchain.inputs import read_json

#: Verb codes of ServiceHub.sol (a district's own verbs follow them).
HUB_VERBS = 5
STEPS = 8  # most departments a service names


@dataclass(frozen=True)
class Service:
    """A service of a district's catalogue."""

    name: str  # "high-tech-enterprise": what clerks type
    code: int  # its number in the district's catalogue (on chain)
    title: str
    #: Departments that must approve: directory role names ("REVIEWER") or accounts ("0x…").
    departments: tuple[str, ...]
    deadline_days: tuple[int, ...]  # per department, from the filing day
    requires: tuple[str, ...] = ()  # certificate types an applicant must hold
    #: Certificate types issued on completion, all at once (none: nothing is issued).
    issues: tuple[str, ...] = ()
    applicant: str = "enterprise"  # enterprise (applies itself) | citizen (filed at the counter)
    #: Documents the old process asked for, and those the platform now fetches itself
    #: (data sharing or certificates) — the paperwork the applicant no longer hands in.
    paperwork: tuple[str, ...] = ()
    fetched: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.departments) > STEPS or len(self.deadline_days) != len(self.departments):
            raise ValueError(f"service {self.name}: at most {STEPS} departments, a deadline each")
        if not self.departments and not self.requires:
            raise ValueError(f"service {self.name}: an automatic service requires a certificate")

    @property
    def automatic(self) -> bool:
        """Approved by the contract itself when every required certificate is in force."""
        return not self.departments

    @property
    def handed_in(self) -> tuple[str, ...]:
        """The documents an applicant still hands in."""
        return tuple(d for d in self.paperwork if d not in self.fetched)

    def department(self, step: int) -> str:
        return self.departments[step]


def department_id(name: str) -> bytes:
    """A department as ServiceHub stores it: a role id, or an account as bytes32."""
    text = name.strip()
    if text.lower().startswith("0x") and len(text) == 42:
        return bytes(12) + bytes.fromhex(text[2:])
    return role_id(text)


# -- parameters ----------------------------------------------------------------------------
def _document(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    found = read_json(Path(str(value).strip()), "certificate")
    if not isinstance(found, dict):
        raise InputError(f"{value} is not a certificate (a wrapped document).")
    return found


def presented_one(value: Any) -> tuple[bytes, bytes, list[bytes]]:
    """A certificate as ServiceHub takes it (root, target hash, proof): from a wrapped document
    (a dict or its file), or zeros for none."""
    if value is None or value == "" or value == ():
        return (bytes(32), bytes(32), [])
    if isinstance(value, tuple) and len(value) == 3:
        return value
    try:
        ref = DocumentRef.of(_document(value))
    except (KeyError, TypeError, ValueError):
        raise InputError("That is not a wrapped certificate (no signature).") from None
    return (ref.root, ref.target, list(ref.proof))


def presented(value: Any) -> list[tuple[bytes, bytes, list[bytes]]]:
    """Prerequisite certificates: documents, or their files comma-separated, in the service's
    order of required types."""
    if value is None or value == "":
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [presented_one(v) for v in items if v != ""]


def type_name(code: Any) -> str:
    """A certificate type code as the demo catalogue names it (codes 2.. in catalogue order)."""
    number = int(code)
    if 2 <= number < 2 + len(CATALOGUE):
        return CATALOGUE[number - 2].title
    return f"type {number}"


def _pending(bits: Any) -> str:
    value = int(bits)
    return ", ".join(f"step {i + 1}" for i in range(STEPS) if value >> i & 1) or "-"


def _day(value: Any) -> str:
    days = int(value)
    return (
        "-"
        if not days
        else (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=days)).date().isoformat()
    )


#: Sentences of ServiceHub's own errors (every district hub raises them).
HUB_SENTENCES = {
    "MissingCertificate": (
        "The applicant holds no valid {code} certificate: present one of that type, "
        "issued and in force."
    ),
    "CertificateNotInForce": "The {code} certificate presented is revoked, suspended or expired.",
    "NotADepartment": "You are not a department with a pending step on this application "
    "(another department's step, or already done).",
    "StillPending": "Departments have not all approved yet ({pending}).",
    "UnknownService": "There is no open service {service} in this district.",
    "ServiceExists": "Service {service} is defined already.",
    "InvalidService": "Service {service}: 1-8 departments with a deadline each, at most 4 "
    "required certificate types.",
    "NotThisDistrict": "Only this district's office may do that.",
}
#: Sentences of the citywide ClaimRegistry's errors (they reach a hub's caller unchanged).
CLAIM_SENTENCES = {
    "ClaimActive": "This person already has an active benefit claim (in this or another "
    "district): it must be stopped first.",
    "NotThisClaim": "That claim is not the person's active claim.",
    "NotEnrolled": "This hub is not enrolled in the citywide claim registry.",
}
_READABLE = {"code": type_name, "pending": _pending}


def _readable(args: dict[str, Any], context: str) -> dict[str, str]:
    return {k: _READABLE[k](v) for k, v in args.items() if k in _READABLE}


for _contract, _sentences in (
    ("ServiceHub", HUB_SENTENCES),
    ("DistrictHub", HUB_SENTENCES),  # the districts' base: its ABI declares ServiceHub's errors
    ("ClaimRegistry", CLAIM_SENTENCES),
):
    for _name, _sentence in _sentences.items():
        _cls = type(_name, (ContractRevert,), {"readable_args": staticmethod(_readable)})
        revert_error(_name, _sentence, contract=_contract)(_cls)


# -- the spec builder ----------------------------------------------------------------------
def hub_spec(
    *,
    name: str,
    number: int,
    title: str,
    contract: str,
    services: Sequence[Service],
    reference: str = "application number",
    kinds: Sequence[Kind] = (),
    verbs: Sequence[Verb] = (),
    details: Mapping[str, Callable[[Any], Any]] | None = None,
    formats: Mapping[str, Callable[[Any], str]] | None = None,
    sentences: Mapping[str, str] | None = None,
    **plugins: Any,
) -> CaseSpec:
    """The spec of a district hub: the hub's kind, verbs, documents, details and sentences,
    plus the district's own (``kinds``, ``verbs`` from code 6, ``details`` fields its contract
    adds to ``details(id)``, …). ``plugins`` are CaseSpec's plug-in points and links."""
    catalogue = {s.name: s for s in services}

    def service(text: Any) -> int:
        if isinstance(text, int):
            return text
        key = str(text).strip().lower()
        if key.isdigit():
            return int(key)
        if key not in catalogue:
            raise InputError(f"'{text}' is not a {name} service (one of: {', '.join(catalogue)}).")
        return catalogue[key].code

    names = {s.code: s.name for s in services}
    svc = Param("service", service, "The service applied for.", tuple(catalogue))
    certs = Param(
        "certificates",
        presented,
        "Prerequisite certificates (files, comma-separated, in the service's order).",
        default="",
    )
    dossier = Note("dossier", "document", "dossier", help="The application dossier (sealed).")
    # fmt: off
    hub_verbs = (
        Verb("apply", 1, "application", "submit", (NEW, "rejected"), "applied", "ENTERPRISE",
             "An enterprise applies for a service itself, with its prerequisite certificates.",
             params=(svc, certs), note=dossier),
        Verb("file", 2, "application", "fileFor", (NEW, "rejected"), "applied", "DISTRICT_OFFICE",
             "A counter clerk files a citizen's application (ID number kept as a commitment).",
             params=(svc, Param("applicant", str, "The citizen's ID number.", secret=True),
                     certs), note=dossier),
        Verb("approve", 3, "application", "step", ("applied",), "applied", "DEPARTMENT",
             "A department approves its own step of an application.", batch=True),
        Verb("reject", 4, "application", "step", ("applied",), "rejected", "DEPARTMENT",
             "A department rejects an application, with a reason code.",
             note=Note("reason", "code", help="Reason code from the catalogue."), batch=True),
        Verb("complete", 5, "application", "complete", ("applied",), "completed",
             "DISTRICT_OFFICE",
             "The district office completes an approved application with its certificates.",
             params=(Param("certificates", presented,
                           "The certificates issued (files, comma-separated, in the service's "
                           "order of types).", default=""),)),
    )
    # fmt: on
    return CaseSpec(
        name=name,
        number=number,
        title=title,
        contract=contract,
        kinds=(
            Kind("application", 1, ("applied", "rejected", "completed"), reference, unique=True),
            *kinds,
        ),
        verbs=(*hub_verbs, *verbs),
        documents=(DocumentType("dossier", 1, "application", "DEPARTMENT"),),
        readers=("DEPARTMENT", "DISTRICT_OFFICE"),
        details={
            "service": int,
            "pending": int,
            "overdue": int,
            "filedOn": int,
            **(details or {}),
        },
        formats={
            "service": lambda v: names.get(int(v), "-"),
            "pending": _pending,
            "overdue": _pending,
            "filedOn": _day,
            "code": type_name,
            **(formats or {}),
        },
        sentences={
            **HUB_SENTENCES,
            **CLAIM_SENTENCES,
            **(sentences or {}),
        },
        **plugins,
    )


# -- the client ----------------------------------------------------------------------------
class PrerequisiteMissing(GovChainError):
    """The applicant's documents do not cover a certificate type the service requires."""


@dataclass(frozen=True)
class Overdue:
    """An open application with steps past their deadline."""

    record: Record
    departments: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {**self.record.as_dict(), "overdueDepartments": list(self.departments)}


class HubClient(CaseClient):
    """A district hub's client: the generic verbs plus the catalogue, prerequisite checks,
    completion with the certificate and overdue steps (the district's catalogue comes from
    :func:`catalogue`)."""

    @property
    def services(self) -> tuple[Service, ...]:
        return _CATALOGUES.get(self.spec.name, ())

    def service(self, name: str | int) -> Service:
        for s in self.services:
            if name in (s.name, s.code):
                return s
        raise InputError(f"'{name}' is not a {self.spec.name} service.")

    # -- the catalogue ---------------------------------------------------------------------
    def define_services(self, office: Sender) -> list[str]:
        """Define every service of the district's catalogue not yet on chain (idempotent; one
        batch of transactions)."""
        found = self.contract.read_many([("serviceOf", (s.code,)) for s in self.services])
        missing = [
            s
            for s, on_chain in zip(self.services, found, strict=True)
            if not (on_chain["departments"] or on_chain["required"])
        ]
        office.send_many(
            [
                self.contract.tx(
                    "defineService",
                    s.code,
                    [department_id(d) for d in s.departments],
                    list(s.deadline_days),
                    [self.certificates.type(t).code for t in s.requires],
                    [self.certificates.type(t).code for t in s.issues],
                )
                for s in missing
            ]
        )
        return [s.name for s in missing]

    def catalogue(self) -> list[dict[str, Any]]:
        """The district's services as the chain holds them, with their names."""
        out = []
        views = self.contract.call_many([("serviceOf", (s.code,)) for s in self.services])
        for s, raw in zip(self.services, views, strict=True):
            if isinstance(raw, Exception):
                raise raw
            out.append(
                {
                    "service": s.name,
                    "code": s.code,
                    "title": s.title,
                    "onChain": bool(raw["departments"] or raw["required"]),
                    "automatic": s.automatic,
                    "active": bool(raw["active"]),
                    "departments": list(s.departments),
                    "deadlineDays": list(s.deadline_days),
                    "requires": list(s.requires),
                    "issues": list(s.issues),
                    "paperwork": list(s.paperwork),
                    "handedIn": list(s.handed_in),
                }
            )
        return out

    # -- applicants ------------------------------------------------------------------------
    def check_prerequisites(
        self, service: str | int, documents: Sequence[dict[str, Any]], holder: str | None = None
    ) -> list[dict[str, Any]]:
        """The applicant's documents in the order the service requires them: each verified
        (issued, in force, untampered), of the right type and — given the applicant's ID number
        or credit code — naming that holder. Raises :class:`PrerequisiteMissing` naming the
        certificate type otherwise."""
        s = self.service(service)
        verified = self.certificates.verify_many(list(documents)) if documents else []
        wanted = person_id(holder, self._secret()) if holder else None
        ordered = []
        for type_label in s.requires:
            code = self.certificates.type(type_label).code
            match = None
            for document, result in zip(documents, verified, strict=True):
                data_type = self._type_of(document)
                named = (document.get("data") or {}).get("holder", {})
                held = str(named.get("id", "")).split(":")[-1] if isinstance(named, dict) else ""
                if data_type == code and result.valid and (wanted is None or held == wanted):
                    match = document
                    break
            if match is None:
                title = self.certificates.type(type_label).title
                raise PrerequisiteMissing(
                    f"Service {s.name} needs a valid {title} certificate of the applicant: none "
                    "of the documents given is one (issued, in force, naming this applicant)."
                )
            ordered.append(match)
        return ordered

    def _type_of(self, document: dict[str, Any]) -> int:
        ref = DocumentRef.of(document)
        found = self.certificates.store.issuance(ref.root)
        return found.code if found else 0

    # -- the district office ---------------------------------------------------------------
    def complete_with_certificates(
        self,
        office: Sender,
        application: Target,
        *,
        fields: Mapping[str, Any],
        holder: str,
        valid_until: datetime | None = None,
    ) -> list[dict[str, Any]]:
        """Issue every certificate the service issues — together, in one batch of transactions
        (a Merkle root per type) — and complete the application with them; returns them in
        the service's order. ``fields`` holds each type's fields by type name (or, for a service
        issuing one type, that type's fields). Refused before anything is issued unless every
        department approved (or the contract did: an automatic service)."""
        record = self.get(application)
        if record.state != "applied" or int(record.fields["pending"]):
            raise InputError(
                f"Application {application!s} is {record.state}, pending "
                f"{self.spec.show('pending', record.fields['pending'])}: not ready to complete."
            )
        s = self.service(int(record.fields["service"]))
        by_type = _fields_by_type(s, fields, self.certificates.fields)
        issued = self.certificates.publish_many(
            office,
            [
                (t, [Draft(dict(by_type[t]), holder=holder, valid_until=valid_until)])
                for t in s.issues
            ],
        )
        documents = [i.documents[0] for i in issued]
        self.act("complete", office, application, certificates=documents)
        return documents

    def overdue(self) -> list[Overdue]:
        """Open applications with steps past their deadline, with those departments."""
        rows = self.items("application", state="applied")
        out = []
        for record in self.records([r.id for r in rows]) if rows else []:
            late = int(record.fields["overdue"])
            if late:
                s = self.service(int(record.fields["service"]))
                names = tuple(s.department(i) for i in range(STEPS) if late >> i & 1)
                out.append(Overdue(record, names))
        return out

    def approve_as(self, department: Sender, application: Target) -> Receipt:
        """Approve the department's own step of ``application``."""
        return self.act("approve", department, application)


def _fields_by_type(
    service: Service, fields: Mapping[str, Any], names: Callable[[str], Sequence[str]]
) -> dict[str, dict[str, Any]]:
    """Each issued type's fields: keyed by type name, or flat for a service issuing one.
    ``names`` gives a type's field names (for the error's example)."""
    wanted = {t.upper() for t in service.issues}
    keyed = {str(k).upper(): v for k, v in fields.items()}
    if wanted and set(keyed) >= wanted and all(isinstance(keyed[t], dict) for t in wanted):
        return {t: dict(keyed[t.upper()]) for t in service.issues}
    if len(service.issues) == 1:
        return {service.issues[0]: dict(fields)}
    if not service.issues:
        return {}
    shape = ", ".join(
        f"{json.dumps(t)}: {{{', '.join(f'{json.dumps(n)}: …' for n in names(t))}}}"
        for t in service.issues
    )
    raise InputError(
        f"Service {service.name} issues {', '.join(service.issues)}: give the fields of each, "
        f"keyed by type name: {{{shape}}}."
    )


#: District catalogues by case name (set by :func:`catalogue`).
_CATALOGUES: dict[str, tuple[Service, ...]] = {}


def catalogue(case: str, services: Sequence[Service]) -> tuple[Service, ...]:
    """Record ``case``'s service catalogue (the client reads it); returns it."""
    _CATALOGUES[case] = tuple(services)
    return _CATALOGUES[case]
