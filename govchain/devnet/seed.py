"""The local demo's seeding: the demo cast in the directory, the certificate catalogue with the
cast's issuer roles, the cast's encryption keys, and every registered case's own demo setup
(e.g. the ports of the single window). Idempotent; local chain only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from govchain.chain.roles import normalise
from govchain.chain.tx import Sender
from govchain.devnet.cast import BY_KEY, CAST
from govchain.framework.casebase import registry
from govchain.framework.directory import parse_district
from govchain.framework.docstore import public_key_of
from govchain.framework.roster import ParticipantSpec, SeedResult, seed

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

if TYPE_CHECKING:
    from govchain.client import GovChain


def cast_specs() -> list[ParticipantSpec]:
    """The demo cast (development keys, local chain only)."""
    return [
        ParticipantSpec(
            m.address,
            m.name,
            m.kind,
            parse_district(m.district),
            tuple(normalise(r) for r in m.roles),
        )
        for m in CAST
    ]


def seed_demo(gc: GovChain, admin: Sender) -> tuple[SeedResult, list[str]]:
    """The local demo: the cast, the certificate catalogue with the cast's issuer and revoker
    roles, encryption keys, then each case's demo setup. Idempotent."""
    seeded = seed(gc.directory, admin, cast_specs(), gc.config.names_file)
    setup = gc.certificates.store.setup_catalogue(admin, holders=lambda k: BY_KEY[k].address)
    setup += register_keys(gc, admin, [m.account for m in CAST])
    for spec in registry.cases():
        if spec.demo_setup and spec.contract in gc.book.contracts:
            setup += registry.load(spec.demo_setup)(gc, admin)
    return seeded, setup


#: The demo committee: five agencies, three votes decide (the threshold is deployed with it).
COMMITTEE = ("bureau", "commerce", "finance", "finreg", "market-regulator")
#: The guardians: two agencies that may pause a case at once.
GUARDIANS = ("bureau", "commerce")
#: The operator: the bureau keeps the daily administration.
OPERATORS = ("bureau",)


def seed_governance(gc: GovChain, deployer: Sender) -> list[str]:
    """Hand the local demo over to its committee (after :func:`seed_demo`). Idempotent."""
    from govchain.framework.governance.handover import Handover, hand_over

    plan = Handover(
        members=[BY_KEY[k].address for k in COMMITTEE],
        guardians=[BY_KEY[k].address for k in GUARDIANS],
        operators=[BY_KEY[k].address for k in OPERATORS],
    )
    return hand_over(gc.governance, deployer, plan)


def register_keys(gc: GovChain, sender: Sender, accounts: Sequence[LocalAccount]) -> list[str]:
    """Register the encryption public keys of ``accounts`` that have none yet (one batch)."""
    core = gc.directory.contract
    current = core.call_many([("encryptionKey", (a.address,)) for a in accounts])
    missing = [a for a, key in zip(accounts, current, strict=True) if not key]
    sender.send_many([gc.directory.register_key_tx(public_key_of(a.key)) for a in missing])
    return [f"registered the encryption key of {a.address}" for a in missing]
