"""Case 8 — the Haidian service hub and unemployment benefits: each rule tried both ways.

Departments approve only their own pending step; prerequisites are checked on chain (type,
issued, in force) and by the SDK against the documents (naming the applicant); the office
completes only when every department approved, with a certificate of the service's type;
overdue steps show; a claim is approved only under a live grant of the claimant's records for
that claim; payouts only on an active claim, month by month; one active claim per person across
every enrolled hub; stopped on re-employment, which frees the person.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govchain.cases.haidian import demo
from govchain.cases.haidian.client import HaidianClient
from govchain.chain import artifacts
from govchain.chain.contracts import Contract
from govchain.chain.reverts import MissingRole
from govchain.chain.tx import Sender, TxRequest
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import GovChainError
from govchain.framework.casebase.errors import ItemExists, WrongState
from govchain.framework.casebase.hub import PrerequisiteMissing
from govchain.framework.certificates.documents import Draft

Actor = Callable[[str], Sender]
HT = "high-tech-enterprise"
CODE = "91110302MA00000001"
_n = itertools.count(1)
CITIZEN = cast.CITIZEN_BY_KEY["citizen-zhang"]


def hub(gc: GovChain) -> HaidianClient:
    client = gc.case("haidian")
    assert isinstance(client, HaidianClient)
    return client


def ref() -> str:
    return f"HD-T-{next(_n):06d}"


def person() -> str:
    return f"1101081985{next(_n):08d}"


def applied(gc: GovChain, actor: Actor) -> str:
    r = ref()
    certs = demo.licence(hub(gc), actor, r)["certificates"]
    hub(gc).act("apply", actor("biotech"), r, service=HT, certificates=certs, dossier=b"D")
    return r


def err(gc: GovChain, name: str) -> type[Exception]:
    found: type[Exception] = getattr(hub(gc).spec.errors, name)
    return found


# -- applications ----------------------------------------------------------------------------
def test_each_department_approves_its_own_step_only(gc: GovChain, actor: Actor) -> None:
    h, r = hub(gc), applied(gc, actor)
    with pytest.raises(err(gc, "NotADepartment")):
        h.act("approve", actor("hr"), r)  # a department, not one of this service's
    with pytest.raises(MissingRole):
        h.act("approve", actor("biotech"), r)  # not a department at all
    h.act("approve", actor("finance"), r)
    with pytest.raises(err(gc, "NotADepartment")):
        h.act("approve", actor("finance"), r)  # its step is done
    assert h.spec.show("pending", h.get(r).pending) == "step 1, step 3"
    with pytest.raises(err(gc, "StillPending")):
        h.act("complete", actor("haidian"), r)
    with pytest.raises(GovChainError, match="not ready to complete"):
        h.complete_with_certificates(actor("haidian"), r, fields=demo.HIGH_TECH, holder=CODE)
    h.act("approve", actor("tax"), r)
    h.act("approve", actor("sci-tech"), r)
    with pytest.raises(err(gc, "NotThisDistrict")):  # another district's office
        h.act("complete", actor("xicheng"), r, **demo.high_tech(h, actor, r))
    (document,) = h.complete_with_certificates(
        actor("haidian"), r, fields=demo.HIGH_TECH, holder=CODE
    )
    assert h.certificates.verify(document).valid
    assert h.get(r).state == "completed"
    completed = [e for e in h.history(r) if e.name == "Transition"][-1]
    assert bytes(completed["ref"]).hex() == document["signature"]["targetHash"]


def test_one_rejection_rejects_and_the_applicant_may_file_again(gc: GovChain, actor: Actor) -> None:
    h, r = hub(gc), applied(gc, actor)
    h.act("approve", actor("sci-tech"), r)
    h.act("reject", actor("tax"), r, reason="incomplete")
    assert h.get(r).state == "rejected"
    with pytest.raises(WrongState):
        h.act("approve", actor("finance"), r)
    certs = demo.licence(h, actor, r)["certificates"]
    h.act("apply", actor("biotech"), r, service=HT, certificates=certs, dossier=b"D2")
    assert h.get(r).pending == 0b111  # every department again


def test_prerequisites_checked_on_chain(gc: GovChain, actor: Actor) -> None:
    h = hub(gc)
    with pytest.raises(err(gc, "MissingCertificate"), match="Business Licence"):
        h.act("apply", actor("biotech"), ref(), service=HT, dossier=b"D")
    wrong = demo.id_card(h, actor, "")["certificates"]  # another type
    with pytest.raises(err(gc, "MissingCertificate"), match="Business Licence"):
        h.act("apply", actor("biotech"), ref(), service=HT, certificates=wrong, dossier=b"D")
    licence = demo.licence(h, actor, "")["certificates"]
    h.certificates.suspend(actor("market-regulator"), licence[0], "court_order")
    with pytest.raises(err(gc, "CertificateNotInForce")):
        h.act("apply", actor("biotech"), ref(), service=HT, certificates=licence, dossier=b"D")
    h.certificates.reinstate(actor("market-regulator"), licence[0])
    h.act("apply", actor("biotech"), ref(), service=HT, certificates=licence, dossier=b"D")
    h.certificates.revoke(actor("market-regulator"), licence[0], "fraud")
    with pytest.raises(err(gc, "CertificateNotInForce")):
        h.act("apply", actor("biotech"), ref(), service=HT, certificates=licence, dossier=b"D")


def test_a_certificate_from_another_district_counts(gc: GovChain, actor: Actor) -> None:
    h = hub(gc)
    fields = {"name": CITIZEN.name, "gender": "F", "birthDate": "1990-03-07", "address": "X"}
    card = h.certificates.issue(
        actor("xicheng"), "id_card", Draft(fields, holder=CITIZEN.id_number)
    )
    ordered = h.check_prerequisites("flexible-employment-subsidy", [card], CITIZEN.id_number)
    h.act("file", actor("haidian"), ref(), service="flexible-employment-subsidy",
          applicant=CITIZEN.id_number, certificates=ordered, dossier=b"F")  # fmt: skip


def test_the_sdk_names_the_missing_certificate_and_checks_the_holder(
    gc: GovChain, actor: Actor
) -> None:
    h = hub(gc)
    licence = demo.licence(h, actor, "")["certificates"]
    assert h.check_prerequisites(HT, licence, CODE) == licence
    with pytest.raises(PrerequisiteMissing, match="Business Licence"):
        h.check_prerequisites(HT, [], CODE)
    with pytest.raises(PrerequisiteMissing, match="Business Licence"):
        h.check_prerequisites(HT, licence, "91110108MA00000009")  # someone else's


def test_completion_takes_a_certificate_of_the_service_type(gc: GovChain, actor: Actor) -> None:
    h, r = hub(gc), applied(gc, actor)
    for key in ("sci-tech", "finance", "tax"):
        h.act("approve", actor(key), r)
    licence = demo.licence(h, actor, r)["certificates"][0]
    with pytest.raises(err(gc, "MissingCertificate")):
        h.act("complete", actor("haidian"), r, certificates=[licence])
    with pytest.raises(err(gc, "MissingCertificate")):
        h.act("complete", actor("haidian"), r)  # none at all


def test_overdue_steps_are_visible(gc: GovChain, actor: Actor) -> None:
    h, r = hub(gc), applied(gc, actor)
    h.act("approve", actor("sci-tech"), r)
    assert not [o for o in h.overdue() if o.record.id == h.resolve(r)]
    gc.chain.rpc.call("evm_increaseTime", [17 * 86400])  # finance and tax have 15 days
    gc.chain.rpc.call("evm_mine")
    late = [o for o in h.overdue() if o.record.id == h.resolve(r)]
    assert late and late[0].departments == ("FINANCE", "TAX")
    h.act("approve", actor("finance"), r)
    late = [o for o in h.overdue() if o.record.id == h.resolve(r)]
    assert late[0].departments == ("TAX",)


def test_services_are_the_office_s_own(gc: GovChain, actor: Actor) -> None:
    h = hub(gc)
    with pytest.raises(err(gc, "NotThisDistrict")):
        h.contract.transact(actor("xicheng"), "retireService", 1)
    with pytest.raises(err(gc, "ServiceExists")):
        h.define_services  # noqa: B018 - defined already by the demo setup
        h.contract.transact(actor("haidian"), "defineService", 1, [bytes(31) + b"\1"], [1], [], [])
    h.contract.transact(actor("haidian"), "retireService", 2)
    with pytest.raises(err(gc, "UnknownService")):
        h.act("file", actor("haidian"), ref(), service=2, applicant=CITIZEN.id_number,
              certificates=demo.id_card(h, actor, "")["certificates"], dossier=b"F")  # fmt: skip


# -- benefits --------------------------------------------------------------------------------
def claimed(gc: GovChain, actor: Actor) -> str:
    p = person()
    hub(gc).act("claim_benefit", actor("haidian"), p, claimant=CITIZEN.address)
    return p


def test_a_claim_is_approved_only_under_a_grant_for_it(gc: GovChain, actor: Actor) -> None:
    h, p, other = hub(gc), claimed(gc, actor), claimed(gc, actor)
    fund = cast.BY_KEY["social-insurance"].address
    with pytest.raises(GovChainError):  # no such grant
        h.act("approve_benefit", actor("hr"), p, provider=fund, consent=999)
    for_other = demo.records_consent(h, actor, other)
    with pytest.raises(err(gc, "GrantNotFor")):
        h.act("approve_benefit", actor("hr"), p, **for_other)
    granted = demo.records_consent(h, actor, p)
    with pytest.raises(MissingRole):  # the provider must be the social-insurance fund
        h.act("approve_benefit", actor("hr"), p, provider=cast.BY_KEY["tax"].address,
              consent=granted["consent"])  # fmt: skip
    h.act("approve_benefit", actor("hr"), p, **granted)
    assert h.get(p, "benefit").state == "active"


def test_payouts_only_on_an_active_claim_month_by_month(gc: GovChain, actor: Actor) -> None:
    h, p = hub(gc), claimed(gc, actor)
    with pytest.raises(WrongState):
        h.act("pay_benefit", actor("hr"), p, month="2026-11", amount="1880.00")
    h.act("approve_benefit", actor("hr"), p, **demo.records_consent(h, actor, p))
    h.act("pay_benefit", actor("hr"), p, month="2026-11", amount="1880.00")
    with pytest.raises(err(gc, "InvalidMonth")):
        h.act("pay_benefit", actor("hr"), p, month="2026-11", amount="1880.00")  # paid already
    with pytest.raises(err(gc, "InvalidMonth")):
        h.act("pay_benefit", actor("hr"), p, month="2026-10", amount="1880.00")
    h.act("pay_benefit", actor("hr"), p, month="2026-12", amount=188050)
    record = h.get(p, "benefit")
    assert (record.paid, record.payouts, record.lastMonth) == (376050, 2, 202612)
    h.act("stop_benefit", actor("hr"), p, reason="re-employed")
    with pytest.raises(WrongState):
        h.act("pay_benefit", actor("hr"), p, month="2027-01", amount="1880.00")


def test_one_active_claim_per_person_stop_frees_it(gc: GovChain, actor: Actor) -> None:
    h, p = hub(gc), claimed(gc, actor)
    assert h.has_active_claim(p)
    with pytest.raises(ItemExists):
        h.act("claim_benefit", actor("haidian"), p, claimant=CITIZEN.address)
    h.act("approve_benefit", actor("hr"), p, **demo.records_consent(h, actor, p))
    h.act("stop_benefit", actor("hr"), p, reason="re-employed")
    assert not h.has_active_claim(p)
    h.act("claim_benefit", actor("haidian"), p, claimant=CITIZEN.address)  # unemployed again
    h.act("reject_benefit", actor("hr"), p, reason="not-eligible")
    assert not h.has_active_claim(p)


def other_hub(gc: GovChain, actor: Actor) -> Contract:
    """A second district hub (another deployment of the hub's code), enrolled in the registry."""
    art = artifacts.load("HaidianHub")
    core, sharing = gc.book.address("GovChainCore"), gc.book.address("DataSharing")
    registry = gc.contract("ClaimRegistry")
    data = art.interface.encode_deploy(art.bytecode, [core, sharing, registry.address])
    address = actor("bureau").send(TxRequest(None, data)).contract_address
    assert address is not None
    registry.transact(actor("bureau"), "enrol", address, True)
    return Contract(gc.chain, "HaidianHub", address)


def test_a_second_claim_in_another_district_is_refused(gc: GovChain, actor: Actor) -> None:
    h, p = hub(gc), claimed(gc, actor)
    other = other_hub(gc, actor)
    key = b"\x01" * 32
    with pytest.raises(GovChainError, match="already has an active"):
        other.transact(actor("haidian"), "claim", key, CITIZEN.address, h.commit(p))
    h.act("reject_benefit", actor("hr"), p, reason="not-eligible")
    other.transact(actor("haidian"), "claim", key, CITIZEN.address, h.commit(p))
    assert h.has_active_claim(p)
    with pytest.raises(GovChainError, match="already has an active"):
        h.act("claim_benefit", actor("haidian"), p, claimant=CITIZEN.address)
    q = claimed(gc, actor)
    with pytest.raises(GovChainError, match="not the person's active claim"):  # p is not q
        h.contract.transact(actor("hr"), "rejectClaim", h.resolve(q, "benefit"), h.commit(p),
                            bytes(32))  # fmt: skip


def test_an_unenrolled_hub_cannot_open_claims(gc: GovChain, actor: Actor) -> None:
    other = other_hub(gc, actor)
    gc.contract("ClaimRegistry").transact(actor("bureau"), "enrol", other.address, False)
    with pytest.raises(GovChainError, match="not enrolled"):
        other.transact(actor("haidian"), "claim", b"\x02" * 32, CITIZEN.address, b"\x03" * 32)


# -- properties ------------------------------------------------------------------------------
DEPARTMENTS = ("sci-tech", "finance", "tax")


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    moves=st.lists(
        st.tuples(
            st.sampled_from(["approve", "reject", "complete"]),
            st.sampled_from([*DEPARTMENTS, "hr", "haidian"]),
        ),
        max_size=8,
    )
)
def test_the_application_machine(gc: GovChain, actor: Actor, moves: list[Any]) -> None:
    h, r = hub(gc), applied(gc, actor)
    approved: set[str] = set()
    state = "applied"
    for verb, who in moves:
        try:
            if verb == "complete":
                h.complete_with_certificates(actor(who), r, fields=demo.HIGH_TECH, holder=CODE)
            else:
                h.act(verb, actor(who), r, **({"reason": "incomplete"} if verb == "reject" else {}))
        except GovChainError:
            continue
        assert state == "applied"
        if verb == "complete":
            assert who == "haidian" and approved == set(DEPARTMENTS)
            state = "completed"
        else:
            assert who in DEPARTMENTS and who not in approved
            if verb == "approve":
                approved.add(who)
            else:
                state = "rejected"
    record = h.get(r)
    assert record.state == state
    pending = {d for i, d in enumerate(DEPARTMENTS) if record.pending >> i & 1}
    assert pending == (set(DEPARTMENTS) - approved if state == "applied" else pending)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    moves=st.lists(
        st.tuples(st.sampled_from(["claim", "approve", "stop", "reject"]), st.integers(0, 1)),
        max_size=10,
    )
)
def test_one_active_claim_per_person_whatever_the_sequence(
    gc: GovChain, actor: Actor, moves: list[Any]
) -> None:
    h = hub(gc)
    people = [person(), person()]
    active: set[str] = set()
    for verb, which in moves:
        p = people[which]
        try:
            if verb == "claim":
                h.act("claim_benefit", actor("haidian"), p, claimant=CITIZEN.address)
            elif verb == "approve":
                h.act("approve_benefit", actor("hr"), p, **demo.records_consent(h, actor, p))
            else:
                h.act(f"{verb}_benefit", actor("hr"), p, reason="not-eligible")
        except GovChainError:
            continue
        if verb == "claim":
            assert p not in active
            active.add(p)
        elif verb in ("stop", "reject"):
            active.discard(p)
    for p in people:
        assert h.has_active_claim(p) == (p in active)


def test_the_demo_runs(gc: GovChain) -> None:
    lines: list[str] = []
    demo.run(gc, lines.append)
    text = "\n".join(lines)
    assert "refused" in text and "VALID" in text and "active citywide: False" in text
