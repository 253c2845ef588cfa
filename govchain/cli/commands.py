"""The root command's sub-commands, loaded only when used.

``govchain --help`` and shell completion need each command's name and one line of help, not
its code: building every case's command group imports the whole platform (specs, eth_abi, the
client), about half a second. So the root lists names and help from a small manifest, and
imports a command's module only when that command runs. The manifest is rebuilt from the real
commands whenever a file under ``govchain/cli`` or ``govchain/cases`` (or an installed
distribution, which may ship a case plug-in) changed, and kept in the user's cache directory
(``$XDG_CACHE_HOME/govchain``); when the cache cannot be written it is simply rebuilt each time.
A process that has already registered cases (a test, an SDK user's script) sees its live
registry instead.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

#: Built-in commands: name -> "module:attribute".
BUILTIN = {
    "node": "govchain.cli.node:node",
    "compile": "govchain.cli.build:compile_cmd",
    "deploy": "govchain.cli.build:deploy_cmd",
    "up": "govchain.cli.build:up",
    "account": "govchain.cli.account:account",
    "participant": "govchain.cli.participant:participant",
    "cert": "govchain.cli.cert:cert",
    "data": "govchain.cli.data:data",
    "gov": "govchain.cli.gov:gov",
    "cases": "govchain.cli.cases:cases_cmd",
    "service": "govchain.cli.service:service",
    "demo": "govchain.cli.demo:demo",
    "resume": "govchain.cli.resume:resume",
    "web": "govchain.cli.web:web",
}
#: Commands of a case group also offered at the top: name -> (case, command).
ALIASES = {"benefit": ("haidian", "benefit")}

PACKAGE = Path(__file__).resolve().parent.parent
_read: list[dict[str, str]] = []  # the manifest this process read or built
WATCHED = (PACKAGE / "cli", PACKAGE / "cases")


def load_builtin(name: str) -> click.Command:
    module, _, attribute = BUILTIN[name].partition(":")
    command: click.Command = getattr(importlib.import_module(module), attribute)
    return command


def case_command(name: str) -> click.Command | None:
    """The command group of case ``name`` (or an alias into one), built from its spec."""
    from govchain.cli.cases import case_group
    from govchain.framework.casebase import registry

    case, sub = ALIASES.get(name, (name, None))
    spec = next((s for s in registry.cases() if s.name == case), None)
    if spec is None:
        return None
    group = case_group(spec)
    return group.commands.get(sub) if sub else group


def live_cases() -> dict[str, str] | None:
    """{name: title} of the cases this process registered already, else None."""
    from govchain.framework.casebase import registry

    if not registry.registered():
        return None
    cases = {s.name: s.title for s in registry.cases()}
    return cases | {a: _alias_help(a) for a, (case, _) in ALIASES.items() if case in cases}


def _alias_help(alias: str) -> str:
    command = case_command(alias)
    return (command.short_help or command.help or "") if command else ""


def manifest() -> dict[str, str]:
    """{command name: help} of every top-level command, from the cache when it is current."""
    if "govchain.framework.casebase.registry" in sys.modules:
        live = live_cases()
        if live is not None:
            return {**_builtin_help(), **live}
    if _read:  # once a process: --help asks for the list and the help of each
        return _read[0]
    path = _cache_dir() / f"commands-{_checkout()}-{_fingerprint()}.json"
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(cached, dict) and all(isinstance(v, str) for v in cached.values()):
            _read.append(cached)
            return cached
    except (OSError, ValueError):
        pass
    from govchain.framework.casebase import registry

    built = {**_builtin_help(), **{s.name: s.title for s in registry.cases()}}
    built |= {a: _alias_help(a) for a, (case, _) in ALIASES.items() if case in built}
    _write(path, built)
    _read.append(built)
    return built


def _builtin_help() -> dict[str, str]:
    out = {}
    for name in BUILTIN:
        command = load_builtin(name)
        out[name] = command.short_help or command.help or ""
    return out


def _fingerprint() -> str:
    """Changes when a watched source file or the set of installed distributions changes."""
    digest = hashlib.sha256(sys.version.encode())
    for top in WATCHED:
        for folder, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py") or name.endswith(".json"):
                    info = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}:{info.st_mtime_ns}:{info.st_size};".encode())
    for entry in sys.path:
        try:
            digest.update(f"{entry}:{os.stat(entry or '.').st_mtime_ns};".encode())
        except OSError:
            continue
    return digest.hexdigest()[:24]


def _checkout() -> str:
    """Which installation this is: several checkouts share one cache directory."""
    return hashlib.sha256(str(PACKAGE).encode()).hexdigest()[:12]


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "govchain"


def _write(path: Path, data: dict[str, Any]) -> None:
    """Write the manifest atomically; drop older ones. A cache that cannot be written is no
    error: the manifest is rebuilt next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"commands-{_checkout()}-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".commands-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        return
