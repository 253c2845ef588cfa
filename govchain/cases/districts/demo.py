"""Demos of cases 9–12: a company set up in Xicheng; a residence permit issued in Xicheng
accepted by Chaoyang for a foreign professional's work permit; Shunyi approving by rule with no
clerk (and refusing a revoked certificate); an E-Town start-up approved by three departments in
parallel and given its three certificates in one batch."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import GovChainError
from govchain.framework.casebase.hub import HubClient
from govchain.framework.casebase.hubdemo import (
    CITIZEN,
    ENTERPRISE_CODE,
    HOOKS,
    demo_fields,
    prerequisites,
    setup_for,
)
from govchain.framework.casebase.spec import Walkthrough

Say = Callable[[str], None]

setup_xicheng = setup_for("xicheng")
setup_chaoyang = setup_for("chaoyang")
setup_shunyi = setup_for("shunyi")
setup_edz = setup_for("edz")

# fmt: off
WALKTHROUGH_XICHENG = Walkthrough(
    reference=lambda n: f"XC-2026-{n:06d}",
    paths=(
        (("apply", "retailer", {"service": "company-setup", "dossier": b"ARTICLES"}),
         ("approve", "tax", {}), ("approve", "market-regulator", {}),
         ("complete", "xicheng", {})),
        (("file", "xicheng", {"service": "residence-permit", "applicant": CITIZEN.id_number,
                              "dossier": b"TENANCY"}),
         ("reject", "housing", {"reason": "incomplete"})),
    ),
    before=HOOKS,
)
WALKTHROUGH_CHAOYANG = Walkthrough(
    reference=lambda n: f"CY-2026-{n:06d}",
    paths=(
        (("file", "chaoyang", {"service": "foreign-work-permit", "applicant": CITIZEN.id_number,
                               "dossier": b"CONTRACT"}),
         ("approve", "hr", {}), ("approve", "market-regulator", {}),
         ("complete", "chaoyang", {})),
        (("apply", "retailer", {"service": "outdoor-advertising", "dossier": b"DESIGN"}),
         ("reject", "housing", {"reason": "nuisance"})),
    ),
    before=HOOKS,
)
WALKTHROUGH_SHUNYI = Walkthrough(
    reference=lambda n: f"SY-2026-{n:06d}",
    paths=(
        (("apply", "biotech", {"service": "social-insurance-registration", "dossier": b"STAFF"}),
         ("complete", "shunyi", {})),
        (("file", "shunyi", {"service": "unemployment-registration",
                             "applicant": CITIZEN.id_number, "dossier": b"TERMINATION"}),
         ("approve", "hr", {}), ("complete", "shunyi", {})),
        (("file", "shunyi", {"service": "unemployment-registration",
                             "applicant": CITIZEN.id_number, "dossier": b"TERMINATION"}),
         ("reject", "hr", {"reason": "not-eligible"})),
    ),
    before=HOOKS,
)
WALKTHROUGH_EDZ = Walkthrough(
    reference=lambda n: f"ET-2026-{n:06d}",
    paths=(
        (("apply", "biotech", {"service": "business-startup", "dossier": b"ARTICLES"}),
         ("approve", "market-regulator", {}), ("approve", "tax", {}), ("approve", "finance", {}),
         ("complete", "edz", {})),
        (("file", "edz", {"service": "elderly-card", "applicant": CITIZEN.id_number,
                          "dossier": b"PHOTO"}),
         ("reject", "hr", {"reason": "not-eligible"})),
    ),
    before=HOOKS,
)
# fmt: on


def _hub(gc: GovChain, name: str) -> HubClient:
    client = gc.case(name)
    assert isinstance(client, HubClient)
    return client


def _who(gc: GovChain, key: str) -> Sender:
    return gc.sender(cast.BY_KEY[key].account)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%H%M%S%f")[:10]


def run_xicheng(gc: GovChain, say: Say) -> str:
    hub, ref = _hub(gc, "xicheng"), f"XC-SETUP-{_stamp()}"
    say(f"Xicheng: company set-up for Xidan Fresh Foods ({ref}).")
    shown = prerequisites(hub, lambda k: _who(gc, k), ref, {"service": "company-setup"})
    hub.act("apply", _who(gc, "retailer"), ref, service="company-setup",
            dossier=b"ARTICLES, OFFICERS", **shown)  # fmt: skip
    say("  1. The enterprise applies with its business licence (checked on chain)")
    for key in ("tax", "market-regulator"):
        hub.act("approve", _who(gc, key), ref)
    say("  2. Tax and market regulation approve, in parallel")
    fields = {t: demo_fields(t) for t in hub.service("company-setup").issues}
    documents = hub.complete_with_certificates(_who(gc, "xicheng"), ref, fields=fields,
                                               holder=ENTERPRISE_CODE)  # fmt: skip
    say(f"  3. Tax registration and seal permit issued together: {len(documents)} certificates")
    return ref


def run_chaoyang(gc: GovChain, say: Say) -> str:
    """A residence permit from Xicheng is the prerequisite of a Chaoyang work permit."""
    xicheng, chaoyang = _hub(gc, "xicheng"), _hub(gc, "chaoyang")
    stamp = _stamp()
    permit_ref, work_ref = f"XC-RP-{stamp}", f"CY-WP-{stamp}"
    say(f"Chaoyang: a work permit for {CITIZEN.name}, resident in Xicheng ({work_ref}).")
    id_card = prerequisites(xicheng, lambda k: _who(gc, k), permit_ref,
                            {"service": "residence-permit"})  # fmt: skip
    xicheng.act("file", _who(gc, "xicheng"), permit_ref, service="residence-permit",
                applicant=CITIZEN.id_number, dossier=b"TENANCY", **id_card)  # fmt: skip
    for key in ("housing", "hr"):
        xicheng.act("approve", _who(gc, key), permit_ref)
    (permit,) = xicheng.complete_with_certificates(
        _who(gc, "xicheng"),
        permit_ref,
        fields=demo_fields("RESIDENCE_PERMIT"),
        holder=CITIZEN.id_number,
    )
    say("  1. Xicheng issues the residence permit (housing and HR approved)")
    try:
        chaoyang.act("file", _who(gc, "chaoyang"), work_ref, service="foreign-work-permit",
                     applicant=CITIZEN.id_number, dossier=b"CONTRACT")  # fmt: skip
    except GovChainError as exc:
        say(f"  2. Without it Chaoyang refuses: {exc.message}")
    ordered = chaoyang.check_prerequisites("foreign-work-permit", [permit], CITIZEN.id_number)
    chaoyang.act("file", _who(gc, "chaoyang"), work_ref, service="foreign-work-permit",
                 applicant=CITIZEN.id_number, certificates=ordered,
                 dossier=b"CONTRACT")  # fmt: skip
    say("  3. With Xicheng's permit (checked on chain, whichever district issued it) it is filed")
    for key in ("hr", "market-regulator"):
        chaoyang.act("approve", _who(gc, key), work_ref)
    (work,) = chaoyang.complete_with_certificates(
        _who(gc, "chaoyang"),
        work_ref,
        fields=demo_fields("WORK_PERMIT"),
        holder=CITIZEN.id_number,
    )
    verdict = "VALID" if chaoyang.certificates.verify(work).valid else "NOT VALID"
    say(f"  4. HR and the permit agency approve; Chaoyang issues the work permit: {verdict}")
    return work_ref


def run_shunyi(gc: GovChain, say: Say) -> str:
    hub, ref = _hub(gc, "shunyi"), f"SY-SI-{_stamp()}"
    service = "social-insurance-registration"
    say(f"Shunyi: {hub.service(service).title} ({ref}).")
    shown = prerequisites(hub, lambda k: _who(gc, k), ref, {"service": service})
    hub.act("apply", _who(gc, "biotech"), ref, service=service, dossier=b"STAFF LIST", **shown)
    record = hub.get(ref)
    pending = hub.spec.show("pending", record.fields["pending"])
    say(
        f"  1. Licence and tax registration in force: approved by the contract (pending: {pending})"
    )
    (document,) = hub.complete_with_certificates(
        _who(gc, "shunyi"),
        ref,
        fields=demo_fields("SOCIAL_INSURANCE_REGISTRATION"),
        holder=ENTERPRISE_CODE,
    )
    say("  2. The office's issuing service issues the registration; no clerk approved")
    again = f"{ref}-2"
    tax = shown["certificates"][1]
    hub.certificates.revoke(_who(gc, "tax"), tax, "issued-in-error")
    try:
        hub.act("apply", _who(gc, "biotech"), again, service=service, dossier=b"STAFF", **shown)
    except GovChainError as exc:
        say(f"  3. With the tax registration revoked, the rule refuses: {exc.message}")
    assert hub.certificates.verify(document).valid
    return ref


def run_edz(gc: GovChain, say: Say) -> str:
    hub, ref = _hub(gc, "edz"), f"ET-BS-{_stamp()}"
    service = hub.service("business-startup")
    say(f"E-Town one-stop zone: {service.title} for Yizhuang Biomedical ({ref}).")
    hub.act("apply", _who(gc, "biotech"), ref, service=service.name, dossier=b"ARTICLES")
    say(f"  1. One application fans out to {', '.join(service.departments).lower()}")
    for key in ("market-regulator", "tax", "finance"):
        hub.act("approve", _who(gc, key), ref)
    say("  2. All three approve in parallel, each within its deadline")
    documents = hub.complete_with_certificates(
        _who(gc, "edz"),
        ref,
        fields={t: demo_fields(t) for t in service.issues},
        holder=ENTERPRISE_CODE,
    )
    valid = sum(hub.certificates.verify(d).valid for d in documents)
    say(f"  3. {len(documents)} certificates issued together ({valid} valid): "
        + ", ".join(hub.certificates.type(t).title for t in service.issues))  # fmt: skip
    return ref
