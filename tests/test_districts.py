"""Cases 9–12 — the Xicheng, Chaoyang, Shunyi and E-Town hubs, and what the five hubs share.

The catalogue file is checked when loaded; a certificate issued in one district is a
prerequisite in another; departments approve only their own step; Shunyi's automatic services
are approved by the contract exactly when every required certificate is in force (and no other
district may define one); an E-Town one-stop service completes only with every certificate it
issues, issued together; `govchain service` forwards to the districts and measures the figures.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.errors import ConfigError, GovChainError, InputError
from govchain.framework.casebase.hub import HubClient
from govchain.framework.casebase.hubdemo import (
    CITIZEN,
    ENTERPRISE_CODE,
    completion,
    demo_fields,
    prerequisites,
)
from govchain.framework.casebase.servicedata import DISTRICTS, all_services
from govchain.framework.certificates.documents import Draft
from tests.test_cli import Env, run

Actor = Callable[[str], Sender]
_n = itertools.count(1)
SI = "social-insurance-registration"  # Shunyi, automatic: licence + tax registration


def hub(gc: GovChain, name: str) -> HubClient:
    client = gc.case(name)
    assert isinstance(client, HubClient)
    return client


def ref(prefix: str = "T") -> str:
    return f"{prefix}-{next(_n):06d}"


def err(gc: GovChain, district: str, name: str) -> type[Exception]:
    found: type[Exception] = getattr(hub(gc, district).spec.errors, name)
    return found


# -- the catalogue file ----------------------------------------------------------------------
def test_the_catalogue_has_forty_services_across_the_five_districts() -> None:
    services = all_services()
    assert set(services) == set(DISTRICTS)
    assert sum(len(s) for s in services.values()) >= 40
    assert any(s.automatic for s in services["shunyi"])
    assert any(len(s.issues) == 3 for s in services["edz"])
    for district in services.values():
        for s in district:
            assert set(s.handed_in) <= set(s.paperwork) and len(s.handed_in) < len(s.paperwork)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"departments": ["NO_SUCH"], "deadlineDays": [5]}, "department 'NO_SUCH' is not a role"),
        ({"requires": ["PASSPORT"]}, "certificate type 'PASSPORT'"),
        ({"fetched": ["a bribe"]}, "'fetched' lists a document"),
        ({"district": "mars"}, "unknown district 'mars'"),
        ({"applicant": "robot"}, "applicant must be one of"),
    ],
)
def test_a_bad_catalogue_entry_is_named_in_one_line(
    tmp_path: Path, change: dict[str, object], says: str
) -> None:
    entry = {"district": "xicheng", "code": 1, "name": "x", "title": "X",
             "departments": ["HR"], "deadlineDays": [5], "paperwork": ["ID card"],
             "fetched": ["ID card"]} | change  # fmt: skip
    path = tmp_path / "services.json"
    path.write_text(json.dumps({"services": [entry]}))
    with pytest.raises(ConfigError, match=f"service #1: .*{says}") as caught:
        all_services(path)
    assert "\n" not in str(caught.value)


# -- across districts ------------------------------------------------------------------------
def residence_permit_from_xicheng(gc: GovChain, actor: Actor) -> dict[str, object]:
    xicheng, r = hub(gc, "xicheng"), ref("XC")
    shown = prerequisites(xicheng, actor, r, {"service": "residence-permit"})
    xicheng.act("file", actor("xicheng"), r, service="residence-permit",
                applicant=CITIZEN.id_number, dossier=b"TENANCY", **shown)  # fmt: skip
    for key in ("housing", "hr"):
        xicheng.act("approve", actor(key), r)
    (permit,) = xicheng.complete_with_certificates(
        actor("xicheng"), r, fields=demo_fields("RESIDENCE_PERMIT"), holder=CITIZEN.id_number
    )
    return permit


def test_a_certificate_from_xicheng_is_a_prerequisite_in_chaoyang(
    gc: GovChain, actor: Actor
) -> None:
    chaoyang, r = hub(gc, "chaoyang"), ref("CY")
    with pytest.raises(err(gc, "chaoyang", "MissingCertificate"), match="Residence Permit"):
        chaoyang.act("file", actor("chaoyang"), r, service="foreign-work-permit",
                     applicant=CITIZEN.id_number, dossier=b"C")  # fmt: skip
    permit = residence_permit_from_xicheng(gc, actor)
    ordered = chaoyang.check_prerequisites("foreign-work-permit", [permit], CITIZEN.id_number)
    chaoyang.act("file", actor("chaoyang"), r, service="foreign-work-permit",
                 applicant=CITIZEN.id_number, certificates=ordered, dossier=b"C")  # fmt: skip
    assert chaoyang.get(r).state == "applied"
    with pytest.raises(GovChainError, match="Residence Permit"):  # someone else's permit
        chaoyang.check_prerequisites("foreign-work-permit", [permit], "110101199001011234")


def test_a_department_approves_only_its_own_step_in_every_district(
    gc: GovChain, actor: Actor
) -> None:
    xicheng, r = hub(gc, "xicheng"), ref("XC")
    shown = prerequisites(xicheng, actor, r, {"service": "company-setup"})
    xicheng.act("apply", actor("retailer"), r, service="company-setup", dossier=b"A", **shown)
    with pytest.raises(err(gc, "xicheng", "NotADepartment"), match="not a department"):
        xicheng.act("approve", actor("hr"), r)  # HR has no step in company set-up
    with pytest.raises(err(gc, "xicheng", "StillPending")):
        xicheng.act("complete", actor("xicheng"), r, **completion(xicheng, actor, r))
    xicheng.act("approve", actor("tax"), r)
    with pytest.raises(err(gc, "xicheng", "NotADepartment")):
        xicheng.act("approve", actor("tax"), r)  # its step is done
    xicheng.act("approve", actor("market-regulator"), r)
    with pytest.raises(err(gc, "xicheng", "NotThisDistrict")):
        xicheng.act("complete", actor("chaoyang"), r, **completion(xicheng, actor, r))


# -- Shunyi: automatic services ----------------------------------------------------------------
def test_an_automatic_service_is_approved_by_the_contract_without_any_clerk(
    gc: GovChain, actor: Actor
) -> None:
    shunyi, r = hub(gc, "shunyi"), ref("SY")
    shown = prerequisites(shunyi, actor, r, {"service": SI})
    shunyi.act("apply", actor("biotech"), r, service=SI, dossier=b"STAFF", **shown)
    assert int(shunyi.get(r).fields["pending"]) == 0  # approved on filing
    assert [e.name for e in shunyi.history(r)].count("AutoApproved") == 1
    with pytest.raises(err(gc, "shunyi", "NotADepartment")):
        shunyi.act("approve", actor("hr"), r)  # there is no step to approve
    (document,) = shunyi.complete_with_certificates(
        actor("shunyi"),
        r,
        fields=demo_fields("SOCIAL_INSURANCE_REGISTRATION"),
        holder=ENTERPRISE_CODE,
    )
    assert shunyi.get(r).state == "completed" and shunyi.certificates.verify(document).valid


def test_only_a_district_that_allows_them_defines_automatic_services(
    gc: GovChain, actor: Actor
) -> None:
    licence = hub(gc, "xicheng").certificates.type("business_licence").code
    with pytest.raises(err(gc, "xicheng", "InvalidService")):
        hub(gc, "xicheng").contract.transact(
            actor("xicheng"), "defineService", 90, [], [], [licence], []
        )
    with pytest.raises(err(gc, "shunyi", "InvalidService")):  # automatic: must require one
        hub(gc, "shunyi").contract.transact(actor("shunyi"), "defineService", 90, [], [], [], [])
    hub(gc, "shunyi").contract.transact(actor("shunyi"), "defineService", 90, [], [], [licence], [])


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(["fine", "revoked", "suspended", "other-type"]), min_size=2,
                max_size=2))  # fmt: skip
def test_automatic_approval_happens_exactly_when_every_certificate_is_in_force(
    gc: GovChain, actor: Actor, fates: list[str]
) -> None:
    shunyi, r = hub(gc, "shunyi"), ref("SYP")
    documents = list(prerequisites(shunyi, actor, r, {"service": SI})["certificates"])
    issuers = ("market-regulator", "tax")
    for i, fate in enumerate(fates):
        if fate == "revoked":
            shunyi.certificates.revoke(actor(issuers[i]), documents[i], "fraud")
        elif fate == "suspended":
            shunyi.certificates.suspend(actor(issuers[i]), documents[i], "administrative")
        elif fate == "other-type":  # a food permit shown in place of the required type
            draft = Draft(demo_fields("FOOD_BUSINESS_PERMIT"), holder=ENTERPRISE_CODE)
            documents[i] = shunyi.certificates.issue(
                actor("market-regulator"), "food_business_permit", draft
            )
    try:
        shunyi.act("apply", actor("biotech"), r, service=SI, dossier=b"S", certificates=documents)
        approved = int(shunyi.get(r).fields["pending"]) == 0
    except GovChainError:
        approved = False
    assert approved == all(f == "fine" for f in fates)


# -- E-Town: one-stop, every certificate at once -----------------------------------------------
def test_a_one_stop_service_completes_only_with_every_certificate_it_issues(
    gc: GovChain, actor: Actor
) -> None:
    edz, r = hub(gc, "edz"), ref("ET")
    edz.act("apply", actor("biotech"), r, service="business-startup", dossier=b"A")
    for key in ("market-regulator", "tax", "finance"):
        edz.act("approve", actor(key), r)
    three = list(completion(edz, actor, r)["certificates"])
    with pytest.raises(err(gc, "edz", "MissingCertificate"), match="Company Seal Permit"):
        edz.act("complete", actor("edz"), r, certificates=three[:2])
    with pytest.raises(err(gc, "edz", "MissingCertificate")):  # out of the service's order
        edz.act("complete", actor("edz"), r, certificates=[three[1], three[0], three[2]])
    with pytest.raises(InputError, match='"SEAL_PERMIT": {"companyName": …, "seals": …}'):
        edz.complete_with_certificates(actor("edz"), r, fields={}, holder=ENTERPRISE_CODE)
    documents = edz.complete_with_certificates(
        actor("edz"),
        r,
        fields={t: demo_fields(t) for t in edz.service("business-startup").issues},
        holder=ENTERPRISE_CODE,
    )
    assert edz.get(r).state == "completed" and len(documents) == 3
    assert all(edz.certificates.verify(d).valid for d in documents)
    issued = [e for e in edz.history(r) if e.name == "CertificateIssued"]
    assert [int(e["code"]) for e in issued] == [
        edz.certificates.type(t).code for t in ("business_licence", "tax_registration",
                                                "seal_permit")]  # fmt: skip


# -- one command for the five hubs -------------------------------------------------------------
def test_service_commands_reach_every_district_and_measure_the_figures(
    gc: GovChain, actor: Actor, cli_env: Env, tmp_path: Path
) -> None:
    shunyi, r = hub(gc, "shunyi"), ref("SYC")
    shown = prerequisites(shunyi, actor, r, {"service": SI})
    files = []
    for n, document in enumerate(shown["certificates"]):
        files.append(tmp_path / f"c{n}.json")
        files[-1].write_text(json.dumps(document))
    (tmp_path / "dossier.pdf").write_bytes(b"STAFF")
    applied = run(cli_env, "service", "apply", "--district", "shunyi", r, "--service", SI,
                  "--certificates", ",".join(map(str, files)), "--dossier",
                  str(tmp_path / "dossier.pdf"), "--from", "biotech")  # fmt: skip
    assert applied.exit_code == 0, applied.stderr
    fields = tmp_path / "fields.json"
    fields.write_text(json.dumps(demo_fields("SOCIAL_INSURANCE_REGISTRATION")))
    certify = run(cli_env, "service", "certify", "--district", "shunyi", r, "--holder",
                  ENTERPRISE_CODE, "--fields", str(fields), "--out", str(tmp_path / "si.json"),
                  "--from", "shunyi")  # fmt: skip
    assert certify.exit_code == 0, certify.stderr
    status = run(cli_env, "service", "status", "--district", "shunyi", r, "--json")
    assert json.loads(status.stdout)["state"] == "completed"
    catalog = json.loads(run(cli_env, "service", "catalog", "--district", "edz", "--json").stdout)
    assert len(catalog) == 8 and catalog[0]["issues"] == [
        "BUSINESS_LICENCE", "TAX_REGISTRATION", "SEAL_PERMIT"]  # fmt: skip
    stats = json.loads(run(cli_env, "service", "stats", "--json").stdout)
    shunyi_row = next(d for d in stats["districts"] if d["district"] == "shunyi")
    assert shunyi_row["completed"] >= 1 and shunyi_row["paperworkReduction"] > 0
    assert stats["published"]["enterpriseSubmissionReduction"] == 0.8
    assert "Published: 40%" in run(cli_env, "service", "stats").stdout
    bad = run(cli_env, "service", "apply", "--district", "mars", r)
    assert bad.exit_code == 2 and bad.stderr.startswith("error: ")
    assert run(cli_env, "benefit", "--help").exit_code == 0
    cases = json.loads(run(cli_env, "cases", "--json").stdout)
    real = [c for c in cases if c["case"] >= 1]  # the tests add a toy case 0
    assert sorted(c["case"] for c in real) == list(range(1, 13))
    assert all(c["address"] for c in real)
