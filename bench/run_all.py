"""Run every benchmark in bench/ and print their figures (`make bench`)."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

BENCHES = sorted(p for p in HERE.glob("bench_*.py"))

if __name__ == "__main__":
    for path in BENCHES:
        print(f"\n##### {path.name}", flush=True)
        runpy.run_path(str(path), run_name="__main__")
