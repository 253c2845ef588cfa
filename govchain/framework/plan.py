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

#: The certificate store's name, as OpenAttestation tools show it.
STORE_NAME = "GovChain Certificates"


def _core_args(ctx: DeployContext) -> list[Any]:
    from govchain.chain.labels import name_hash

    return [ctx.deployer, name_hash(ctx.admin_name), ctx.admin_district, STORE_NAME]


def _on_core(ctx: DeployContext) -> list[Any]:
    return [ctx.addresses[CORE]]


def platform_plan() -> list[Deployable]:
    """The core (directory + certificate store), data sharing, then one contract per case."""
    plan = [Deployable(CORE, _core_args), Deployable("DataSharing", _on_core, depends=(CORE,))]
    plan += [Deployable(c.contract, _on_core, depends=(CORE,)) for c in registry.cases()]
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
    if not result.book.secret_fingerprint:
        secret = identity.load_secret(config.data_dir, config.network, create=True)
        result.book.secret_fingerprint = identity.fingerprint(secret)
        result.book_changed = True
    return result
