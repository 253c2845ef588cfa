"""The district hubs' service catalogue, from a data file (``govchain/data/services.json``).

One entry per service: its district and number, name and title, the departments that approve
it (directory roles; none for an automatic service) with a deadline in days each, the
certificate types an applicant must hold and those issued on completion, who applies
(``enterprise`` itself, or a ``citizen`` at the counter), the documents the old process asked
an applicant to hand in (``paperwork``) and which of those the platform now obtains itself
(``fetched``: certificates on chain, data sharing). Checked when loaded: a wrong role, type,
district or a duplicate number is a one-line error naming the entry.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from govchain.chain import roles
from govchain.errors import ConfigError, GovChainError
from govchain.framework.casebase.hub import STEPS, Service
from govchain.framework.certificates.types import BY_NAME
from govchain.inputs import read_json

SERVICES_FILE = Path(__file__).resolve().parents[2] / "data" / "services.json"
DISTRICTS = ("haidian", "xicheng", "chaoyang", "shunyi", "edz")
APPLICANTS = ("enterprise", "citizen")


def load_services(district: str, path: Path = SERVICES_FILE) -> tuple[Service, ...]:
    """The services of ``district`` in the catalogue file."""
    return _load(path).get(district, ())


def all_services(path: Path = SERVICES_FILE) -> dict[str, tuple[Service, ...]]:
    """Every district's services."""
    return dict(_load(path))


@cache
def _load(path: Path) -> dict[str, tuple[Service, ...]]:
    raw = read_json(path, "service catalogue")
    entries = raw.get("services") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f'{path}: expected an object with a list of "services".')
    found: dict[str, list[Service]] = {}
    for n, entry in enumerate(entries, start=1):
        try:
            district, service = _service(entry)
        except (GovChainError, KeyError, TypeError, ValueError) as exc:
            message = exc.message if isinstance(exc, GovChainError) else str(exc)
            raise ConfigError(f"{path}: service #{n}: {message}") from None
        if any(s.code == service.code or s.name == service.name for s in found.get(district, [])):
            raise ConfigError(
                f"{path}: service #{n}: {district} has service {service.code} or "
                f"'{service.name}' twice."
            )
        found.setdefault(district, []).append(service)
    return {d: tuple(s) for d, s in found.items()}


def _service(entry: Any) -> tuple[str, Service]:
    if not isinstance(entry, dict):
        raise ValueError("not an object")
    district = str(entry["district"])
    if district not in DISTRICTS:
        raise ValueError(f"unknown district '{district}' (one of {', '.join(DISTRICTS)})")
    departments = tuple(str(d).upper() for d in entry.get("departments", ()))
    known = set(roles.known_roles())
    for d in departments:
        if roles.normalise(d) not in known:
            raise ValueError(f"department '{d}' is not a role on this platform")
    types = tuple(str(t).upper() for t in (*entry.get("requires", ()), *entry.get("issues", ())))
    for t in types:
        if t not in BY_NAME:
            raise ValueError(f"certificate type '{t}' is not in the catalogue")
    applicant = str(entry.get("applicant", "enterprise"))
    if applicant not in APPLICANTS:
        raise ValueError(f"applicant must be one of {', '.join(APPLICANTS)}")
    paperwork = tuple(str(p) for p in entry.get("paperwork", ()))
    fetched = tuple(str(p) for p in entry.get("fetched", ()))
    if not set(fetched) <= set(paperwork):
        raise ValueError("'fetched' lists a document that is not in 'paperwork'")
    code = int(entry["code"])
    if not 0 < code < 2**16:
        raise ValueError(f"service number {code} is not 1-65535")
    if len(departments) > STEPS:
        raise ValueError(f"at most {STEPS} departments")
    return district, Service(
        name=str(entry["name"]),
        code=code,
        title=str(entry["title"]),
        departments=departments,
        deadline_days=tuple(int(x) for x in entry.get("deadlineDays", ())),
        requires=tuple(str(t).upper() for t in entry.get("requires", ())),
        issues=tuple(str(t).upper() for t in entry.get("issues", ())),
        applicant=applicant,
        paperwork=paperwork,
        fetched=fetched,
    )
