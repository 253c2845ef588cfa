#!/usr/bin/env python3
"""Deploy GovChain's contracts: the same code as `govchain deploy`, for deployment scripts.

Usage: scripts/deploy.py [--network N] [--rpc-url URL] [--deployments FILE] [--keystore DIR]
                         [--from ACCOUNT] [--redeploy] [--admin-name NAME] [--json]

Under brownie (eth-brownie 1.22, in its own virtual environment with govchain installed; see the
README): ``brownie run scripts/deploy.py [main [OPTION…]] --network govchain-local`` deploys on
the chain brownie is connected to. Brownie passes no argument that starts with ``-``, so the same
options are written without dashes there (``main redeploy json from=bureau``); ``--rpc-url``
defaults to brownie's connection. ``main`` returns brownie ``Contract`` objects of the deployment
by name (``run("deploy")`` in ``brownie console``).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from govchain.chain import artifacts
from govchain.chain.deployments import AddressBook
from govchain.cli.main import cli
from govchain.config import Config
from govchain.errors import GovChainError

# Options that take a value (the others are flags).
VALUE_OPTIONS = {"--from", "--admin-name"}
GLOBAL_OPTIONS = {"--network", "--rpc-url", "--deployments", "--keystore", "--data-dir", "--config"}
# Config.load's keyword for each global option.
CONFIG_KEYWORDS = {
    "--network": "network",
    "--rpc-url": "rpc_url",
    "--deployments": "deployments",
    "--keystore": "keystore",
    "--data-dir": "data_dir",
    "--config": "config_file",
}


def split(argv: list[str]) -> tuple[list[str], list[str]]:
    """Global options go before the `deploy` verb, the rest after it."""
    before: list[str] = []
    after: list[str] = []
    args = iter(argv)
    for arg in args:
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            before.append(arg)
            if "=" not in arg:
                before.append(next(args, ""))
        else:
            after.append(arg)
    return before, after


def global_values(global_args: list[str]) -> dict[str, str]:
    """``{"--rpc-url": "http://…", …}`` from the global options as :func:`split` returns them."""
    values: dict[str, str] = {}
    args = iter(global_args)
    for arg in args:
        name, eq, value = arg.partition("=")
        values[name] = value if eq else next(args, "")
    return values


def dashed(args: tuple[str, ...]) -> list[str]:
    """Brownie's dash-less options as command-line options: ``from=bureau`` → ``--from=bureau``,
    ``redeploy`` → ``--redeploy``; the value after a dashed ``--from`` stays as it is."""
    out: list[str] = []
    takes_value = False
    for arg in args:
        out.append(arg if arg.startswith("-") or takes_value else "--" + arg)
        takes_value = out[-1] in VALUE_OPTIONS | GLOBAL_OPTIONS and not takes_value
    return out


def main(*args: str) -> dict[str, Any]:
    """Brownie's entry point: deploy on brownie's connected network, return its contracts.

    ``args`` are the options of ``scripts/deploy.py``, with or without their dashes.
    """
    from brownie import Contract, network  # only inside brownie's environment

    if not network.is_connected():
        raise SystemExit("error: brownie is not connected to a network (use --network).")
    global_args, deploy_args = split(dashed(args))
    values = global_values(global_args)
    if "--rpc-url" not in values:
        values["--rpc-url"] = str(network.web3.provider.endpoint_uri)
        global_args = [*global_args, "--rpc-url", values["--rpc-url"]]
    try:
        code = cli(
            [*global_args, "deploy", *deploy_args],
            prog_name="scripts/deploy.py",
            standalone_mode=False,
        )
    except click.ClickException as exc:  # a usage mistake before any command ran
        raise SystemExit(f"error: {exc.format_message()}") from None
    if code:  # the error line is printed already
        raise SystemExit(code)
    try:
        options: dict[str, Any] = {CONFIG_KEYWORDS[k]: v for k, v in values.items()}
        config = Config.load(**options)
        book = AddressBook.load(config.deployments_file)
        return {
            name: Contract.from_abi(name, record.address, artifacts.load(name).abi)
            for name, record in sorted(book.contracts.items())
        }
    except GovChainError as exc:
        raise SystemExit(f"error: {exc.message}") from None


if __name__ == "__main__":
    global_args, deploy_args = split(sys.argv[1:])
    cli([*global_args, "deploy", *deploy_args], prog_name="scripts/deploy.py")
