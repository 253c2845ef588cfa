"""The worked example of a case, used only in tests (docs/adding-a-case.md walks through it).

Registering it is all it takes: SDK methods, CLI verbs, deployment, error sentences and the
shared behaviour tests follow from this spec and contracts/testing/ToyPermits.sol.
"""

from __future__ import annotations

from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.framework.casebase.registry import register
from govchain.framework.casebase.spec import (
    NEW,
    CaseSpec,
    DocumentType,
    Kind,
    Note,
    Verb,
    Walkthrough,
)

PLAN = Note("plan", "document", "plan", help="The plan of the event.")
REASON = Note("reason", "code", help="A reason code.")

# fmt: off
VERBS = (  # name, number, kind, function, from-states, to-state, role, help; what it takes
    Verb("request", 1, "permit", "request", (NEW, "refused"), "applied", "APPLICANT",
         "Request a permit.", note=PLAN),
    Verb("approve", 2, "permit", "step", ("applied",), "approved", "OFFICER",
         "Approve a requested permit.", batch=True),
    Verb("refuse", 3, "permit", "step", ("applied",), "refused", "OFFICER",
         "Refuse a requested permit.", note=REASON, batch=True),
    Verb("close", 4, "permit", "step", ("approved",), "closed", "APPLICANT",
         "Close an approved permit.", party=True, batch=True),
)
WALKTHROUGH = Walkthrough(
    reference=lambda n: f"EVENT-{n:05d}",
    paths=(
        (("request", "retailer", {"plan": b"stage"}), ("approve", "haidian", {}),
         ("close", "retailer", {})),
        (("request", "retailer", {"plan": b"x"}), ("refuse", "haidian", {"reason": "nuisance"}),
         ("request", "retailer", {"plan": b"quieter"})),
    ),
)
# fmt: on

TOY = register(
    CaseSpec(
        name="toy",
        number=0,
        title="Event permits (the worked example of a case).",
        contract="ToyPermits",
        kinds=(Kind("permit", 1, ("applied", "approved", "refused", "closed"), "permit number"),),
        verbs=VERBS,
        documents=(DocumentType("plan", 1, "permit", "APPLICANT", party=True),),
        readers=("OFFICER",),
        demo_setup="tests.toycase:grant_roles",
        walkthrough="tests.toycase:WALKTHROUGH",
    )
)


def grant_roles(gc: GovChain, admin: Sender) -> list[str]:
    """The demo's applicant and officer: existing cast members."""
    from govchain.devnet.cast import BY_KEY

    done = []
    for key, role in (("retailer", "APPLICANT"), ("haidian", "OFFICER")):
        if not gc.directory.holds(BY_KEY[key].address, [role])[0]:
            gc.directory.grant(admin, BY_KEY[key].address, role)
            done.append(f"granted {role} to {key}")
    return done
