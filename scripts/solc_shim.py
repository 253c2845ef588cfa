#!/usr/bin/env python3
"""Install a ``solc-v0.8.28`` for py-solc-x (and so brownie) that runs the pinned solcjs.

There is no native solc on these machines and brownie's compiler download cannot reach its host.
py-solc-x looks for ``solc-v<version>`` in ``$SOLCX_BINARY_PATH`` or ``~/.solcx``; this writes a
small script there that:

* answers ``--version`` in the native format at once (``Version: 0.8.28+commit.7893614a``),
  without starting node: brownie asks for the version many times per command;
* runs everything else through ``scripts/solc_solcjs.py`` (solcjs from ``node_modules`` with the
  project's import roots), dropping ``--allow-paths`` and its value, which solcjs does not know;
* keeps solcjs's ``>>> Cannot retry compilation with SMT …`` notice off stdout, where it would
  corrupt the JSON.

The project root is the working directory when it is a GovChain checkout (so one shim serves every
checkout of a user), else the checkout that installed the shim. An existing file that is not a
GovChain shim (a real solc) is left alone. Standard library only.

Usage: scripts/solc_shim.py [--dir DIR]      prints the path of the shim
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRAPPER = ROOT / "scripts" / "solc_solcjs.py"
SOLC_VERSION = "0.8.28"
MARKER = "# GovChain solc shim"

TEMPLATE = """#!{python}
{marker}: solcjs {version} answering like a native solc (written by scripts/solc_shim.py).
import os
import sys
from pathlib import Path

VERSION = {version!r}
INSTALLED_BY = {root!r}
SMT_NOTICE = ">>> Cannot retry compilation with SMT"

args = sys.argv[1:]
if "--version" in args:
    print("solc, the solidity compiler commandline interface")
    print("Version: " + VERSION)
    sys.exit(0)

here = Path.cwd()
root = here if (here / "scripts" / "solc_solcjs.py").is_file() else Path(INSTALLED_BY)
kept = []
skip = False
for arg in args:
    if skip:
        skip = False
    elif arg == "--allow-paths":
        skip = True
    elif not arg.startswith("--allow-paths="):
        kept.append(arg)
os.environ.setdefault("GOVCHAIN_ROOT", str(root))
sys.path.insert(0, str(root / "scripts"))
import solc_solcjs  # noqa: E402

sys.exit(solc_solcjs.main(kept))
"""


def install_dir() -> Path:
    """Where py-solc-x looks for installed compilers."""
    return Path(os.environ.get("SOLCX_BINARY_PATH") or Path.home() / ".solcx")


def solcjs_version() -> str:
    """The full version of the pinned solcjs (``0.8.28+commit.…``); SystemExit if it is not."""
    done = subprocess.run(
        [sys.executable, str(WRAPPER), "--version"], capture_output=True, text=True, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith("Version:"):
            version = line.split(":", 1)[1].strip()
            if not version.startswith(SOLC_VERSION + "+"):
                raise SystemExit(f"node_modules has solc {version}, the shim needs {SOLC_VERSION}.")
            return version
    raise SystemExit(f"solcjs did not answer --version: {(done.stderr or done.stdout).strip()}")


def install(directory: Path) -> Path:
    """Write (or refresh) ``directory/solc-v0.8.28``; return its path."""
    target = directory / f"solc-v{SOLC_VERSION}"
    if target.is_file() and MARKER.encode() not in target.read_bytes()[:200]:
        return target  # a real solc: keep it
    text = TEMPLATE.format(
        python=Path(sys.executable).resolve(),
        marker=MARKER,
        version=solcjs_version(),
        root=str(ROOT),
    )
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return target
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".solc-shim-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o755)
    os.replace(tmp, target)  # atomic: a concurrent compile sees the old shim or the new one
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dir", type=Path, help="install directory (default: $SOLCX_BINARY_PATH or ~/.solcx)"
    )
    args = parser.parse_args(argv)
    try:
        print(install(args.dir or install_dir()))
    except OSError as exc:
        print(f"error: cannot write the solc shim: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
