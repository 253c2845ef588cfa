"""Bring the directory in line with a roster of participants, idempotently.

Used by ``govchain participant apply FILE`` for a real consortium and by the demo seeding:
participants missing from the directory are registered (with their roles) and missing roles are
granted; nothing else is touched, so running it twice sends nothing the second time.
A participants file is JSON: ``[{"address", "name", "kind", "district", "roles": [...]}, ...]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govchain.chain import labels
from govchain.chain.roles import normalise, role_id
from govchain.chain.tx import Sender, TxRequest
from govchain.errors import InputError
from govchain.framework.directory import Directory, Kind, parse_address, parse_district
from govchain.inputs import read_json


@dataclass(frozen=True)
class ParticipantSpec:
    address: str
    name: str
    kind: Kind
    district: int
    roles: tuple[str, ...]


@dataclass
class SeedResult:
    registered: list[str] = field(default_factory=list)
    granted: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0


def load_specs(path: Path) -> list[ParticipantSpec]:
    """Participants from a JSON file; a clear error for anything malformed."""
    raw = read_json(path, "Participants file")
    if not isinstance(raw, list):
        raise InputError(f"{path} must hold a JSON list of participants.")
    return [_spec(item, i, path) for i, item in enumerate(raw)]


def _spec(item: Any, index: int, path: Path) -> ParticipantSpec:
    where = f"participant #{index + 1} in {path}"
    if not isinstance(item, dict):
        raise InputError(f"{where} is not an object.")
    missing = [k for k in ("address", "name", "kind", "district") if k not in item]
    if missing:
        raise InputError(f"{where} lacks {', '.join(missing)}.")
    roles = item.get("roles", [])
    if not isinstance(roles, list):
        raise InputError(f"{where}: roles must be a list.")
    return ParticipantSpec(
        parse_address(str(item["address"])),
        str(item["name"]),
        Kind.parse(item["kind"]),
        parse_district(item["district"]),
        tuple(normalise(str(r)) for r in roles),
    )


def seed(
    directory: Directory, admin: Sender, specs: Sequence[ParticipantSpec], names_file: Path
) -> SeedResult:
    """Register missing participants and grant missing roles, in two batches."""
    result = SeedResult()
    labels.save_names(names_file, {s.address: s.name for s in specs})
    existing = {p.address for p in directory.everyone()}
    registrations: list[TxRequest] = []
    grants: list[TxRequest] = []
    for spec in specs:
        if spec.address not in existing:
            registrations.append(
                directory.register_tx(
                    spec.address,
                    kind=spec.kind,
                    name=spec.name,
                    district=spec.district,
                    roles=spec.roles,
                )
            )
            result.registered.append(spec.address)
            continue
        held = directory.holds(spec.address, spec.roles)
        missing = [r for r, h in zip(spec.roles, held, strict=True) if not h]
        for role in missing:
            grants.append(directory.contract.tx("grantRole", role_id(role), spec.address))
            result.granted.append((spec.address, role))
        if not missing:
            result.unchanged += 1
    admin.send_many(registrations)
    admin.send_many(grants)
    return result
