"""Demo: a bank reuses another bank's KYC of an enterprise under its consent, then is refused once
the enterprise revokes it; the financial regulator reads the trail."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from govchain.cases.kyc.client import KycClient
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import GovChainError
from govchain.framework.casebase.spec import Walkthrough
from govchain.framework.creditcode import make_credit_code

Say = Callable[[str], None]


def _future(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%d")


def live_consent(client: Any, actor: Callable[[str], Any], reference: str) -> Mapping[str, Any]:
    """What a reusing bank needs before it relies on an attestation: bank-icbc asks for
    bank-bob's KYC of the enterprise, bank-bob approves, the enterprise consents."""
    assert isinstance(client, KycClient)
    attester, reuser = actor("bank-bob"), actor("bank-icbc")
    client.dossiers.offer(attester)
    request = client.dossiers.request(reuser, reference, until=_future(90), owner=attester.address)
    client.dossiers.approve(attester, request, until=_future(90), item=reference)
    enterprise = client.get(reference, "attestation", filer=attester.address).fields["enterprise"]
    client.exchange.client.consent(actor(cast.member_key(enterprise)), request)
    return {"consent": request}


ATTEST = {"enterprise": "@biotech", "level": "standard", "valid_until": _future(365),
          "dossier": b"KYC DOSSIER: licence, articles, beneficial owners, site visit"}  # fmt: skip
# fmt: off
WALKTHROUGH = Walkthrough(
    reference=lambda n: make_credit_code(f"91110302MA{n % 10**7:07d}"),
    paths=(
        (("attest", "bank-bob", ATTEST),
         ("renew", "bank-bob", {"level": "enhanced", "valid_until": _future(730),
                                "dossier": b"KYC DOSSIER, renewed: enhanced due diligence"}),
         ("rely", "bank-icbc", {"consent": 1}),
         ("end_reliance", "bank-icbc", {}),
         ("withdraw", "bank-bob", {"reason": "issued-in-error"})),
    ),
    before={"rely": live_consent},
)
# fmt: on


def run(gc: GovChain, say: Say) -> str:
    kyc = gc.case("kyc")
    assert isinstance(kyc, KycClient)
    who = {
        k: gc.sender(cast.BY_KEY[k].account) for k in ("bank-bob", "bank-icbc", "biotech", "finreg")
    }
    code = make_credit_code(f"91110302MA{int(time.time()) % 10**7:07d}")
    enterprise = cast.BY_KEY["biotech"]
    say(f"Shared eKYC: {enterprise.name} (credit code {code}).")
    kyc.dossiers.offer(who["bank-bob"])
    kyc.attest(who["bank-bob"], code, enterprise=enterprise.address, level="standard",
               valid_until=_future(365), dossier=b"KYC DOSSIER of Yizhuang Biomedical: licence, "
               b"articles of association, beneficial owners, site visit 2026-11")  # fmt: skip
    say("  1. Bank of Beijing verifies the enterprise and records its KYC attestation "
        "(dossier sealed off chain)")  # fmt: skip
    request = kyc.dossiers.request(who["bank-icbc"], code, until=_future(30))
    kyc.dossiers.approve(who["bank-bob"], request, until=_future(30))
    deadline, signature = gc.sharing.sign_consent(enterprise.account, request)
    gc.sharing.submit_consent(who["bank-icbc"], request, deadline, signature)
    say(f"  2. ICBC asks to reuse it (request #{request}); Bank of Beijing approves; the "
        "enterprise consents by signature")  # fmt: skip
    delivered = kyc.dossiers.share(who["bank-bob"], request)
    dossier = kyc.dossiers.fetch(who["bank-icbc"], request)
    kyc.rely(who["bank-icbc"], code, consent=request)
    say(f"  3. The dossier is delivered (delivery {delivered.delivery_id}, {len(dossier)} bytes, "
        "logged with its commitment); ICBC records its reliance: no second submission")  # fmt: skip
    gc.sharing.revoke(who["biotech"], request)
    say("  4. The enterprise revokes its consent")
    try:
        kyc.dossiers.share(who["bank-bob"], request)
    except GovChainError as exc:
        say(f"  5. A new delivery is refused: {exc.message}")
    kyc.end_reliance(who["bank-icbc"], code)
    try:
        kyc.rely(who["bank-icbc"], code, consent=request)
    except GovChainError as exc:
        say(f"  6. Relying on it again is refused: {exc.message}")
    trail = kyc.audit(enterprise.address)
    say(f"  7. The financial regulator audits {len(trail)} events of this enterprise's KYC")
    return code
