"""What `govchain deploy` deploys: the framework's contracts, then every registered case."""

from __future__ import annotations

from typing import Any

from govchain.chain.chain import Chain
from govchain.chain.deploy import CORE, Deployable, DeployContext, DeployResult, deploy
from govchain.chain.deployments import AddressBook
from govchain.chain.tx import Sender
from govchain.config import Config
from govchain.framework import identity
from govchain.framework.casebase import registry
from govchain.framework.governance.settings import GOVERNOR, SEATS, TIMELOCK, settings_for

#: The certificate store's name, as OpenAttestation tools show it.
STORE_NAME = "GovChain Certificates"
#: The citywide registry of active benefit claims; a case linking it is enrolled on deployment.
CLAIMS = "ClaimRegistry"


def _core_args(ctx: DeployContext) -> list[Any]:
    from govchain.chain.labels import name_hash

    return [ctx.deployer, name_hash(ctx.admin_name), ctx.admin_district, STORE_NAME]


def _on_core(ctx: DeployContext) -> list[Any]:
    return [ctx.addresses[CORE]]


def _case_args(links: tuple[str, ...]) -> Any:
    def args(ctx: DeployContext) -> list[Any]:
        return [ctx.addresses[CORE], *(ctx.addresses[name] for name in links)]

    return args


def _seats_args(ctx: DeployContext) -> list[Any]:
    return [ctx.addresses[CORE], ctx.deployer]


def _timelock_args(ctx: DeployContext) -> list[Any]:
    return [settings_for(ctx.chain_id).timelock_delay, [], [], ctx.deployer]


def _governor_args(ctx: DeployContext) -> list[Any]:
    s = settings_for(ctx.chain_id)
    return [
        ctx.addresses[SEATS],
        ctx.addresses[TIMELOCK],
        ctx.addresses[CORE],
        s.voting_delay,
        s.voting_period,
        s.threshold,
    ]


def governance_plan() -> list[Deployable]:
    """The committee: seats, timelock, governor. The deployer gives the first seats and hands
    over afterwards (:func:`govchain.framework.governance.handover.hand_over`)."""
    return [
        Deployable(SEATS, _seats_args, depends=(CORE,)),
        Deployable(TIMELOCK, _timelock_args, depends=(CORE,)),  # a new platform, a new committee
        Deployable(GOVERNOR, _governor_args, depends=(CORE, SEATS, TIMELOCK)),
    ]


def platform_plan() -> list[Deployable]:
    """The core (directory + certificate store), data sharing, the governance committee, then
    one contract per case."""
    plan = [Deployable(CORE, _core_args), Deployable("DataSharing", _on_core, depends=(CORE,))]
    plan.append(Deployable(CLAIMS, _on_core, depends=(CORE,)))
    plan += governance_plan()
    plan += [
        Deployable(c.contract, _case_args(c.links), depends=(CORE, *c.links))
        for c in registry.cases()
    ]
    return plan


def deploy_platform(
    config: Config,
    chain: Chain,
    sender: Sender,
    book: AddressBook | None,
    *,
    redeploy: bool = False,
    admin_name: str = "",
) -> DeployResult:
    """Deploy the platform plan and bind the deployment's platform secret to its address book
    (made here when the book is new; the book records only its fingerprint). The caller saves
    the book when ``result.changed``."""
    result = deploy(
        chain,
        sender,
        network=config.network,
        book=book,
        redeploy=redeploy,
        admin_name=admin_name,
        plan=platform_plan(),
    )
    enrol_claim_hubs(chain, sender, result.book)
    if not result.book.secret_fingerprint:
        secret = identity.load_secret(config.data_dir, config.network, create=True)
        result.book.secret_fingerprint = identity.fingerprint(secret)
        result.book_changed = True
    return result


def enrol_claim_hubs(chain: Chain, admin: Sender, book: AddressBook) -> list[str]:
    """Enrol in the claim registry every deployed case that links it (the directory
    administrator; idempotent: an enrolled hub is left alone). Returns the cases enrolled."""
    from govchain.chain.contracts import Contract

    if CLAIMS not in book.contracts:
        return []
    claims = Contract(chain, CLAIMS, book.address(CLAIMS))
    linked = [s for s in registry.cases() if CLAIMS in s.links and s.contract in book.contracts]
    hubs = [book.address(s.contract) for s in linked]
    enrolled = claims.read_many([("enrolled", (hub,)) for hub in hubs])
    todo = [(s, hub) for s, hub, known in zip(linked, hubs, enrolled, strict=True) if not known]
    admin.send_many([claims.tx("enrol", hub, True) for _, hub in todo])  # one batch
    return [s.name for s, _ in todo]
