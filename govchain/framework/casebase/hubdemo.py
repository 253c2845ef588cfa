"""Demo helpers every district hub shares: the office defines its catalogue, and walkthrough
hooks that issue the certificates an application needs (its prerequisites, from their usual
issuers) and those its completion issues (by the district office), whatever the service."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.framework.casebase.hub import HubClient
from govchain.framework.certificates.documents import Draft
from govchain.framework.certificates.types import BY_NAME

Actor = Callable[[str], Sender]
#: The demo's applicants: an enterprise's credit code, a citizen's ID number.
ENTERPRISE_CODE = "91110302MA00000001"
CITIZEN = cast.CITIZEN_BY_KEY["citizen-zhang"]


def define_catalogue(gc: GovChain, district: str) -> list[str]:
    """The district office defines every service of its catalogue not yet on chain."""
    client = gc.case(district)
    assert isinstance(client, HubClient)
    office = gc.sender(cast.BY_KEY[district].account)
    return [f"{district} service {s}" for s in client.define_services(office)]


def setup_for(district: str) -> Callable[[GovChain, Sender], list[str]]:
    """A case's ``demo_setup``: its office defines the catalogue."""

    def setup(gc: GovChain, admin: Sender) -> list[str]:
        return define_catalogue(gc, district)

    setup.__name__ = f"setup_{district}"
    return setup


def demo_fields(type_name: str) -> dict[str, str]:
    """Fields for a demo certificate of ``type_name``."""
    info = BY_NAME[type_name.upper()]
    return {f: f"demo {f}" for f in info.fields}


def holder_for(client: HubClient, service: str | int) -> str:
    """The demo applicant of ``service``: the enterprise or the citizen."""
    return CITIZEN.id_number if client.service(service).applicant == "citizen" else ENTERPRISE_CODE


def prerequisites(
    client: Any, actor: Actor, reference: str, step: Mapping[str, Any]
) -> Mapping[str, Any]:
    """Walkthrough hook before ``apply``/``file``: the certificates the service requires,
    issued to the applicant by each type's usual issuer."""
    assert isinstance(client, HubClient)
    service = client.service(step["service"])
    holder = holder_for(client, service.code)
    documents = []
    for type_name in service.requires:
        issuer = actor(BY_NAME[type_name].issuers[0])
        draft = Draft(demo_fields(type_name), holder=holder)
        documents.append(client.certificates.issue(issuer, type_name, draft))
    return {"certificates": documents}


def completion(
    client: Any, actor: Actor, reference: str, step: Mapping[str, Any] | None = None
) -> Mapping[str, Any]:
    """Walkthrough hook before ``complete``: every certificate the application's service
    issues, issued together by the district office."""
    assert isinstance(client, HubClient)
    service = client.service(int(client.get(reference).fields["service"]))
    office = actor(client.spec.name)
    holder = holder_for(client, service.code)
    batches = [(t, [Draft(demo_fields(t), holder=holder)]) for t in service.issues]
    issued = client.certificates.publish_many(office, batches) if batches else []
    return {"certificates": [i.documents[0] for i in issued]}


HOOKS = {"apply": prerequisites, "file": prerequisites, "complete": completion}
