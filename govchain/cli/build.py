"""``govchain compile``, ``govchain deploy`` and ``govchain up`` (what ``make up`` runs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from govchain.chain.chain import Chain
from govchain.chain.compiler import compile_contracts
from govchain.chain.deploy import DeployResult
from govchain.chain.deployments import AddressBook
from govchain.chain.node import LocalNode
from govchain.chain.signers import resolve_account
from govchain.cli.common import App, from_option, json_option, pass_app, print_json, prompt_password
from govchain.client import local_resolver
from govchain.config import is_dev_chain
from govchain.errors import ConfigError, DeploymentError
from govchain.framework.plan import deploy_platform

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount


@click.command("compile")
@click.option("--force", is_flag=True, help="Recompile even if nothing changed.")
@pass_app
def compile_cmd(app: App, force: bool) -> None:
    """Compile contracts/ into govchain/artifacts/ (zero warnings tolerated)."""
    result = compile_contracts(app.config, force=force)
    state = "compiled" if result.compiled else "up to date"
    click.echo(f"✓ {len(result.contracts)} contracts {state} ({result.compiler}).")


@click.command("deploy")
@from_option(required=False)
@click.option(
    "--redeploy",
    is_flag=True,
    help="Deploy fresh contracts if the chain was reset or the code changed.",
)
@click.option("--admin-name", help="Display name of the administrator (the deployer).")
@json_option
@pass_app
def deploy_cmd(
    app: App, who: str | None, redeploy: bool, admin_name: str | None, as_json: bool
) -> None:
    """Deploy the participant directory and every case contract; idempotent."""
    cfg = app.config
    chain = Chain.from_config(cfg)
    signer = who or ("bureau" if cfg.network == "local" else None)
    if signer is None:
        raise ConfigError("Say which account deploys with --from (a keystore label).")
    local = local_resolver(chain.chain_id)
    account = resolve_account(cfg, chain.chain_id, signer, prompt_password, local)
    result = _deploy(app, chain, account, redeploy=redeploy, admin_name=admin_name)
    if as_json:
        print_json(
            {
                "deployed": result.deployed,
                "unchanged": result.unchanged,
                "addressBook": str(cfg.deployments_file),
                **result.book.to_json(),
            }
        )
        return
    _report(result, str(cfg.deployments_file))


def _deploy(
    app: App, chain: Chain, account: LocalAccount, *, redeploy: bool, admin_name: str | None = None
) -> DeployResult:
    """Deploy and, if anything was sent, write the address book."""
    cfg = app.config
    book = AddressBook.load(cfg.deployments_file) if cfg.deployments_file.exists() else None
    result = deploy_platform(
        cfg, chain, chain.sender(account), book, redeploy=redeploy, admin_name=admin_name or ""
    )
    if result.changed:
        result.book.save(cfg.deployments_file)
    return result


def _report(result: DeployResult, path: str) -> None:
    for notice in result.notices:
        click.echo(f"note: {notice}")
    if not result.changed:
        click.echo(
            f"✓ Everything is already deployed ({len(result.unchanged)} contracts); nothing sent."
        )
        return
    for name in result.deployed:
        rec = result.book.contracts[name]
        click.echo(f"✓ {name} deployed at {rec.address} (block {rec.block_number})")
    click.echo(f"  address book: {path}")


@click.command("up")
@pass_app
def up(app: App) -> None:
    """Bring the local platform up: chain, compile, deploy, demo participants (make up)."""
    cfg = app.config
    if not cfg.is_local or cfg.chain_id is None or not is_dev_chain(cfg.chain_id):
        raise ConfigError(
            "`govchain up` brings up a local chain only (the `local` network, or `poa`); for "
            "another network use `govchain deploy` and `govchain participant apply`."
        )
    node = LocalNode(cfg)
    started = node.start()
    if started.notice:
        click.echo(f"warning: {started.notice}", err=True)
    s = started.status
    click.echo(
        f"✓ Local chain {'running' if started.already_running else 'started'}: "
        f"{s.engine} at {s.rpc_url} (chain id {s.chain_id}, block {s.block_number})"
    )
    compiled = compile_contracts(cfg)
    click.echo(
        f"✓ Contracts {'compiled' if compiled.compiled else 'up to date'} "
        f"({len(compiled.contracts)} artifacts)"
    )
    from govchain.devnet import cast
    from govchain.devnet.seed import seed_demo, seed_governance

    chain = Chain.from_config(cfg)
    bureau = cast.bureau()
    try:
        result = _deploy(app, chain, bureau.account, redeploy=True)
    except DeploymentError as exc:  # a damaged local book: start it again
        click.echo(f"note: {exc.message} Deploying afresh.")
        cfg.deployments_file.unlink(missing_ok=True)
        result = _deploy(app, chain, bureau.account, redeploy=True)
    _report(result, str(cfg.deployments_file))
    seeded, setup = seed_demo(app.gc, chain.sender(bureau.account))
    total = app.gc.directory.count()
    types = len(app.gc.certificates.store.types())
    click.echo(
        f"✓ Demo participants: {len(seeded.registered)} registered, "
        f"{len(seeded.granted)} roles granted, {total} in the directory"
    )
    click.echo(
        f"✓ Demo setup: {types} certificate types; {len(setup)} changes (types, issuer "
        "roles, encryption keys, ports)"
    )
    handed = seed_governance(app.gc, chain.sender(bureau.account))
    info = app.gc.governance.info()
    click.echo(
        f"✓ Governance: a committee of {len(info.members)} agencies, {info.threshold} votes "
        f"decide, {info.timelock_delay} s timelock; "
        + ("handed over now" if handed else "handed over already")
        + " (`govchain gov status`)"
    )
    node.checkpoint()
    g = ".venv/bin/govchain" + ("" if cfg.network == "local" else f" --network {cfg.network}")
    click.echo("\nGovChain is up. Try:")
    for command in (
        "participant list",
        "participant show customs-beijing",
        "cert types",
        "demo sharing",
        "node status",
    ):
        click.echo(f"  {g} {command}")
    if cfg.network == "local":
        click.echo("Then `make test` runs the tests and `make down` stops the chain.")
    else:
        click.echo(f"`{g} node stop` stops the chain.")
