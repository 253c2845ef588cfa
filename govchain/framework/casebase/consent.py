"""Documents of a case's items shared with another participant under the data subject's consent,
through the data-sharing framework — the one mechanism behind a bank reusing another bank's KYC
dossier (case 3) and a lender reading an SME's credit attestation (case 5).

The item's filer offers its items of one kind as one personal resource of the catalogue
(``<case>-<kind>s/<filer>``). A participant requests it for one item: the subject is the item's
subject field (the enterprise, the SME) and must consent. The filer approves with the item's id as
the grant's scope. The filer then shares the item's latest anchored document: its key is wrapped
for the requester (nothing re-encrypted) and the delivery is logged with the document's own
commitment, so the audit shows exactly which anchored document left. The requester fetches it:
decrypted, checked against the logged hash and against the item's anchored documents,
acknowledged.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from govchain.chain.abi import Event
from govchain.chain.results import Receipt
from govchain.chain.tx import Sender
from govchain.errors import GovChainError, InputError
from govchain.framework.casebase.values import unix_time
from govchain.framework.directory import parse_address
from govchain.framework.sharing.client import Request, UnknownResource, resource_id
from govchain.framework.sharing.exchange import Delivered

if TYPE_CHECKING:
    from govchain.framework.casebase.client import CaseClient, Target


class NotThisGrant(GovChainError):
    """The data-sharing request is not one for this kind of item, or not for this item."""


class ItemSharing:
    """Share the documents of one kind of item under consent."""

    def __init__(
        self, client: CaseClient, kind: str, *, purpose: str, subject: str, document: str
    ) -> None:
        self.client = client
        self.kind = client.spec.kind(kind)
        self.purpose = purpose
        self.subject = subject  # the details field naming the data subject
        self.document = document
        self.schema = f"govchain/{client.spec.name}/{kind}/{document}/v1".encode()

    @property
    def sharing(self) -> Any:
        return self.client.exchange.client

    def slug(self, owner: str) -> str:
        """The catalogue name of ``owner``'s items of this kind."""
        return f"{self.client.spec.name}-{self.kind.name}s/{parse_address(owner).lower()}"

    def resources(self) -> dict[bytes, str]:
        """The resource ids of every filer of this kind of item, and whose they are."""
        filers = {r.filer for r in self.client.items(self.kind)}
        return {resource_id(self.slug(f)): f for f in filers}

    # -- the item's filer ------------------------------------------------------------------
    def offer(self, owner: Sender) -> bytes:
        """List ``owner``'s items in the catalogue (once): personal data, so every grant needs the
        subject's consent. Returns the resource id."""
        slug = self.slug(owner.address)
        rid = resource_id(slug)
        try:
            self.sharing.resource(rid)
        except UnknownResource:
            self.sharing.list_resource(
                owner,
                slug,
                title=f"{self.client.spec.name} {self.kind.name}s of {owner.address}",
                schema=self.schema,
                sharing="on-approval",
                personal=True,
            )
        return rid

    def approve(
        self, owner: Sender, request_id: int, *, until: Any, item: Target | None = None
    ) -> Receipt:
        """Approve a request for ``item`` (a reference or id of one of ``owner``'s items about the
        request's subject; by default its one live item about that subject)."""
        request = self.request_of(request_id)
        if request.resource_id != resource_id(self.slug(owner.address)):
            raise NotThisGrant(f"Request #{request_id} is not for {owner.address}'s items.")
        if item is None:
            found = self.find(owner.address, request.subject or "0x" + "00" * 20)
        else:
            found = self.client.resolve(item, self.kind, filer=owner.address)
        record = self.client.records([found])[0]
        if record.kind != self.kind.name or record.filer != parse_address(owner.address):
            raise NotThisGrant(
                f"0x{found.hex()} is not one of {owner.address}'s {self.kind.name}s."
            )
        if parse_address(str(record.fields[self.subject])) != request.subject:
            raise NotThisGrant(f"Request #{request_id} is for another {self.subject}.")
        expiry = datetime.fromtimestamp(unix_time(until), UTC)
        return self.sharing.approve(owner, request_id, expiry=expiry, scope=found)

    def share(self, owner: Sender, request_id: int) -> Delivered:
        """Deliver the granted item's latest document under a live grant (refused otherwise)."""
        request = self.request_of(request_id)
        return self.client.exchange.share_document(owner, request_id, self.latest(request.scope))

    # -- the requester ---------------------------------------------------------------------
    def request(
        self, requester: Sender, item: Target, *, until: Any, owner: str | None = None
    ) -> int:
        """Ask for the document of ``item`` (a reference — of ``owner``'s item when several filed
        it — or an id); returns the data-sharing request number. Refused unless it is live (in
        its kind's first state, not expired)."""
        record = self.client.records([self.client.resolve(item, self.kind, filer=owner)])[0]
        if record.kind != self.kind.name:
            raise NotThisGrant(f"0x{record.id.hex()} is not a {self.kind.name}.")
        if record.state != self.kind.states[0] or record.fields.get("expired"):
            raise InputError(f"That {self.kind.name} is not {self.kind.states[0]} now.")
        return int(
            self.sharing.request(
                requester,
                self.slug(record.filer),
                purpose=self.purpose,
                wanted_expiry=datetime.fromtimestamp(unix_time(until), UTC),
                subject=str(record.fields[self.subject]),
            )
        )

    def fetch(self, requester: Sender, request_id: int) -> bytes:
        """The document delivered under the grant: decrypted, checked against the logged hash and
        the item's anchored documents, acknowledged on chain."""
        request = self.request_of(request_id)
        if request.deliveries == 0:
            raise InputError(f"Nothing has been delivered under request #{request_id} yet.")
        logged = bytes(self.sharing.delivery(request_id, request.deliveries)["contentHash"])
        anchored = {d.content_hash for d in self.client.documents(request.scope, self.kind)}
        if logged not in anchored:
            raise NotThisGrant(
                f"Delivery {request.deliveries} of request #{request_id} is not a document of "
                f"the {self.kind.name} it was granted for."
            )
        data: bytes = self.client.exchange.fetch(requester, request_id, request.deliveries)
        return data

    # -- reading ---------------------------------------------------------------------------
    def request_of(self, request_id: int) -> Request:
        request: Request = self.sharing.get(request_id)
        if request.purpose_text != self.purpose:
            raise NotThisGrant(f"Request #{request_id} is not a {self.purpose} request.")
        return request

    def find(self, owner: str, subject: str) -> bytes:
        """``owner``'s one live item about ``subject`` (refused if none, or several)."""
        ids = [r.id for r in self.client.items(self.kind, filer=owner)]
        live = [
            r.id
            for r in self.client.records(ids)
            if r.state == self.kind.states[0]
            and parse_address(str(r.fields[self.subject])) == parse_address(subject)
        ]
        if len(live) != 1:
            found = "no" if not live else f"{len(live)}"
            raise InputError(
                f"{owner} has {found} {self.kind.states[0]} {self.kind.name}(s) about {subject}: "
                "say which one."
            )
        return live[0]

    def latest(self, item: bytes) -> bytes:
        """The commitment of the item's latest anchored document."""
        if item == bytes(32):
            raise NotThisGrant("The request is not approved yet: it names no item.")
        found = [d for d in self.client.documents(item, self.kind) if d.type == self.document]
        if not found:
            raise NotThisGrant(f"0x{item.hex()} has no {self.document}.")
        return found[-1].content_hash

    def trail(self) -> list[tuple[Event, int]]:
        """Every data-sharing event on this kind's resources, with its request number."""
        ours = set(self.resources())
        requests: set[int] = set()
        out = []
        for e in self.sharing.trail():
            number = int(e.args.get("requestId", 0))
            if e.name == "AccessRequested" and bytes(e["resourceId"]) in ours:
                requests.add(number)
            if number in requests:
                out.append((e, number))
        return out
