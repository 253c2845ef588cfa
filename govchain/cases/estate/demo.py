"""Demo: a mortgaged flat sold by its two co-owners — the bank consents and its mortgage is
released on completion, the utilities move to the buyer; then a court's seizure blocks a sale."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from govchain.cases.estate.client import EstateClient
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import GovChainError
from govchain.framework.casebase.spec import Walkthrough
from govchain.framework.casebase.values import yuan

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

Say = Callable[[str], None]
ZHANG, LI, WANG = (cast.CITIZEN_BY_KEY[f"citizen-{k}"] for k in ("zhang", "li", "wang"))


def key_of(address: str) -> LocalAccount:
    """The demo key of a citizen or cast member (their government app, on the local chain)."""
    keys = [c.account for c in cast.CITIZENS] + [m.account for m in cast.CAST]
    for key in keys:
        if key.address.lower() == address.lower():
            return key
    raise KeyError(address)


def owners_sign(client: Any, actor: Any, reference: str) -> Mapping[str, Any]:
    """Every owner of the unit signs the walkthrough's sale (to Wang) before it is filed."""
    assert isinstance(client, EstateClient)
    owners = client.get(reference).fields["owners"]
    sigs = [client.sign(key_of(o), reference, SALE["buyers"], "100", pending=False) for o in owners]
    return {"signatures": sigs}


def buyers_sign(client: Any, actor: Any, reference: str) -> Mapping[str, Any]:
    """Every buyer signs the sale's terms as applied, to accept it."""
    assert isinstance(client, EstateClient)
    buyers, shares = client.terms(reference)
    return {"signatures": [client.sign(key_of(b), reference, buyers, shares, pending=True)
                           for b in buyers]}  # fmt: skip


UNIT = {"owners": [ZHANG.address, LI.address], "shares": "60,40",
        "certificate": b"CERTIFICATE: Haidian, Zhongguancun St 18, 3-1502, 89.5 m2"}  # fmt: skip
SALE = {"buyers": [WANG.address], "shares": "100", "signatures": [], "deed": b"SALE CONTRACT"}
# fmt: off
WALKTHROUGH = Walkthrough(
    reference=lambda n: f"110108003005GB{n % 10**5:05d}F{n % 10**8:08d}",
    paths=(
        (("register", "registration", UNIT),
         ("register_mortgage", "registration", {"bank": "@bank-bob", "amount": "1500000.00",
                                                "contract": b"MORTGAGE CONTRACT"}),
         ("freeze", "court", {"order": b"COURT ORDER: preservation"}),
         ("unfreeze", "court", {"reason": "court-order"}),
         ("apply_sale", "registration", SALE),
         ("accept_sale", "registration", {"signatures": []}),
         ("consent_mortgage", "bank-bob", {"option": "release"}),
         ("release_mortgage", "bank-bob", {}),
         ("confirm_tax", "tax", {"receipt": "DEED-TAX-2026-0001"}),
         ("complete_sale", "registration", {"certificate": b"NEW CERTIFICATE: Wang Fang"}),
         ("transfer_utility", "utility", {"services": "water,power", "account": "WP-88001"})),
        (("register", "registration", UNIT),
         ("hold_deposit", "housing", {"purpose": "rental", "amount": "15000.00",
                                      "bank": "@bank-icbc", "agreement": b"ESCROW AGREEMENT"}),
         ("release_deposit", "housing", {"reason": "withdrawn"}),
         ("open_audit", "tax", {"report": b"AUDIT: declared price below assessed value"}),
         ("close_audit", "tax", {"reason": "administrative"}),
         ("apply_sale", "registration", SALE),
         ("withdraw_sale", "registration", {"reason": "withdrawn"})),
    ),
    before={"apply_sale": owners_sign, "accept_sale": buyers_sign},
)
# fmt: on


def run(gc: GovChain, say: Say) -> str:
    estate = gc.case("estate")
    assert isinstance(estate, EstateClient)
    who = {k: gc.sender(cast.BY_KEY[k].account) for k in
           ("registration", "bank-bob", "tax", "utility", "court", "housing")}  # fmt: skip
    unit = f"110108003005GB00012F{int(time.time()) % 10**8:08d}"
    reg = who["registration"]
    say(f"Real estate registration: unit {unit} (Haidian).")
    estate.register(reg, unit, **UNIT)
    estate.register_mortgage(reg, unit, bank=cast.BY_KEY["bank-bob"].address,
                             amount="1500000.00", contract=b"Mortgage contract")  # fmt: skip
    say("  1. Zhang Wei (60%) and Li Na (40%) own the flat; Bank of Beijing holds a "
        f"{yuan(150_000_000)} mortgage")  # fmt: skip
    buyers = [WANG.address]
    sigs = [estate.sign(p.account, unit, buyers, "100", pending=False) for p in (ZHANG, LI)]
    estate.apply_sale(reg, unit, buyers=buyers, shares="100", signatures=sigs, deed=b"Contract")
    accept = [estate.sign(WANG.account, unit, buyers, "100", pending=True)]
    estate.accept_sale(reg, unit, signatures=accept)
    estate.confirm_tax(who["tax"], unit, receipt="DEED-TAX-2026-118")
    say("  2. Both co-owners sign the sale to Wang Fang, she signs to accept, deed tax is paid")
    try:
        estate.complete_sale(reg, unit, certificate=b"New certificate")
    except GovChainError as exc:
        say(f"  3. Completion is refused: {exc.message}")
    estate.consent_mortgage(who["bank-bob"], unit, option="release")
    estate.complete_sale(reg, unit, certificate=b"New certificate: Wang Fang")
    estate.transfer_utility(who["utility"], unit, services="water,power", account="WP-88001")
    title = estate.title(unit)
    say(f"  4. The bank consents (release); the sale completes: mortgage "
        f"{'released' if title.mortgage is None else title.mortgage['state']}, water and "
        f"power moved to the buyer")  # fmt: skip
    estate.freeze(who["court"], unit, order=b"Court order: preservation of property")
    try:
        sigs = [estate.sign(WANG.account, unit, [LI.address], "100", pending=False)]
        estate.apply_sale(reg, unit, buyers=[LI.address], shares="100", signatures=sigs,
                          deed=b"Contract")  # fmt: skip
    except GovChainError as exc:
        say(f"  5. A court freezes the unit; Wang's sale to Li is refused: {exc.message}")
    estate.unfreeze(who["court"], unit, reason="court-order")
    title = estate.title(unit)
    say(f"  6. The court lifts it. Owner now: Wang Fang ({len(title.history)} ownership records)")
    return unit
