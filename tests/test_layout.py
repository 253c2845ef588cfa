"""The package's layers: no import cycles (lazy imports included), and the dev-key / demo-cast
code is never imported by what runs on a non-dev network."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import govchain

ROOT = Path(govchain.__file__).parent


def _modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    found = set()
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            subs = {f"{base}.{a.name}" for a in node.names} & set(known)
            found |= subs or {base}
    return {m for m in found if m in known and m != name}


def test_no_import_cycles_even_through_lazy_imports() -> None:
    known = _modules()
    graph = {m: _imports(m, p, known) for m, p in known.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycle = stack[stack.index(n) :]
                raise AssertionError(f"import cycle: {' -> '.join([*cycle, n])}")
            if n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_nothing_that_runs_on_a_real_network_imports_dev_keys() -> None:
    code = (
        "import sys, govchain.cli.main, govchain.client\n"
        "from govchain.framework.casebase import registry\n"
        "registry.cases()\n"
        "assert govchain.client.local_resolver(8888) is None\n"
        "dev = ('govchain.devnet', 'govchain.demo')\n"
        "bad = sorted(m for m in sys.modules if m.startswith(dev)\n"
        "             or (m.startswith('govchain.cases.') and m.endswith('.demo')))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
