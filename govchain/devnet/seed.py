"""Bring the directory in line with a list of participants, idempotently.

Used by ``make up`` for the demo cast and by ``govchain participant apply FILE`` for a real
consortium: participants missing from the directory are registered (with their roles) and missing
roles are granted; nothing else is touched, so running it twice sends nothing the second time.
A participants file is JSON: ``[{"address", "name", "kind", "district", "roles": [...]}, ...]``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eth_account.signers.local import LocalAccount

from govchain.chain import labels
from govchain.chain.roles import normalise, role_id
from govchain.chain.tx import Sender, TxRequest
from govchain.devnet.cast import CAST
from govchain.errors import InputError
from govchain.framework.directory import Directory, Kind, parse_address, parse_district
from govchain.framework.docstore import public_key_of

if TYPE_CHECKING:
    from govchain.client import GovChain


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


def cast_specs() -> list[ParticipantSpec]:
    """The demo cast (development keys, local chain only)."""
    return [
        ParticipantSpec(
            m.address,
            m.name,
            m.kind,
            parse_district(m.district),
            tuple(normalise(r) for r in m.roles),
        )
        for m in CAST
    ]


def seed_demo(gc: GovChain, admin: Sender) -> tuple[SeedResult, list[str]]:
    """The local demo: the cast in the directory, then the certificate catalogue with the cast's
    issuer and revoker roles. Idempotent."""
    seeded = seed(gc.directory, admin, cast_specs(), gc.config.names_file)
    setup = gc.certificates.store.setup_catalogue(admin, demo_roles=True)
    setup += register_keys(gc, admin, [m.account for m in CAST])
    setup += register_ports(gc, admin)
    return seeded, setup


def register_ports(gc: GovChain, admin: Sender) -> list[str]:
    """The demo's ports of the single window, each with its terminal operator."""
    from govchain.cases.port import REGIONS, UnknownPort
    from govchain.devnet.cast import BY_KEY, PORTS

    done = []
    for code, region, terminal in PORTS:
        try:
            if gc.port.port(code)["terminal"] == BY_KEY[terminal].address:
                continue
        except UnknownPort:
            pass
        gc.port.register_port(admin, code, REGIONS[region], BY_KEY[terminal].address)
        done.append(f"registered port {code}")
    return done


def register_keys(gc: GovChain, sender: Sender, accounts: Sequence[LocalAccount]) -> list[str]:
    """Register the encryption public keys of ``accounts`` that have none yet (one batch)."""
    core = gc.directory.contract
    current = core.call_many([("encryptionKey", (a.address,)) for a in accounts])
    missing = [a for a, key in zip(accounts, current, strict=True) if not key]
    sender.send_many([gc.directory.register_key_tx(public_key_of(a.key)) for a in missing])
    return [f"registered the encryption key of {a.address}" for a in missing]


def load_specs(path: Path) -> list[ParticipantSpec]:
    """Participants from a JSON file; a clear error for anything malformed."""
    try:
        raw = json.loads(path.read_text())
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror}.") from None
    except ValueError:
        raise InputError(f"{path} is not valid JSON.") from None
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
