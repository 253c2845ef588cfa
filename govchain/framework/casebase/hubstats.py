"""The city's figures as the platform measures them, per district hub and overall, from the
event index: applications, the paperwork applicants still hand in against what the old process
asked for (to compare with the published 40% fewer resources and 80% fewer enterprise data
submissions), the median time from application to completion, and overdue steps."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from govchain.chain.chain import Chain
from govchain.chain.deployments import AddressBook
from govchain.errors import InputError
from govchain.framework.casebase.client import CaseClient
from govchain.framework.casebase.hub import HubClient
from govchain.framework.index import EventIndex


class GovChain(Protocol):
    """What the figures need of the platform client (``govchain.client.GovChain``)."""

    book: AddressBook
    chain: Chain

    @property
    def index(self) -> EventIndex: ...

    def case(self, name: str) -> CaseClient: ...


#: The published figures the measured ones are compared with (seeds: Beijing's statements).
PUBLISHED_RESOURCE_REDUCTION = 0.40
PUBLISHED_ENTERPRISE_SUBMISSION_REDUCTION = 0.80


@dataclass
class DistrictStats:
    district: str
    applications: int = 0
    completed: int = 0
    rejected: int = 0
    open: int = 0
    documents_asked_before: int = 0  # what the old process asked applicants to hand in
    documents_handed_in: int = 0  # what they still hand in
    enterprise_asked_before: int = 0
    enterprise_handed_in: int = 0
    median_completion_seconds: float | None = None
    overdue_steps: int = 0
    #: Seconds from application to completion of each completed application.
    durations: list[float] = field(default_factory=list, repr=False)

    @property
    def paperwork_reduction(self) -> float | None:
        return _reduction(self.documents_asked_before, self.documents_handed_in)

    @property
    def enterprise_reduction(self) -> float | None:
        return _reduction(self.enterprise_asked_before, self.enterprise_handed_in)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("durations")
        return {
            **data,
            "paperworkReduction": self.paperwork_reduction,
            "enterpriseSubmissionReduction": self.enterprise_reduction,
        }


def _reduction(before: int, now: int) -> float | None:
    return None if before == 0 else 1 - now / before


def hubs(gc: GovChain) -> list[HubClient]:
    """Every district hub deployed."""
    from govchain.framework.casebase import registry

    found = []
    for spec in registry.cases():
        if spec.contract in gc.book.contracts:
            client = gc.case(spec.name)
            if isinstance(client, HubClient):
                found.append(client)
    return found


def district_stats(gc: GovChain, hub: HubClient) -> DistrictStats:
    stats = DistrictStats(hub.spec.name)
    kind = hub.spec.kind("application")
    rows = hub.items("application")
    applied = {
        bytes(e["id"]): int(e["service"]) for e in gc.index.events(hub.spec.contract, ["Applied"])
    }
    completed_state = kind.state_value("completed")
    rejected_state = kind.state_value("rejected")
    durations_blocks: list[tuple[int, int]] = []
    for row in rows:
        stats.applications += 1
        if row.state == completed_state:
            stats.completed += 1
            durations_blocks.append((row.created_block, row.updated_block))
        elif row.state == rejected_state:
            stats.rejected += 1
        else:
            stats.open += 1
        code = applied.get(bytes(row.id))
        if code is None:
            continue
        try:
            service = hub.service(code)
        except Exception:  # a service no longer in the file: not counted
            continue
        stats.documents_asked_before += len(service.paperwork)
        stats.documents_handed_in += len(service.handed_in)
        if service.applicant == "enterprise":
            stats.enterprise_asked_before += len(service.paperwork)
            stats.enterprise_handed_in += len(service.handed_in)
    if durations_blocks:
        times = gc.chain.block_times(b for pair in durations_blocks for b in pair)
        stats.durations = [
            (times[end] - times[start]).total_seconds() for start, end in durations_blocks
        ]
        stats.median_completion_seconds = statistics.median(stats.durations)
    stats.overdue_steps = sum(len(o.departments) for o in hub.overdue())
    return stats


def service_stats(gc: GovChain) -> tuple[list[DistrictStats], DistrictStats]:
    """Per district, and overall (the median over every completed application)."""
    per = [district_stats(gc, hub) for hub in hubs(gc)]
    total = DistrictStats("all districts")
    for s in per:
        for name in (
            "applications", "completed", "rejected", "open", "documents_asked_before",
            "documents_handed_in", "enterprise_asked_before", "enterprise_handed_in",
            "overdue_steps",
        ):  # fmt: skip
            setattr(total, name, getattr(total, name) + getattr(s, name))
    total.durations = [d for s in per for d in s.durations]
    if total.durations:
        total.median_completion_seconds = statistics.median(total.durations)
    return per, total


class ServiceHubs:
    """``gc.services``: the district hubs together."""

    def __init__(self, gc: GovChain) -> None:
        self._gc = gc

    def hubs(self) -> list[HubClient]:
        return hubs(self._gc)

    def hub(self, district: str) -> HubClient:
        for client in self.hubs():
            if client.spec.name == district:
                return client
        raise InputError(f"'{district}' is not a district hub on this deployment.")

    def stats(self) -> tuple[list[DistrictStats], DistrictStats]:
        """Per district and overall: see :func:`service_stats`."""
        return service_stats(self._gc)
