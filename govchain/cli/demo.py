"""``govchain demo``: run the demo scenarios on the local chain."""

from __future__ import annotations

import click

from govchain.cli.common import App, pass_app
from govchain.errors import ConfigError


@click.group()
def demo() -> None:
    """Run demo scenarios on the local chain (after `make up`)."""


def _local(app: App) -> None:
    if app.config.network != "local":
        raise ConfigError("The demos use the public development keys: local chain only.")


@demo.command()
@pass_app
def sharing(app: App) -> None:
    """HR obtains a citizen's social-insurance records for an unemployment claim."""
    from govchain.demo import sharing as scenario

    _local(app)
    scenario.run(app.gc, click.echo)


@demo.command()
@pass_app
def logistics(app: App) -> None:
    """One air export shipment: booking to delivery, documents, tracking, tax refund."""
    from govchain.demo import logistics as scenario

    _local(app)
    scenario.run(app.gc, click.echo)


@demo.command()
@pass_app
def port(app: App) -> None:
    """A cross-region declaration through the Jing-Jin-Ji single window."""
    from govchain.demo import port as scenario

    _local(app)
    scenario.run(app.gc, click.echo)


@demo.command("all")
@pass_app
def all_(app: App) -> None:
    """Every demo scenario."""
    from govchain.demo import logistics as one
    from govchain.demo import port as two
    from govchain.demo import sharing as three

    _local(app)
    for scenario in (one, two, three):
        scenario.run(app.gc, click.echo)
        click.echo("")
