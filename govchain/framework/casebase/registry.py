"""The case registry: cases are plug-ins, found without any central list.

A case registers itself when its package is imported (``CASE = register(CaseSpec(...))`` in
``govchain/cases/<name>/__init__.py``). :func:`cases` imports every package under
:mod:`govchain.cases` and every module named by a ``govchain.cases`` entry point (a case shipped
in another distribution), so the client, the CLI, deployment, demo seeding, the address book and
``govchain cases`` all see the same list. Adding a case touches no central file.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from importlib.metadata import entry_points
from typing import Any

from govchain.errors import ConfigError, InputError
from govchain.framework.casebase.errors import case_errors
from govchain.framework.casebase.spec import CaseSpec, ErrorCatalog

ENTRY_POINT_GROUP = "govchain.cases"

_lock = threading.RLock()
_cases: dict[str, CaseSpec] = {}
_discovered = False


def register(spec: CaseSpec) -> CaseSpec:
    """Add ``spec`` to the registry (idempotent for the same spec); returns it."""
    with _lock:
        known = _cases.get(spec.name)
        if known is not None and known != spec:
            raise ConfigError(f"Two different cases are called '{spec.name}'.")
        clash = [c for c in _cases.values() if c.contract == spec.contract and c.name != spec.name]
        if clash:
            raise ConfigError(f"Cases '{clash[0].name}' and '{spec.name}' share {spec.contract}.")
        _cases[spec.name] = spec
    if "_errors" not in spec.__dict__:  # the revert decoder learns the case's errors
        object.__setattr__(spec, "_errors", ErrorCatalog(case_errors(spec)))
    return spec


def registered() -> bool:
    """True once any case is registered in this process (without discovering the others)."""
    with _lock:
        return bool(_cases)


def unregister(name: str) -> None:
    """Remove a case (tests that register an example case)."""
    with _lock:
        _cases.pop(name, None)


def cases() -> list[CaseSpec]:
    """Every registered case, in case-number order."""
    _discover()
    with _lock:
        return sorted(_cases.values(), key=lambda c: (c.number or 99, c.name))


def get(name: str) -> CaseSpec:
    """The case called ``name``."""
    _discover()
    with _lock:
        found = _cases.get(name)
    if found is None:
        raise InputError(
            f"There is no case '{name}' (cases: {', '.join(c.name for c in cases())})."
        )
    return found


def by_contract(contract: str) -> CaseSpec | None:
    """The case whose contract is called ``contract``."""
    _discover()
    with _lock:
        return next((c for c in _cases.values() if c.contract == contract), None)


def load(reference: str) -> Any:
    """The object a plug-in point names ("package.module:attribute")."""
    module, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    with _lock:
        if _discovered:
            return
        import govchain.cases as package

        for info in pkgutil.iter_modules(package.__path__, prefix="govchain.cases."):
            importlib.import_module(info.name)
        for point in entry_points(group=ENTRY_POINT_GROUP):
            point.load()
        _discovered = True
