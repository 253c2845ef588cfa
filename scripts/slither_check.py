#!/usr/bin/env python3
"""Run slither over ``contracts/``; fail on any finding ``slither.triage.toml`` does not explain.

``make slither`` (and ``make lint``) run this with the slither virtual environment's Python. Steps:

1. Build one standard-JSON input of every ``.sol`` file under ``contracts/`` with the project's
   own compiler settings (``govchain.chain.compiler``: evmVersion paris, optimizer, the
   OpenZeppelin remapping), so slither analyses exactly what ``govchain compile`` builds.
2. Run slither on it with ``slither.config.json`` (the solcjs wrapper ``scripts/solc_solcjs.py`` as
   the compiler, the paths reported on). Offline: nothing is downloaded. Slither's own triage
   database is bypassed, so only the committed triage file can hide a finding.
3. Match every finding against the entries of ``slither.triage.toml`` (detector, function,
   description substrings, each with a one-line reason). Exit 1 when a finding is unexplained,
   when an entry matches nothing (stale), or when an excluded detector has no reason.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "slither.config.json"
TRIAGE = ROOT / "slither.triage.toml"


@dataclass(frozen=True)
class Entry:
    """One explained finding (or family of findings) from the triage file."""

    detector: str
    reason: str
    function: str | None  # "Contract.function", fnmatch pattern; None: any
    contains: tuple[str, ...]  # substrings the description must all contain

    def matches(self, finding: dict[str, Any]) -> bool:
        if finding.get("check") != self.detector:
            return False
        if self.function is not None:
            where = function_of(finding)
            if where is None or not fnmatchcase(where, self.function):
                return False
        description = str(finding.get("description", ""))
        return all(part in description for part in self.contains)

    def label(self) -> str:
        return f"{self.detector} {self.function or '*'} {list(self.contains) or ''}".strip()


def function_of(finding: dict[str, Any]) -> str | None:
    """``Contract.function`` of the finding's first function element, if it has one."""
    for element in finding.get("elements", []):
        if element.get("type") == "function":
            parent = element.get("type_specific_fields", {}).get("parent", {}).get("name", "?")
            return f"{parent}.{element.get('name', '?')}"
    return None


def location_of(finding: dict[str, Any]) -> str:
    """``file:line`` of the most specific element (a node if there is one, else the first)."""
    elements = finding.get("elements", [])
    chosen = next((e for e in elements if e.get("type") == "node"), elements[0] if elements else {})
    mapping = chosen.get("source_mapping", {})
    lines = mapping.get("lines") or [0]
    return f"{mapping.get('filename_relative', '?')}:{lines[0]}"


def load_triage(path: Path) -> tuple[dict[str, str], list[Entry], list[str]]:
    """(excluded detectors with reasons, finding entries, problems found in the file)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    problems: list[str] = []
    detectors: dict[str, str] = {}
    for name, reason in data.get("detectors", {}).items():
        if not _one_line(reason):
            problems.append(f"[detectors] {name}: the reason must be one non-empty line")
        detectors[name] = str(reason)
    entries: list[Entry] = []
    for i, raw in enumerate(data.get("finding", []), start=1):
        contains = raw.get("contains", ())
        entry = Entry(
            detector=str(raw.get("detector", "")),
            reason=str(raw.get("reason", "")),
            function=raw.get("function"),
            contains=(contains,) if isinstance(contains, str) else tuple(contains),
        )
        if not entry.detector:
            problems.append(f"[[finding]] #{i}: no detector")
        if not _one_line(entry.reason):
            problems.append(f"[[finding]] #{i} ({entry.label()}): the reason must be one line")
        unknown = set(raw) - {"detector", "reason", "function", "contains"}
        if unknown:
            problems.append(f"[[finding]] #{i}: unknown keys {sorted(unknown)}")
        entries.append(entry)
    return detectors, entries, problems


def _one_line(text: object) -> bool:
    return isinstance(text, str) and bool(text.strip()) and "\n" not in text.strip()


def excluded_detectors(config: dict[str, Any]) -> list[str]:
    raw = config.get("detectors_to_exclude") or ""
    return [d.strip() for d in str(raw).split(",") if d.strip()]


def standard_input() -> dict[str, Any]:
    """Every contract under ``contracts/`` with the project's compiler settings."""
    from govchain.chain import compiler

    sources = compiler.read_sources(ROOT / "contracts", ROOT)
    # outputSelection is left to crytic-compile (it needs the AST and source maps).
    return {
        "language": "Solidity",
        "sources": {path: {"content": text} for path, text in sources.items()},
        "settings": compiler.settings(),
    }


def run_slither(slither: Path, workdir: Path) -> dict[str, Any]:
    target = workdir / "input.json"
    target.write_text(json.dumps(standard_input()), encoding="utf-8")
    report = workdir / "slither.json"
    cmd = [
        str(slither),
        str(target),
        "--config-file",
        str(CONFIG),
        "--json",
        str(report),
        "--triage-database",
        str(workdir / "no-triage.json"),  # never the working tree's slither.db.json
        "--fail-none",
    ]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if not report.is_file():
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"slither did not produce a report (exit {done.returncode}).")
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    if not data.get("success"):
        sys.stderr.write(done.stderr)
        raise SystemExit(f"slither failed: {data.get('error')}")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--slither",
        type=Path,
        default=Path(sys.executable).parent / "slither",
        help="the slither executable (default: next to this Python)",
    )
    parser.add_argument(
        "--all", action="store_true", help="also list the explained findings with their reasons"
    )
    args = parser.parse_args(argv)
    if not args.slither.is_file():
        print(f"No slither at {args.slither}: run `make slither`.", file=sys.stderr)
        return 2

    config = json.loads(CONFIG.read_text(encoding="utf-8"))
    reasons, entries, problems = load_triage(TRIAGE)
    for name in excluded_detectors(config):
        if name not in reasons:
            problems.append(
                f"{CONFIG.name} excludes detector {name!r} without a reason in {TRIAGE.name}"
            )

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="govchain-slither-") as tmp:
        data = run_slither(args.slither, Path(tmp))
    elapsed = time.monotonic() - started

    findings: list[dict[str, Any]] = data.get("results", {}).get("detectors", [])
    used = [0] * len(entries)
    unexplained: list[dict[str, Any]] = []
    for finding in findings:
        hits = [i for i, entry in enumerate(entries) if entry.matches(finding)]
        for i in hits:
            used[i] += 1
        if not hits:
            unexplained.append(finding)
        elif args.all:
            print(
                f"explained  {finding['check']:<24} {location_of(finding):<48} "
                f"{entries[hits[0]].reason}"
            )

    for finding in unexplained:
        print(
            f"\nUNEXPLAINED {finding['check']} ({finding['impact']}/{finding['confidence']}) "
            f"at {location_of(finding)}\n{finding['description'].rstrip()}"
        )
    for entry, count in zip(entries, used, strict=True):
        if count == 0:
            problems.append(f"stale triage entry (matches no finding; remove it): {entry.label()}")
    for problem in problems:
        print(f"\n{TRIAGE.name}: {problem}")

    print(
        f"\nslither: {len(findings)} finding(s) in contracts/, {len(findings) - len(unexplained)} "
        f"explained in {TRIAGE.name}, {len(unexplained)} unexplained; "
        f"{len(excluded_detectors(config))} detector(s) excluded; {elapsed:.1f}s."
    )
    if unexplained:
        print(f"Fix the contract, or add a [[finding]] with a one-line reason to {TRIAGE.name}.")
    return 1 if unexplained or problems else 0


if __name__ == "__main__":
    sys.exit(main())
