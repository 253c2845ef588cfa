"""A real headless Chromium for the web page's tests: the binary of npm ``@sparticuz/chromium``
(a devDependency; Playwright's own download host is unreachable here), unpacked once under the
project's data directory (``.govchain/chromium/``) and driven by PyPI ``playwright``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from govchain.config import Config
from govchain.files import private_dir
from tests.conftest import REPO

#: Chromium as a test process without a sandbox or GPU wants it.
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu"]


def chromium_executable() -> Path:
    """The Chromium binary, unpacked by the npm package's own code the first time."""
    home = private_dir(Config.load(root=REPO).data_dir / "chromium")
    binary = home / "chromium"
    if binary.is_file() and os.access(binary, os.X_OK):
        return binary
    done = subprocess.run(
        ["node", str(REPO / "tests" / "js" / "chromium_path.mjs")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env={**os.environ, "TMPDIR": str(home)},
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"@sparticuz/chromium could not unpack Chromium: {done.stderr.strip()}")
    path = Path(done.stdout.strip().splitlines()[-1])
    if not path.is_file():
        raise RuntimeError(f"@sparticuz/chromium named {path}, which does not exist")
    return path
