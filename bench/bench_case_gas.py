"""Gas of every transition of every registered case, measured by walking each case's demo
paths (its spec's walkthrough) on a fresh chain, plus the same transitions done in batches.
Targets from the case issues: each transition <= 120,000 gas, the median <= 60,000.

Usage: python -m bench.bench_case_gas [CASE ...]
"""

from __future__ import annotations

import itertools
import statistics
import sys
from typing import Any

from bench.common import fresh_platform, heading, row
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.framework.casebase import registry
from govchain.framework.casebase.spec import CaseSpec, Walkthrough

_fresh = itertools.count(90_000)


def arguments(args: Any) -> dict[str, Any]:
    out = {}
    for name, value in dict(args).items():
        if isinstance(value, str) and value.startswith("@"):
            value = cast.BY_KEY[value[1:]].address
        out[name] = value
    return out


def _actor(gc: GovChain) -> Any:
    return lambda key: gc.sender(cast.BY_KEY[key].account)


def case_gas(gc: GovChain, spec: CaseSpec) -> dict[str, list[int]]:
    """verb -> gas of each time the walkthrough does it."""
    client = gc.case(spec.name)
    guide: Walkthrough = registry.load(spec.walkthrough)
    out: dict[str, list[int]] = {}
    for path in guide.paths:
        reference = guide.reference(next(_fresh))
        for method, who, args in path:
            sender = gc.sender(cast.BY_KEY[who].account)
            args = guide.arguments(client, _actor(gc), (method, who, args), reference)
            receipt = client.act(method, sender, reference, **arguments(args))
            label = spec.method_of(spec.verb(method))
            if method == "inspect":
                label += f" ({args.get('result')})"
            out.setdefault(label, []).append(receipt.gas_used)
    return out


def batch_gas(gc: GovChain, spec: CaseSpec, size: int = 100) -> dict[str, int]:
    """Gas per item of each batchable verb done for ``size`` items in one transaction."""
    client = gc.case(spec.name)
    guide: Walkthrough = registry.load(spec.walkthrough)
    out = {}
    for verb in (v for v in spec.verbs if v.batch):
        path = next(p for p in guide.paths if any(spec.verb(s[0]) == verb for s in p))
        index = next(n for n, s in enumerate(path) if spec.verb(s[0]) == verb)
        refs = [guide.reference(next(_fresh)) for _ in range(size)]
        for method, who, args in path[:index]:
            sender = gc.sender(cast.BY_KEY[who].account)
            if spec.verb(method).batch and method != path[index][0]:
                client.batch(method, sender, refs, _notes(spec, method, args, size))
                continue
            for reference in refs:
                ready = guide.arguments(client, _actor(gc), (method, who, args), reference)
                client.act(method, sender, reference, **arguments(ready))
        method, who, args = path[index]
        receipts = client.batch(
            method, gc.sender(cast.BY_KEY[who].account), refs, _notes(spec, method, args, size)
        )
        out[spec.method_of(verb)] = sum(r.gas_used for r in receipts) // size
    return out


def _notes(spec: CaseSpec, method: str, args: Any, size: int) -> list[Any] | None:
    note = spec.verb(method).note
    return [args[note.name]] * size if note is not None and note.name in args else None


def main() -> None:
    wanted = set(sys.argv[1:])  # case names; all when none given
    for spec in registry.cases():
        if not spec.walkthrough or (wanted and spec.name not in wanted):
            continue
        with fresh_platform() as gc:
            heading(f"Case {spec.number} ({spec.name}): gas per transition, one at a time")
            singles = case_gas(gc, spec)
            for label, gas in singles.items():
                row(label, ", ".join(f"{g:,}" for g in gas))
            every = [max(gas) for gas in singles.values()]  # one figure per transition
            row(
                "max / median over transitions (targets <= 120,000 / <= 60,000)",
                f"{max(every):,} / {int(statistics.median(every)):,}",
            )
            heading(f"Case {spec.number} ({spec.name}): gas per item in batches of 100")
            for label, gas in batch_gas(gc, spec).items():
                row(label, f"{gas:>10,}")


if __name__ == "__main__":
    main()
