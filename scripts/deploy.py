#!/usr/bin/env python3
"""Deploy GovChain's contracts: the same code as `govchain deploy`, for deployment scripts.

Usage: scripts/deploy.py [--network N] [--rpc-url URL] [--deployments FILE] [--keystore DIR]
                         [--from ACCOUNT] [--redeploy] [--admin-name NAME] [--json]
"""

from __future__ import annotations

import sys

from govchain.cli.main import cli

GLOBAL_OPTIONS = {"--network", "--rpc-url", "--deployments", "--keystore", "--data-dir", "--config"}


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


if __name__ == "__main__":
    global_args, deploy_args = split(sys.argv[1:])
    cli([*global_args, "deploy", *deploy_args], prog_name="scripts/deploy.py")
