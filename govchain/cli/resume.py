"""``govchain resume``: settle writes a crash or Ctrl-C interrupted."""

from __future__ import annotations

import click

from govchain.cli.common import App, pass_app


@click.command("resume")
@pass_app
def resume(app: App) -> None:
    """Finish or undo interrupted batch writes (every command also does this first)."""
    app.gc  # noqa: B018 - connecting settles every interrupted write (and prints it)
    said = app.recovered
    if said:
        click.echo(f"✓ Settled {len(said)} interrupted write(s).")
    else:
        click.echo("Nothing to resume: no write was interrupted.")
