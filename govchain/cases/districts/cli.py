"""``govchain xicheng|chaoyang|shunyi|edz``: the generated commands plus the hub's own."""

from __future__ import annotations

import click

from govchain.cli.hub import hub_commands


def extend(group: click.Group) -> None:
    assert group.name is not None
    hub_commands(group, group.name)
