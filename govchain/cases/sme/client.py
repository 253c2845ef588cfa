"""What the SME case adds to the generic client: the aggregated financial picture of an SME in one
call, and credit attestations shared with a lender under the SME's consent (the framework's
:class:`ItemSharing`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from govchain.cases.sme.spec import METRIC_NAMES
from govchain.framework.casebase.client import CaseClient
from govchain.framework.casebase.consent import ItemSharing
from govchain.framework.directory import parse_address


@dataclass(frozen=True)
class Attestation:
    metric: str
    agency: str
    state: str
    reference: bytes  # the attestation's id

    def as_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "agency": self.agency,
            "state": self.state,
            "id": "0x" + self.reference.hex(),
        }


@dataclass(frozen=True)
class Profile:
    """An SME's financial picture (amounts in fen): totals from the chain, counts and overdue
    receivables from its items."""

    sme: str
    contracts: int
    contracted: int
    invoices: dict[str, int]
    confirmed: int
    financed: int
    repaid: int
    outstanding: int  # financed receivables not yet repaid (their invoice amounts)
    overdue: int  # of which past their due date
    overdue_count: int
    attestations: list[Attestation] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sme": self.sme,
            "contracts": self.contracts,
            "contracted": self.contracted,
            "invoices": dict(self.invoices),
            "confirmed": self.confirmed,
            "financed": self.financed,
            "repaid": self.repaid,
            "outstanding": self.outstanding,
            "overdue": self.overdue,
            "overdueCount": self.overdue_count,
            "attestations": [a.as_dict() for a in self.attestations],
        }


class SmeClient(CaseClient):
    """Case 5's client: the generic verbs plus the SME profile and credit sharing."""

    @cached_property
    def credit(self) -> ItemSharing:
        """Credit attestations' values shared with lenders under the SME's consent (purpose
        credit-assessment): ``credit.offer / request / approve / share / fetch``."""
        return ItemSharing(
            self, "attestation", purpose="credit-assessment", subject="supplier", document="value"
        )

    def profile(self, sme: str) -> Profile:
        """Everything about one SME's financing: on-chain totals (one call) and its contracts,
        invoices and attestations from the event index (their current state from the chain)."""
        who = parse_address(sme)
        totals = self.contract.call("totals", who)
        contracts = self.items("contract", attr=("supplier", who))
        invoices = self.records([r.id for r in self.items("invoice", filer=who)])
        attested = self.records([r.id for r in self.items("attestation", attr=("sme", who))])
        financed = [r for r in invoices if r.state == "financed"]
        overdue = [r for r in financed if r.fields["overdue"]]
        return Profile(
            sme=who,
            contracts=len(contracts),
            contracted=int(totals["contracted"]),
            invoices=dict(Counter(r.state for r in invoices)),
            confirmed=int(totals["confirmed"]),
            financed=int(totals["financed"]),
            repaid=int(totals["repaid"]),
            outstanding=sum(int(r.fields["amount"]) for r in financed),
            overdue=sum(int(r.fields["amount"]) for r in overdue),
            overdue_count=len(overdue),
            attestations=[
                Attestation(METRIC_NAMES.get(int(r.fields["metric"]), "?"), r.filer, r.state, r.id)
                for r in attested
            ],
        )
