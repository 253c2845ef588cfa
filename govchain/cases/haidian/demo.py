"""Demo: an enterprise certified high-tech by three departments in parallel (its certificate
issued through the framework), a citizen's unemployment claim checked against social-insurance
records under consent, paid monthly, refused a second time, stopped on re-employment."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from govchain.cases.haidian.client import HaidianClient
from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import GovChainError
from govchain.framework.casebase.spec import Walkthrough
from govchain.framework.certificates.documents import Draft

Say = Callable[[str], None]
Actor = Callable[[str], Sender]
LICENCE = {"companyName": "Yizhuang Biomedical Co., Ltd.", "legalRepresentative": "Chen Jie",
           "registeredCapital": "50,000,000 yuan", "businessScope": "Diagnostic reagents",
           "address": "Kechuang 6th Street"}  # fmt: skip
HIGH_TECH = {"companyName": "Yizhuang Biomedical Co., Ltd.", "technologyField": "Biomedicine"}
CITIZEN = cast.CITIZEN_BY_KEY["citizen-zhang"]


def _future(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%d")


def setup(gc: GovChain, admin: Sender) -> list[str]:
    """The Haidian office defines its catalogue."""
    client = gc.case("haidian")
    assert isinstance(client, HaidianClient)
    office = gc.sender(cast.BY_KEY["haidian"].account)
    return [f"haidian service {s}" for s in client.define_services(office)]


def licence(client: Any, actor: Actor, reference: str) -> Mapping[str, Any]:
    """The enterprise's business licence (the prerequisite), issued by the market regulator."""
    draft = Draft(LICENCE, holder="91110302MA00000001")
    return {"certificates": [client.certificates.issue(actor("market-regulator"),
                                                       "business_licence", draft)]}  # fmt: skip


def id_card(client: Any, actor: Actor, reference: str) -> Mapping[str, Any]:
    """The citizen's ID card (the prerequisite), issued by the district."""
    fields = {"name": CITIZEN.name, "gender": "F", "birthDate": "1990-03-07", "address": "Haidian"}
    document = client.certificates.issue(actor("haidian"), "id_card",
                                         Draft(fields, holder=CITIZEN.id_number))  # fmt: skip
    return {"certificates": [document]}


def high_tech(client: Any, actor: Actor, reference: str) -> Mapping[str, Any]:
    """The certificate the office issues on completion."""
    draft = Draft(HIGH_TECH, holder="91110302MA00000001")
    return {"certificates": [client.certificates.issue(actor("haidian"), "high_tech_enterprise",
                                                       draft)]}  # fmt: skip


def records_consent(client: Any, actor: Actor, reference: str) -> Mapping[str, Any]:
    """HR asks for the claimant's social-insurance records, the fund approves it for this
    claim, the citizen consents in the app (a signature HR relays)."""
    assert isinstance(client, HaidianClient)
    hr, fund = actor("hr"), actor("social-insurance")
    client.list_records(fund)  # once: the fund's contribution records in the catalogue
    request = client.request_records(hr, reference, until=_future(60))
    client.grant_records(fund, request, reference, until=_future(30))
    sharing = client.exchange.client
    deadline, signature = sharing.sign_consent(CITIZEN.account, request)
    sharing.submit_consent(hr, request, deadline, signature)
    return {"provider": fund.address, "consent": request}


# fmt: off
WALKTHROUGH = Walkthrough(
    reference=lambda n: f"1101081990{n % 10**8:08d}",
    paths=(
        (("apply", "biotech", {"service": "high-tech-enterprise", "dossier": b"R&D DOSSIER"}),
         ("approve", "sci-tech", {}),
         ("approve", "finance", {}),
         ("approve", "tax", {}),
         ("complete", "haidian", {})),
        (("file", "haidian", {"service": "flexible-employment-subsidy",
                              "applicant": CITIZEN.id_number, "dossier": b"SUBSIDY FORM"}),
         ("reject", "hr", {"reason": "not-eligible"})),
        (("claim_benefit", "haidian", {"claimant": CITIZEN.address}),
         ("approve_benefit", "hr", {"provider": "@social-insurance", "consent": 1}),
         ("pay_benefit", "hr", {"month": "2026-11", "amount": "1880.00", "payment_ref": "P-1"}),
         ("stop_benefit", "hr", {"reason": "re-employed"})),
        (("claim_benefit", "haidian", {"claimant": CITIZEN.address}),
         ("reject_benefit", "hr", {"reason": "not-eligible"})),
    ),
    before={"apply": licence, "file": id_card, "complete": high_tech,
            "approve_benefit": records_consent},
)
# fmt: on


def run(gc: GovChain, say: Say) -> str:
    hub = gc.case("haidian")
    assert isinstance(hub, HaidianClient)
    who = {k: gc.sender(cast.BY_KEY[k].account) for k in
           ("biotech", "sci-tech", "finance", "tax", "haidian", "hr", "social-insurance",
            "market-regulator", "xicheng")}  # fmt: skip
    actor = who.__getitem__
    stamp = datetime.now(UTC).strftime("%H%M%S%f")[:10]
    ref = f"HD-HT-{stamp}"
    say(f"Haidian service hub: high-tech enterprise certification ({ref}).")
    documents = licence(hub, actor, ref)["certificates"]
    try:
        hub.act("apply", who["biotech"], ref, service="high-tech-enterprise", dossier=b"R&D")
    except GovChainError as exc:
        say(f"  1. Applying without the business licence is refused: {exc.message}")
    ordered = hub.check_prerequisites("high-tech-enterprise", documents, "91110302MA00000001")
    hub.act("apply", who["biotech"], ref, service="high-tech-enterprise", certificates=ordered,
            dossier=b"R&D DOSSIER: patents, R&D spend 2024-2026, staff")  # fmt: skip
    say("  2. With its licence (checked on chain: issued, in force) the application is filed")
    try:
        hub.act("approve", who["hr"], ref)
    except GovChainError as exc:
        say(f"  3. HR tries to approve: {exc.message}")
    for key in ("sci-tech", "finance", "tax"):
        hub.act("approve", who[key], ref)
    say("  4. Science and technology commission, finance and tax approve, in parallel")
    (certificate,) = hub.complete_with_certificates(who["haidian"], ref, fields=HIGH_TECH,
                                                    holder="91110302MA00000001")  # fmt: skip
    verdict = "VALID" if hub.certificates.verify(certificate).valid else "?"
    say(f"  5. The Haidian office issues the certificate and completes it: {verdict}")
    claim = f"11010819900307{stamp[-4:]}"
    say(f"Unemployment benefit of {CITIZEN.name} (ID number kept off chain).")
    hub.act("claim_benefit", who["haidian"], claim, claimant=CITIZEN.address)
    say("  6. The Haidian counter files the claim; the citywide registry records it")
    consent = records_consent(hub, actor, claim)
    hub.act("approve_benefit", who["hr"], claim, **consent)
    say(f"  7. HR checks social-insurance records under consent #{consent['consent']}; approves")
    for month in ("2026-11", "2026-12"):
        hub.act("pay_benefit", who["hr"], claim, month=month, amount="1880.00")
    say(f"  8. Two monthly payouts: {hub.spec.show('paid', hub.get(claim, 'benefit').paid)}")
    try:
        hub.act("claim_benefit", who["haidian"], claim, claimant=CITIZEN.address)
    except GovChainError as exc:
        say(f"  9. A second claim is refused: {exc.message}")
    hub.act("stop_benefit", who["hr"], claim, reason="re-employed")
    say(f" 10. Re-employed: the claim stops (active citywide: {hub.has_active_claim(claim)})")
    return ref
