"""What Haidian adds to the hub client: the social-insurance check behind a benefit claim,
through the data-sharing framework, and the citywide claim registry."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from govchain.chain.contracts import Contract
from govchain.chain.tx import Sender
from govchain.framework.casebase.client import Target
from govchain.framework.casebase.hub import HubClient
from govchain.framework.casebase.values import unix_time
from govchain.framework.sharing.client import UnknownResource, resource_id

#: The social-insurance fund's catalogue entry HR checks a claimant against.
RECORDS = "social-insurance/contribution-records"


class HaidianClient(HubClient):
    """Case 8's client: the hub, plus the records check and registry of benefit claims."""

    @property
    def registry(self) -> Contract:
        """The citywide ClaimRegistry this hub consults."""
        return Contract(self.contract.chain, "ClaimRegistry", self.contract.call("claims"))

    def has_active_claim(self, id_number: str) -> bool:
        """True if the person has an active claim in any district."""
        kind = self.spec.kind("benefit")
        return bool(self.registry.call("hasActiveClaim", self.commit(kind.parse(id_number))))

    def list_records(self, provider: Sender) -> bytes:
        """The fund lists its contribution records in the catalogue (once; personal data)."""
        sharing = self.exchange.client
        try:
            sharing.resource(resource_id(RECORDS))
        except UnknownResource:
            sharing.list_resource(provider, RECORDS, title="Social insurance contribution "
                                  "records", schema=b'{"months": "integer"}',
                                  sharing="on-approval", personal=True)  # fmt: skip
        return resource_id(RECORDS)

    def request_records(self, hr: Sender, claim: Target, *, until: Any) -> int:
        """HR asks for the claimant's records for ``claim``; returns the request number."""
        record = self.get(claim, "benefit")
        return int(
            self.exchange.client.request(
                hr,
                RECORDS,
                purpose="unemployment-claim",
                wanted_expiry=datetime.fromtimestamp(unix_time(until), UTC),
                subject=str(record.fields["claimant"]),
            )
        )

    def grant_records(self, provider: Sender, request_id: int, claim: Target, *, until: Any) -> Any:
        """The fund approves the request with the claim as its scope (what approve checks)."""
        claim_id = self.resolve(claim, "benefit")
        expiry = datetime.fromtimestamp(unix_time(until), UTC)
        return self.exchange.client.approve(provider, request_id, expiry=expiry, scope=claim_id)
