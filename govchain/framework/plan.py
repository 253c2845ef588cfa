"""What `govchain deploy` deploys: the framework's contracts, then every registered case."""

from __future__ import annotations

from typing import Any

from govchain.chain.deploy import CORE, Deployable, DeployContext
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
