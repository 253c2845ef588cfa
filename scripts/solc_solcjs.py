#!/usr/bin/env python3
"""A native-``solc``-compatible command for tools that want one (slither, crytic-compile).

There is no native solc on these machines: this runs the pinned solcjs from ``node_modules``
through the project's own shim (``govchain/chain/solcjs_shim.js``), so there is one compiler path.

* ``--version`` prints the native format (``Version: 0.8.28+commit...``).
* ``--standard-json`` reads the input on stdin and writes the output on stdout. Imports resolve
  against the project root and ``node_modules``; when the input does not set them, the project's
  ``evmVersion`` (paris) and the OpenZeppelin remapping are filled in. ``--allow-paths``,
  ``--base-path`` and ``--include-path`` given by the caller are ignored (the roots are fixed).
* solcjs's ``>>> Cannot retry compilation with SMT …`` notice never reaches stdout.

Standard library only: it runs under whichever Python the calling tool uses.
Override the project root with ``GOVCHAIN_ROOT`` (default: this file's parent directory's parent).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(os.environ.get("GOVCHAIN_ROOT") or Path(__file__).resolve().parent.parent)
NODE_MODULES = ROOT / "node_modules"
SHIM = ROOT / "govchain" / "chain" / "solcjs_shim.js"
# Defaults only; the real build settings live in govchain.chain.compiler.settings().
EVM_VERSION = "paris"
REMAPPING = "@openzeppelin/=node_modules/@openzeppelin/"
# solcjs's command line prints this notice on stdout, in front of the JSON; never pass it on.
SMT_NOTICE = ">>> Cannot retry compilation with SMT"


def _shim(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GOVCHAIN_NODE_MODULES": str(NODE_MODULES)}
    roots = ["--base-path", str(ROOT), "--include-path", str(NODE_MODULES)]
    return subprocess.run(
        ["node", str(SHIM), *args, *roots],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def with_defaults(standard_input: dict[str, Any]) -> dict[str, Any]:
    """The input with the project's evmVersion and remapping added where it sets none."""
    settings = standard_input.setdefault("settings", {})
    settings.setdefault("evmVersion", EVM_VERSION)
    remappings = settings.setdefault("remappings", [])
    if not any(r.startswith("@openzeppelin/") for r in remappings):
        remappings.append(REMAPPING)
    return standard_input


def without_smt_notice(stdout: str) -> str:
    """``stdout`` without solcjs's SMT notice lines (they are not part of solc's output)."""
    if SMT_NOTICE not in stdout:
        return stdout
    return "".join(line for line in stdout.splitlines(True) if not line.startswith(SMT_NOTICE))


def main(argv: list[str]) -> int:
    if not (NODE_MODULES / "solc" / "package.json").is_file():
        print(f"solcjs is not installed in {NODE_MODULES}: run `npm ci`.", file=sys.stderr)
        return 1
    if "--version" in argv:
        done = _shim(["--version"])
    elif "--standard-json" in argv:
        try:
            standard_input = json.loads(sys.stdin.read())
        except ValueError as exc:
            print(f"standard JSON input is not valid JSON: {exc}", file=sys.stderr)
            return 1
        done = _shim(["--standard-json"], json.dumps(with_defaults(standard_input)))
    else:
        print("only --version and --standard-json are supported (solcjs wrapper)", file=sys.stderr)
        return 1
    sys.stdout.write(without_smt_notice(done.stdout))
    sys.stderr.write(done.stderr)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
