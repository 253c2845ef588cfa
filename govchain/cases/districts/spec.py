"""Cases 9–12 as specs: each district's hub with its catalogue from the services file."""

from __future__ import annotations

from govchain.framework.casebase.hub import catalogue, hub_spec
from govchain.framework.casebase.registry import register
from govchain.framework.casebase.servicedata import load_services
from govchain.framework.casebase.spec import CaseSpec

#: (case name, number, contract, title, one-line summary)
DISTRICTS = (
    ("xicheng", 9, "XichengHub", "Xicheng district government services.",
     "Xicheng service hub: residence permits, financial institutions, company set-up"),
    ("chaoyang", 10, "ChaoyangHub", "Chaoyang district government services.",
     "Chaoyang service hub: foreign professionals and enterprises, permits"),
    ("shunyi", 11, "ShunyiHub", "Shunyi district: rule-based automatic services.",
     "Shunyi service hub: services approved by the contract when certificates are in force"),
    ("edz", 12, "EdzHub", "E-Town (Beijing Economic-Technological Development Area) one-stop zone.",
     "E-Town one-stop zone: one application, every department, all certificates at once"),
)  # fmt: skip
DEMO = "govchain.cases.districts.demo"


def _spec(name: str, number: int, contract: str, title: str, summary: str) -> CaseSpec:
    return hub_spec(
        name=name,
        number=number,
        title=title,
        summary=summary,
        contract=contract,
        services=catalogue(name, load_services(name)),
        client="govchain.framework.casebase.hub:HubClient",
        cli="govchain.cases.districts.cli:extend",
        demo=f"{DEMO}:run_{name}",
        demo_setup=f"{DEMO}:setup_{name}",
        walkthrough=f"{DEMO}:WALKTHROUGH_{name.upper()}",
    )


CASES = tuple(register(_spec(*district)) for district in DISTRICTS)
