"""``govchain account``: encrypted keystores. Keys never appear on the command line."""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from pathlib import Path

import click

from govchain.cli.common import App, done, json_option, new_password, pass_app, print_json, table
from govchain.errors import InputError
from govchain.inputs import read_text

KEY_ENV = "GOVCHAIN_PRIVATE_KEY"


@click.group()
def account() -> None:
    """Create, import and list signing accounts (encrypted keystores)."""


@account.command()
@click.argument("label")
@pass_app
def new(app: App, label: str) -> None:
    """Create a new account called LABEL (password prompted, or GOVCHAIN_PASSWORD)."""
    entry = app.keystore.new(label, new_password())
    click.echo(f"✓ Created account '{entry.label}': {entry.address}")
    click.echo(f"  keystore {entry.path}")


@account.command("import")
@click.argument("label")
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read the private key (hex) from this file.",
)
@click.option(
    "--keystore-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Import an existing v3 keystore file (its password is asked).",
)
@pass_app
def import_(app: App, label: str, key_file: Path | None, keystore_file: Path | None) -> None:
    """Import a private key or a keystore file as LABEL.

    The key is read from --key-file, from GOVCHAIN_PRIVATE_KEY, or typed at a hidden prompt;
    never from the command line.
    """
    if key_file and keystore_file:
        raise InputError("Give either --key-file or --keystore-file, not both.")
    if keystore_file:
        entry = app.keystore.import_file(keystore_file, label, new_password())
    else:
        entry = app.keystore.import_key(_read_key(key_file), label, new_password())
    click.echo(f"✓ Imported account '{entry.label}': {entry.address}")


def _read_key(key_file: Path | None) -> str:
    if key_file is not None:
        return read_text(key_file, "Key file", max_bytes=4096).strip()
    env = os.environ.get(KEY_ENV)
    if env:
        return env.strip()
    if not sys.stdin.isatty():
        raise InputError(f"Give the key with --key-file or {KEY_ENV} when not at a terminal.")
    value: str = click.prompt("Private key (hex)", hide_input=True)
    return value.strip()


@account.command()
@click.argument("who")
@click.option("--ether", "amount", default="10", show_default=True, help="How much ether.")
@json_option
@pass_app
def fund(app: App, who: str, amount: str, as_json: bool) -> None:
    """Send ether to WHO (an address or account label) on the local development chain.

    The local chain's faucet (a public development key) pays; every other chain refuses: there
    the consortium's operator funds members' accounts.
    """
    from govchain.devnet import faucet

    wei = faucet.ether(amount)
    address = app.address(who)
    chain = app.gc.chain
    receipt = faucet.fund(chain, address, wei)
    balance = Decimal(chain.balance(address)) / faucet.WEI_PER_ETHER
    done(
        f"Sent {amount} ether to {address}; it now holds {balance.normalize():f}",
        receipt,
        as_json=as_json,
        extra={"address": address, "wei": wei, "balanceWei": chain.balance(address)},
    )


@account.command("list")
@click.option("--dev", is_flag=True, help="Also list the demo cast's development keys.")
@json_option
@pass_app
def list_(app: App, dev: bool, as_json: bool) -> None:
    """List keystore accounts (and, with --dev, the local demo cast's public dev keys)."""
    rows = [
        {"label": e.label, "address": e.address, "source": "keystore", "path": str(e.path)}
        for e in app.keystore.list()
    ]
    if dev:
        from govchain.devnet import cast

        rows += [
            {
                "label": m.key,
                "address": m.address,
                "source": "development key (PUBLIC, local chain only)",
                "path": "",
            }
            for m in cast.CAST
        ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo(
            "No accounts yet: `govchain account new LABEL` creates one "
            "(--dev lists the local demo keys)."
        )
        return
    table(["label", "address", "source"], [[r["label"], r["address"], r["source"]] for r in rows])
