"""Demo: the human-resources bureau obtains a citizen's social-insurance records for an
unemployment claim — requested, approved, consented, delivered encrypted, acknowledged, audited."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from govchain.client import GovChain
from govchain.devnet import cast
from govchain.devnet.cast import CITIZEN_BY_KEY
from govchain.framework.sharing.client import describe_event, resource_id

RESOURCE = "social-insurance/contribution-records"
Say = Callable[[str], None]


def run(gc: GovChain, say: Say) -> int:
    """Run the scenario; returns the request id."""
    provider = gc.sender(cast.BY_KEY["social-insurance"].account)
    hr = gc.sender(cast.BY_KEY["hr"].account)
    supervisor = cast.bureau()
    citizen = CITIZEN_BY_KEY["citizen-zhang"]
    sharing = gc.sharing
    now = datetime.now(UTC)

    say("Data sharing: an unemployment claim needs the claimant's social-insurance records.")
    if not any(r.resource_id == resource_id(RESOURCE) for r in sharing.resources()):
        sharing.list_resource(
            provider,
            RESOURCE,
            title="Social insurance contribution records",
            schema=b'{"months": "integer", "lastEmployer": "string"}',
            sharing="on-approval",
            personal=True,
        )
        say(f"  1. Social Insurance Fund Centre lists {RESOURCE} (on approval, personal data)")
    else:
        say(f"  1. {RESOURCE} is already in the catalogue")
    request_id = sharing.request(
        hr,
        RESOURCE,
        purpose="unemployment-claim",
        wanted_expiry=now + timedelta(days=90),
        subject=citizen.address,
    )
    say(
        f"  2. HR bureau requests it for the claim: request #{request_id}, subject = the "
        "citizen's app account (no ID number on chain)"
    )
    sharing.approve(provider, request_id, expiry=now + timedelta(days=30), scope="last-36-months")
    say("  3. The centre approves for 30 days, scope last-36-months")
    deadline, signature = sharing.sign_consent(citizen.account, request_id)
    sharing.submit_consent(hr, request_id, deadline, signature)
    say("  4. The citizen consents in the government app (EIP-712 signature, relayed by HR)")
    records = json.dumps(
        {
            "name": citizen.name,
            "idNumber": citizen.id_number,
            "months": 36,
            "lastEmployer": "Jinghua Electronics Export Co., Ltd.",
            "lastContribution": "2026-09",
        },
        ensure_ascii=False,
    ).encode()
    delivered = gc.exchange.deliver(provider, request_id, records)
    say(
        f"  5. The centre delivers the records encrypted to HR; hash "
        f"0x{delivered.content_hash.hex()[:16]}… logged on chain"
    )
    received = gc.exchange.fetch(hr, request_id, delivered.delivery_id)
    say(f"  6. HR decrypts {len(received)} bytes, checks them against the chain and acknowledges")
    trail = sharing.trail(subject=citizen.address)
    gc.directory.contract.call("requireActiveRole", _supervisor_role(), supervisor.address)
    say(f"  7. The supervisor audits everything about this citizen: {len(trail)} events")
    for event in trail[-5:]:
        say(f"       block {event.block_number}: {describe_event(event)}")
    return request_id


def _supervisor_role() -> bytes:
    from govchain.chain.roles import role_id

    return role_id("SUPERVISOR")
