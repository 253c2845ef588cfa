"""`govchain --help` lists every command from a manifest, without importing the platform; the
manifest follows the sources."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("eth_abi", "eth_account", "govchain.client", "govchain.framework.casebase.registry")
CODE = (
    "import sys\n"
    "from govchain.cli.main import main\n"
    "sys.argv = ['govchain', '--help']\n"
    "try:\n"
    "    main()\n"
    "except SystemExit:\n"
    "    pass\n"
    f"print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
)


def help_run(cache: Path) -> tuple[str, str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", CODE], env=env, capture_output=True, text=True, check=True
    )
    text, _, loaded = done.stdout.rpartition("LOADED")
    return text, loaded.strip()


def test_help_comes_from_the_manifest_once_built(tmp_path: Path) -> None:
    first, _ = help_run(tmp_path)  # builds the manifest: imports every command once
    second, loaded = help_run(tmp_path)
    assert second == first
    assert loaded == "[]"  # nothing of the platform was imported
    listed = {line.split()[0] for line in second.split("Commands:")[1].splitlines() if line}
    assert {"port", "logistics", "edz", "benefit", "cert", "web", "cases", "node"} <= listed
    assert len(list((tmp_path / "govchain").glob("commands-*.json"))) == 1


def test_the_manifest_is_rebuilt_when_a_source_changes(tmp_path: Path) -> None:
    help_run(tmp_path)
    before = {p.name for p in (tmp_path / "govchain").glob("commands-*.json")}
    source = Path(__file__).resolve().parent.parent / "govchain" / "cli" / "node.py"
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    try:
        help_run(tmp_path)
    finally:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = {p.name for p in (tmp_path / "govchain").glob("commands-*.json")}
    assert len(after) == 1 and after != before  # a new manifest replaced the old one
