"""``govchain demo``: run the demo scenarios on the local chain (one per registered case, plus the
data-sharing scenario)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from govchain.cli.common import App, pass_app
from govchain.config import DEV_CHAIN_IDS, is_dev_chain
from govchain.errors import ConfigError
from govchain.framework.casebase import registry


def _local(app: App) -> None:
    chain_id = app.gc.chain.chain_id
    if not is_dev_chain(chain_id):
        raise ConfigError(
            "The demos use the public development keys: local chains only (ids "
            f"{', '.join(map(str, DEV_CHAIN_IDS))}); this chain has id {chain_id}."
        )


def _sharing() -> Callable[..., Any]:
    from govchain.demo import sharing

    return sharing.run


def _scenarios() -> dict[str, tuple[str, Callable[[], Callable[..., Any]]]]:
    """Name -> (help, loader of its run(gc, say) function)."""
    out: dict[str, tuple[str, Callable[[], Callable[..., Any]]]] = {}
    for spec in registry.cases():
        if spec.demo:
            out[spec.name] = (spec.title, functools.partial(registry.load, spec.demo))
    out["sharing"] = ("HR obtains a citizen's social-insurance records for a claim.", _sharing)
    return out


class DemoGroup(click.Group):
    """Subcommands generated from the registered cases' demo scenarios."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*_scenarios(), "all"]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        scenarios = _scenarios()
        if name == "all":
            return click.Command("all", callback=_run_all, help="Every demo scenario.")
        if name not in scenarios:
            return None
        help_text, loader = scenarios[name]

        @pass_app
        def run(app: App) -> None:
            _local(app)
            loader()(app.gc, click.echo)

        return click.Command(name, callback=run, help=help_text)


@pass_app
def _run_all(app: App) -> None:
    _local(app)
    for _name, (_help, loader) in _scenarios().items():
        loader()(app.gc, click.echo)
        click.echo("")


@click.group(cls=DemoGroup)
def demo() -> None:
    """Run demo scenarios on the local chain (after `make up`)."""
