"""What every CLI command shares: configuration, connection, signers, output."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import click

from govchain.chain.accounts import Keystore, KeystoreEntry
from govchain.chain.chain import Receipt
from govchain.chain.signers import PASSWORD_ENV
from govchain.chain.tx import Sender
from govchain.client import GovChain, resolve_address
from govchain.config import Config
from govchain.errors import ConfigError, InputError
from govchain.files import private_dir

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class App:
    """The context object of one CLI invocation (``ctx.obj``)."""

    overrides: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def config(self) -> Config:
        config = Config.load(**self.overrides)
        usable_data_dir(config.data_dir)
        return config

    #: What settling interrupted writes did when this invocation connected.
    recovered: list[str] = field(default_factory=list)

    @cached_property
    def gc(self) -> GovChain:
        gc = GovChain.connect(self.config)
        gc.certificates.store.types()  # names the certificate roles for parsing and printing
        self.recovered = gc.recover()  # an interrupted write is settled before anything else
        for line in self.recovered:
            click.echo(f"note: {line}", err=True)
        return gc

    @property
    def keystore(self) -> Keystore:
        return Keystore(self.config.keystore_dir)

    def signer(self, who: str) -> Sender:
        return self.gc.signer(who, ask=prompt_password)

    def address(self, text: str) -> str:
        """An address typed by a clerk, or a keystore label / demo-cast key standing for one."""
        return resolve_address(self.config, text, local=self.config.network == "local")


pass_app = click.make_pass_decorator(App)


def usable_data_dir(path: Path) -> None:
    """Refuse, in one sentence, a data directory that cannot be made or written (``/proc/x``, a
    read-only mount): better at once than after a transaction was sent."""
    try:
        private_dir(path)
        probe = tempfile.NamedTemporaryFile(dir=path, prefix=".probe-")  # noqa: SIM115
        probe.close()
    except OSError as exc:
        raise ConfigError(
            f"The data directory {path} cannot be created or written "
            f"({exc.strerror or exc}); choose another with --data-dir or GOVCHAIN_DATA_DIR."
        ) from None


#: A request, delivery or other on-chain number: a positive integer that fits in a uint256.
NUMBER = click.IntRange(min=1, max=2**256 - 1)


def prompt_password(entry: KeystoreEntry) -> str:
    """``GOVCHAIN_PASSWORD`` for scripts, else a hidden prompt."""
    env = os.environ.get(PASSWORD_ENV)
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise InputError(
            f"Keystore '{entry.label}' needs a password: set {PASSWORD_ENV} when not at a terminal."
        )
    value: str = click.prompt(f"Password for {entry.label}", hide_input=True)
    return value


def new_password() -> str:
    env = os.environ.get(PASSWORD_ENV)
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise InputError(f"Set {PASSWORD_ENV} to give the new keystore's password in a script.")
    value: str = click.prompt(
        "Password for the new keystore", hide_input=True, confirmation_prompt=True
    )
    return value


def json_option(fn: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(fn)


def from_option(required: bool = True, default: str | None = None) -> Callable[[F], F]:
    help_text = "Who signs: keystore label or address (demo-cast key on the local chain)."
    if default:
        help_text += f" Default: {default}."
    # No default at all unless one is given: click 8.3+ counts an explicit default=None as a
    # value, so a required --from would silently be None.
    extra: dict[str, Any] = {} if default is None else {"default": default}
    return click.option(
        "--from",
        "who",
        required=required and default is None,
        envvar="GOVCHAIN_FROM",
        help=help_text,
        **extra,
    )


def transition_commands(
    group: click.Group,
    argument: str,
    steps: Sequence[tuple[str, str, Callable[[App, Sender, str], Receipt]]],
    status: Callable[[App, str], str],
) -> None:
    """Add one command per state-machine step: ``govchain GROUP NAME ID --from WHO``, which
    performs the step and reports the new status."""
    for name, help_text, action in steps:

        def command(app: App, who: str, as_json: bool, _action: Any = action, **kw: str) -> None:
            key = kw[argument]
            receipt = _action(app, app.signer(who), key)
            now = status(app, key)
            done(f"{key}: {now}", receipt, as_json, extra={"status": now})

        command.__doc__ = help_text
        decorated = pass_app(json_option(from_option()(click.argument(argument)(command))))
        group.command(name, help=help_text)(decorated)


def read_file(path: Path) -> bytes:
    """The bytes of a file a clerk named; a clear error if it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror}.") from None


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A plain aligned table for people."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            click.echo("  ".join("-" * w for w in widths))


def done(
    message: str,
    receipt: Receipt | None = None,
    as_json: bool = False,
    extra: dict[str, Any] | None = None,
) -> None:
    """Report a completed write: a ✓ line for people, or JSON."""
    info: dict[str, Any] = dict(extra or {})
    if receipt is not None:
        info.update(
            txHash=receipt.tx_hash, blockNumber=receipt.block_number, gasUsed=receipt.gas_used
        )
    if as_json:
        print_json({"ok": True, "message": message, **info})
        return
    click.echo(f"✓ {message}")
    if receipt is not None:
        click.echo(
            f"  tx {receipt.tx_hash} (block {receipt.block_number}, gas {receipt.gas_used:,})"
        )
