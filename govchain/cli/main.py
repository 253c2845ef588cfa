"""``govchain``: the root command, global options and error handling.

Every :class:`~govchain.errors.GovChainError` is printed as one line on stderr with a non-zero
exit code; no command ever shows a traceback (set ``GOVCHAIN_DEBUG=1`` to see one).
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

import click

from govchain.cli import commands
from govchain.errors import GovChainError

EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


def one_line(text: str) -> str:
    """``text`` with every character that is not printable (control characters, line or
    paragraph separators, bidirectional overrides) escaped, so an error stays one honest line
    whatever the input it quotes."""
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )


def _usage_error(exc: click.UsageError, path: str) -> None:
    where = exc.ctx.command_path if exc.ctx else path
    message = exc.format_message()
    name = getattr(exc, "option_name", "") or ""
    if isinstance(exc, click.NoSuchOption) and name[1:2].isdigit():
        command = exc.ctx.command if exc.ctx else None
        params = getattr(command, "params", ())
        wanted = [p.human_readable_name for p in params if isinstance(p, click.Argument)]
        takes = f"it takes {' '.join(wanted)}; " if wanted else ""
        message = f"{name} is not an option: {takes}numbers here are zero or positive."
    click.echo(f"error: {one_line(message)} (see `{where} --help`)", err=True)


class GovChainGroup(click.Group):
    """The root group: turns every GovChain error into one line on stderr and an exit code.
    Its sub-commands are imported only when used (:mod:`govchain.cli.commands`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(commands.manifest())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in commands.BUILTIN:
            command = commands.load_builtin(cmd_name)
        elif command is None and cmd_name in commands.manifest():
            command = commands.case_command(cmd_name)
        if command is not None:
            self.commands[cmd_name] = command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands from the manifest: no command is imported to show its help."""
        helps = commands.manifest()
        names = sorted(helps)
        limit = formatter.width - 6 - max(map(len, names))
        rows = [(n, click.Command(n, help=helps[n]).get_short_help_str(limit)) for n in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:  # the root's own options: the same one line
            _usage_error(exc, info_name or "govchain")
            sys.exit(exc.exit_code)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except GovChainError as exc:
            click.echo(f"error: {one_line(exc.message)}", err=True)
            ctx.exit(exc.exit_code)
        except click.UsageError as exc:  # one line, like every other error
            _usage_error(exc, ctx.command_path)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:  # `govchain … | head`: the reader left; stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # the promise: never a traceback for a clerk
            if os.environ.get("GOVCHAIN_DEBUG"):
                traceback.print_exc()
            click.echo(
                f"internal error: {type(exc).__name__}: {exc}. Please report it; set "
                "GOVCHAIN_DEBUG=1 to see the details.",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)
        return None


@click.group(
    cls=GovChainGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option("--network", help="Network name from govchain.toml (default: local).")
@click.option("--rpc-url", help="JSON-RPC URL of the chain (overrides the network's).")
@click.option("--keystore", "keystore", type=click.Path(), help="Keystore directory.")
@click.option("--deployments", type=click.Path(), help="Address book file.")
@click.option("--data-dir", type=click.Path(), help="Project data directory (default .govchain).")
@click.option("--config", "config_file", type=click.Path(), help="Config file (govchain.toml).")
@click.version_option(package_name="govchain", prog_name="govchain")
@click.pass_context
def cli(ctx: click.Context, **overrides: str | None) -> None:
    """GovChain: blockchain government services for Beijing's twelve application cases."""
    from govchain.cli.common import App

    ctx.obj = App({k: v for k, v in overrides.items() if v is not None})


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="govchain")


if __name__ == "__main__":
    main()
