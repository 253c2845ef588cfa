"""``govchain node``: the local chain."""

from __future__ import annotations

import time

import click

from govchain.chain.node import LocalNode
from govchain.cli.common import App, json_option, pass_app, print_json


@click.group()
def node() -> None:
    """Start, stop and inspect the local chain (Anvil; Ganache; a proof-of-authority chain)."""


@node.command()
@click.option(
    "--engine",
    type=click.Choice(["anvil", "ganache", "poa"]),
    help="Default: from config. poa: EthereumJS sealing a block every 2 s, chain id 1338 "
    "(the `poa` network of govchain.toml).",
)
@pass_app
def start(app: App, engine: str | None) -> None:
    """Start the local chain in the background (state persists under the data directory)."""
    if engine:
        app.overrides["engine"] = engine
    result = LocalNode(app.config).start()
    if result.notice:
        click.echo(f"warning: {result.notice}", err=True)
    s = result.status
    verb = "is already running" if result.already_running else "started"
    click.echo(
        f"✓ Local chain {verb}: {s.engine} at {s.rpc_url}, chain id {s.chain_id}, "
        f"block {s.block_number}."
    )


@node.command()
@pass_app
def stop(app: App) -> None:
    """Stop the local chain cleanly (a final checkpoint is written)."""
    if LocalNode(app.config).stop():
        click.echo("✓ Local chain stopped.")
    else:
        click.echo("The local chain was not running.")


@node.command()
@json_option
@pass_app
def status(app: App, as_json: bool) -> None:
    """Is the local chain running? Engine, block, process ids, last checkpoint."""
    s = LocalNode(app.config).status()
    if as_json:
        print_json(s.as_dict())
        return
    if not s.running:
        click.echo(f"Local chain: not running ({s.rpc_url})" + (f" — {s.note}" if s.note else ""))
        raise SystemExit(1)
    click.echo(f"Local chain: running ({s.engine}) at {s.rpc_url}")
    click.echo(f"  chain id {s.chain_id}, block {s.block_number}")
    click.echo(
        f"  supervisor pid {s.supervisor_pid}, chain pid {s.chain_pid}, since {s.started_at}"
    )
    click.echo(
        f"  state {s.state_file}" + (f" (checkpoint {s.checkpoint_at})" if s.checkpoint_at else "")
    )


@node.command()
@click.option(
    "-n",
    "--lines",
    default=50,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="How many lines (1 to 100,000).",
)
@click.option("-f", "--follow", is_flag=True, help="Keep printing new lines.")
@pass_app
def logs(app: App, lines: int, follow: bool) -> None:
    """Show the local chain's log."""
    local = LocalNode(app.config)
    click.echo(local.tail(lines))
    if not follow or not local.log_file.exists():
        return
    with local.log_file.open("r", errors="replace") as fh:
        fh.seek(0, 2)
        try:
            while True:
                line = fh.readline()
                if line:
                    click.echo(line, nl=False)
                else:
                    time.sleep(0.3)
        except KeyboardInterrupt:
            return


@node.command()
@pass_app
def checkpoint(app: App) -> None:
    """Write a checkpoint of the chain state now (Anvil)."""
    size = LocalNode(app.config).checkpoint()
    click.echo(f"✓ Checkpoint written ({size:,} bytes)." if size else "✓ Ganache persists itself.")


@node.command()
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def reset(app: App, yes: bool) -> None:
    """Stop the local chain and delete its state (every local deployment is lost)."""
    if not yes:
        click.confirm("Delete the local chain's state?", abort=True)
    LocalNode(app.config).reset()
    click.echo("✓ Local chain state deleted; `make up` starts a fresh one.")
