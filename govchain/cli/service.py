"""``govchain service``: the five district hubs behind one command. ``govchain service VERB
--district D ARGS`` runs ``govchain D VERB ARGS`` (``status`` is ``show``); ``service stats``
measures the platform's own figures across the districts."""

from __future__ import annotations

from typing import Any

import click

from govchain.cli.common import App, json_option, pass_app, print_json, table
from govchain.errors import InputError

DISTRICTS = ("haidian", "xicheng", "chaoyang", "shunyi", "edz")
#: ``service`` verb -> the district group's command.
FORWARDED = {
    "catalog": "catalog",
    "apply": "apply",
    "file": "file",
    "approve": "approve",
    "reject": "reject",
    "complete": "complete",
    "certify": "certify",
    "status": "show",
    "history": "history",
    "list": "list",
    "overdue": "overdue",
}


class ServiceGroup(click.Group):
    """Forwards each verb to the district's own command."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*FORWARDED, *super().list_commands(ctx)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in FORWARDED:
            return _forward(cmd_name, FORWARDED[cmd_name])
        return super().get_command(ctx, cmd_name)


def _forward(verb: str, target: str) -> click.Command:
    @click.command(
        verb,
        help=f"`govchain DISTRICT {target} …` for the district named by --district.",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
        add_help_option=False,
    )
    @click.option("--district", required=True, type=click.Choice(DISTRICTS), help="The district.")
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    @click.pass_context
    def forward(ctx: click.Context, district: str, args: tuple[str, ...]) -> Any:
        root = ctx.find_root().command
        assert isinstance(root, click.Group)
        group = root.get_command(ctx, district)
        command = group.get_command(ctx, target) if isinstance(group, click.Group) else None
        if command is None:
            raise InputError(f"The {district} hub has no '{verb}' command.")
        sub = command.make_context(f"{district} {target}", list(args), parent=ctx)
        with sub:
            return command.invoke(sub)

    return forward


@click.group("service", cls=ServiceGroup)
def service() -> None:
    """The district service hubs (cases 8-12) behind one command: `service VERB --district D`."""


@service.command()
@click.option("--district", type=click.Choice(DISTRICTS), help="One district only.")
@json_option
@pass_app
def stats(app: App, district: str | None, as_json: bool) -> None:
    """Applications, paperwork still handed in against the old process, median time to
    completion and overdue steps, per district and overall (from the event index)."""
    from govchain.framework.casebase.hubstats import (
        PUBLISHED_ENTERPRISE_SUBMISSION_REDUCTION,
        PUBLISHED_RESOURCE_REDUCTION,
        service_stats,
    )

    per, total = service_stats(app.gc)
    rows = [s for s in per if district in (None, s.district)] + ([total] if not district else [])
    if as_json:
        print_json(
            {
                "districts": [s.as_dict() for s in rows if s is not total],
                "overall": total.as_dict(),
                "published": {
                    "resourceReduction": PUBLISHED_RESOURCE_REDUCTION,
                    "enterpriseSubmissionReduction": PUBLISHED_ENTERPRISE_SUBMISSION_REDUCTION,
                },
            }
        )
        return
    table(
        ["district", "applications", "done/rejected/open", "documents before → now",
         "paperwork −", "enterprise −", "median to completion", "overdue steps"],
        [
            [
                s.district,
                s.applications,
                f"{s.completed}/{s.rejected}/{s.open}",
                f"{s.documents_asked_before} → {s.documents_handed_in}",
                _percent(s.paperwork_reduction),
                _percent(s.enterprise_reduction),
                _duration(s.median_completion_seconds),
                s.overdue_steps,
            ]
            for s in rows
        ],
    )  # fmt: skip
    click.echo(
        f"Published: {PUBLISHED_RESOURCE_REDUCTION:.0%} fewer resources on average, "
        f"{PUBLISHED_ENTERPRISE_SUBMISSION_REDUCTION:.0%} fewer enterprise data submissions."
    )


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
