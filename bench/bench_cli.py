"""CLI start: each command's wall time (best of 5, a new process each) beside the bare interpreter
importing click, the floor any click CLI pays. Read commands run against a fresh platform.

Usage: python -m bench.bench_cli
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from bench.common import fresh_platform, heading, row
from govchain.devnet import cast
from govchain.framework.casebase.hubdemo import ENTERPRISE_CODE, demo_fields
from govchain.framework.certificates.documents import Draft

RUNS = 5
GOVCHAIN = str(Path(sys.executable).parent / "govchain")


def best(command: list[str], env: dict[str, str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    heading(f"CLI start: wall time of a new process, best of {RUNS}")
    with fresh_platform() as gc, TemporaryDirectory() as tmp:
        regulator = gc.sender(cast.BY_KEY["market-regulator"].account)
        document = gc.certificates.issue(
            regulator,
            "business_licence",
            Draft(demo_fields("BUSINESS_LICENCE"), holder=ENTERPRISE_CODE),
        )
        path = Path(tmp) / "licence.json"
        path.write_text(json.dumps(document))
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOVCHAIN_")}
        env.update(gc.config.environment())
        floor = best([sys.executable, "-c", "import click"], env)
        row("python -c 'import click' (the floor)", f"{floor:6.2f} s")
        for args in (["--help"], ["participant", "list"], ["cert", "verify", str(path)]):
            took = best([GOVCHAIN, *args], env)
            row(f"govchain {' '.join(args[:2])}", f"{took:6.2f} s (+{took - floor:.2f} s)")


if __name__ == "__main__":
    main()
