"""Role ids and names. A role is ``keccak256("<NAME>_ROLE")`` (OpenZeppelin's convention), except
the administrator role, which is zero. Names are found in every compiled contract's ``*_ROLE``
constants, so a new case contract's roles are known as soon as it is compiled.
"""

from __future__ import annotations

from functools import cache

from govchain.chain import artifacts
from govchain.errors import InputError
from govchain.hashing import keccak

ADMIN_ROLE = "DEFAULT_ADMIN_ROLE"
ADMIN_ROLE_ID = b"\x00" * 32
#: Roles of the platform's cases declared ahead of their contracts (a case contract declares its
#: own as ``*_ROLE`` constants and they join the known set when it is compiled).
PLATFORM_ROLES = (
    "BANK_ROLE",
    "BILL_ISSUER_ROLE",
    "BUYER_ROLE",
    "COURT_ROLE",
    "DISTRICT_OFFICE_ROLE",
    "ENTERPRISE_ROLE",
    "FINANCE_ROLE",
    "HOUSING_ROLE",
    "HR_ROLE",
    "LENDER_ROLE",
    "MARKET_REGULATOR_ROLE",
    "REGISTRAR_ROLE",
    "REIMBURSER_ROLE",
    "REVIEWER_ROLE",
    "SME_ROLE",
    "UTILITY_ROLE",
)
#: Roles whose id is not keccak256 of their name (e.g. certificate roles derived from a type code).
_defined: dict[str, bytes] = {}


def normalise(name: str) -> str:
    """``customs`` / ``customs_role`` -> ``CUSTOMS_ROLE``; ``admin`` -> the admin role."""
    text = name.strip().upper().replace("-", "_").replace(" ", "_")
    if text in ("ADMIN", ADMIN_ROLE):
        return ADMIN_ROLE
    if not text or not all(c.isalnum() or c == "_" for c in text):
        raise InputError(f"'{name}' is not a role name (letters, digits and _ only).")
    return text if text.endswith("_ROLE") else f"{text}_ROLE"


def role_id(name: str) -> bytes:
    """The 32-byte id of role ``name`` (any spelling accepted by :func:`normalise`)."""
    canonical = normalise(name)
    if canonical in _defined:
        return _defined[canonical]
    return ADMIN_ROLE_ID if canonical == ADMIN_ROLE else keccak(text=canonical)


def known_role_id(name: str) -> bytes:
    """:func:`role_id` of a role some contract or certificate type declares; anything else (a
    typo would silently become a new role on chain) is refused, with the list."""
    canonical = normalise(name)
    known = known_roles()
    if canonical not in known:
        listed = ", ".join(n.removesuffix("_ROLE").lower() for n in known)
        raise InputError(f"'{name}' is not a role on this platform. Known roles: {listed}.")
    return role_id(canonical)


def define(name: str, role: bytes) -> None:
    """Name a role whose id is not keccak256 of its name."""
    _defined[normalise(name)] = role
    _table.cache_clear()


def known_roles() -> list[str]:
    """Every role name declared by a compiled contract or a certificate type."""
    return sorted(_table().values())


def role_name(role: bytes | str) -> str:
    """The name of a role id, or its hex if unknown."""
    raw = bytes.fromhex(role.removeprefix("0x")) if isinstance(role, str) else role
    return _table().get(raw, "0x" + raw.hex())


@cache
def _table() -> dict[bytes, str]:
    names = {ADMIN_ROLE, *PLATFORM_ROLES}
    for contract in artifacts.names():
        for entry in artifacts.load(contract).abi:
            if (
                entry.get("type") == "function"
                and entry["name"].endswith("_ROLE")
                and not entry.get("inputs")
            ):
                names.add(entry["name"])
    table = {role_id(n): n for n in names}
    table.update({rid: n for n, rid in _defined.items()})
    return table


def clear_cache() -> None:
    """Forget role names read from artifacts (after a recompilation)."""
    _table.cache_clear()
