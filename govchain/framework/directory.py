"""The participant directory: who takes part, in which district, with which roles.

Every case contract checks its callers against this one directory. Display names stay off chain
(the directory stores their keccak256); :mod:`govchain.labels` maps addresses back to names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from govchain.chain import labels
from govchain.chain.chain import Receipt
from govchain.chain.contracts import Contract
from govchain.chain.deploy import MUNICIPALITY
from govchain.chain.roles import known_role_id, known_roles, normalise, role_id, role_name
from govchain.chain.tx import Sender, TxRequest
from govchain.enums import parse_enum
from govchain.errors import ContractRevert, InputError, revert_error
from govchain.framework.codes import REASONS
from govchain.hashing import is_hex_address, to_checksum_address

PAGE_SIZE = 200


class Kind(IntEnum):
    """Participant kinds, as in IParticipantDirectory.Kind."""

    AGENCY = 1
    ENTERPRISE = 2
    BANK = 3
    HOSPITAL = 4
    INSURER = 5
    COURT = 6
    SCHOOL = 7
    CHARITY = 8
    UTILITY = 9

    @classmethod
    def parse(cls, text: str | int | Kind) -> Kind:
        return parse_enum(cls, text, "a participant kind")


#: Administrative division codes (GB/T 2260) of the districts GovChain's cases run in. The
#: Economic-Technological Development Area is a functional zone without its own GB/T 2260 code;
#: GovChain gives it 110400.
DISTRICTS: dict[str, int] = {
    "beijing": MUNICIPALITY,
    "dongcheng": 110101,
    "xicheng": 110102,
    "chaoyang": 110105,
    "haidian": 110108,
    "shunyi": 110113,
    "daxing": 110115,
    "edz": 110400,
    "tianjin": 120000,
    "tianjin-binhai": 120116,
    "hebei": 130000,
    "tangshan": 130200,
}


def parse_district(text: str | int) -> int:
    """A district name (``haidian``) or code (``110108``) -> its code."""
    if isinstance(text, int):
        return text
    key = text.strip().lower()
    if key.isdigit() and len(key) == 6:
        return int(key)
    if key in DISTRICTS:
        return DISTRICTS[key]
    raise InputError(
        f"'{text}' is not a district: use a 6-digit division code or one of {', '.join(DISTRICTS)}."
    )


def district_name(code: int) -> str:
    for name, value in DISTRICTS.items():
        if value == code:
            return name
    return str(code)


def parse_address(text: str) -> str:
    """A checksummed address, or a clear error for anything that is not one."""
    value = text.strip()
    if not is_hex_address(value):
        raise InputError(f"'{text}' is not an address (0x followed by 40 hex digits).")
    if value != value.lower() and value[2:] != value[2:].upper():
        try:
            checked: str = to_checksum_address(value)
        except ValueError:
            checked = ""
        if checked != value:
            raise InputError(
                f"'{text}' has a wrong checksum (mixed case that does not match): it was probably "
                "mistyped."
            )
    return to_checksum_address(value)


def reason_code(text: str) -> bytes:
    """A reason from the published catalogue (``audit``, ``court-order``…) as its bytes32 code:
    free text never goes on chain."""
    if not str(text).strip():
        raise InputError("Give a reason code (such as 'audit' or 'court-order').")
    return REASONS.code(text)


@dataclass(frozen=True)
class Participant:
    address: str
    kind: Kind
    active: bool
    district: int
    registered_at: datetime
    name_hash: str
    name: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "name": self.name,
            "kind": self.kind.name.lower(),
            "active": self.active,
            "district": self.district,
            "districtName": district_name(self.district),
            "registeredAt": self.registered_at.isoformat(),
            "nameHash": self.name_hash,
        }


class Directory:
    """SDK for the participant directory (part of the GovChainCore contract)."""

    def __init__(
        self,
        contract: Contract,
        load_roles: Callable[[], object] | None = None,
        resolve: Callable[[str], str] = parse_address,
    ) -> None:
        self.contract = contract
        #: Makes roles defined at run time (certificate types') known before a name is checked.
        self._load_roles = load_roles
        #: An address from what a caller typed (an address, a keystore label, a demo name).
        self._resolve = resolve
        #: roles_by_participant's last answer, with the block (hash) it holds for.
        self._roles_at: tuple[str, bool, dict[str, set[bytes]]] | None = None

    @property
    def address(self) -> str:
        return self.contract.address

    # -- writes (administrator) --------------------------------------------------------------
    def register(
        self,
        sender: Sender,
        account: str,
        *,
        kind: Kind | str,
        name: str,
        district: int | str,
        roles: Iterable[str] = (),
    ) -> Receipt:
        """Register ``account`` as an active participant and grant it ``roles``."""
        tx = self.register_tx(account, kind=kind, name=name, district=district, roles=roles)
        return sender.send(tx)

    def register_tx(
        self,
        account: str,
        *,
        kind: Kind | str,
        name: str,
        district: int | str,
        roles: Iterable[str] = (),
    ) -> TxRequest:
        if not name.strip():
            raise InputError("A participant needs a display name.")
        return self.contract.tx(
            "register",
            self._resolve(account),
            int(Kind.parse(kind)),
            labels.name_hash(name),
            parse_district(district),
            [self._role(r) for r in roles],
        )

    def update(
        self, sender: Sender, account: str, *, kind: Kind | str, name: str, district: int | str
    ) -> Receipt:
        return self.contract.transact(
            sender,
            "update",
            self._resolve(account),
            int(Kind.parse(kind)),
            labels.name_hash(name),
            parse_district(district),
        )

    def grant(self, sender: Sender, account: str, role: str) -> Receipt:
        return self.contract.transact(sender, "grantRole", self._role(role), self._resolve(account))

    def revoke(self, sender: Sender, account: str, role: str) -> Receipt:
        return self.contract.transact(
            sender, "revokeRole", self._role(role), self._resolve(account)
        )

    def _role(self, name: str) -> bytes:
        if self._load_roles is not None and normalise(name) not in known_roles():
            self._load_roles()
        return known_role_id(name)

    def suspend(self, sender: Sender, account: str, reason: str) -> Receipt:
        return self.contract.transact(
            sender, "suspend", self._resolve(account), reason_code(reason)
        )

    def register_key_tx(self, public_key: bytes) -> TxRequest:
        """Register a participant's 64-byte public key (anyone may send it: the key proves
        whose it is)."""
        return self.contract.tx("registerEncryptionKey", public_key)

    def reactivate(self, sender: Sender, account: str) -> Receipt:
        return self.contract.transact(sender, "reactivate", self._resolve(account))

    # -- reads -------------------------------------------------------------------------------
    def get(self, account: str) -> Participant:
        """The participant at ``account``; :class:`ParticipantNotRegistered` if there is none."""
        address = self._resolve(account)
        record = self.contract.call("participant", address)
        if record["kind"] == 0:
            raise ParticipantNotRegistered(
                f"{labels.describe(address)} is not a registered participant.",
                args={"account": address},
            )
        return _participant(address, record)

    def is_registered(self, account: str) -> bool:
        return bool(self.contract.call("participant", self._resolve(account))["kind"] != 0)

    def is_active(self, account: str) -> bool:
        return bool(self.contract.call("isActive", self._resolve(account)))

    def has_role(self, account: str, role: str) -> bool:
        return bool(self.contract.call("hasRole", role_id(role), self._resolve(account)))

    def has_active_role(self, account: str, role: str) -> bool:
        return bool(self.contract.call("hasActiveRole", role_id(role), self._resolve(account)))

    def count(self) -> int:
        return int(self.contract.call("participantCount"))

    def everyone(self) -> list[Participant]:
        """Every participant, in registration order."""
        out: list[Participant] = []
        offset = 0
        while True:
            page = self.contract.call("participants", offset, PAGE_SIZE)
            out += [
                _participant(a, r) for a, r in zip(page["accounts"], page["records"], strict=True)
            ]
            if len(page["accounts"]) < PAGE_SIZE:
                return out
            offset += PAGE_SIZE

    def roles_of(self, account: str) -> list[str]:
        """Names of the roles ``account`` holds (hex for roles without a known name), sorted."""
        held = self.contract.call("rolesOf", self._resolve(account))
        return sorted(role_name(r) for r in held)

    def roles_by_participant(self, *, active_only: bool = False) -> dict[str, set[bytes]]:
        """Every participant's role ids (one batch request for all of them). Remembered for the
        chain's latest block: roles only change in a new block, so preparing a thousand
        transitions reads them once, not a thousand times."""
        head = str(self.contract.chain.block("latest")["hash"])
        if self._roles_at is not None and self._roles_at[:2] == (head, active_only):
            return {a: set(r) for a, r in self._roles_at[2].items()}
        people = [p for p in self.everyone() if p.active or not active_only]
        held = self.contract.call_many([("rolesOf", (p.address,)) for p in people])
        found = {
            p.address: {bytes(r) for r in roles} for p, roles in zip(people, held, strict=True)
        }
        self._roles_at = (head, active_only, found)
        return {a: set(r) for a, r in found.items()}

    def holds(self, account: str, role_names: Sequence[str]) -> list[bool]:
        """For each role, whether ``account`` holds it (suspension not considered)."""
        results = self.contract.call_many(
            [("hasRole", (role_id(n), self._resolve(account))) for n in role_names]
        )
        return [r is True for r in results]


def _participant(address: str, record: dict[str, Any]) -> Participant:
    return Participant(
        address=address,
        kind=Kind(record["kind"]),
        active=bool(record["active"]),
        district=int(record["district"]),
        registered_at=datetime.fromtimestamp(record["registeredAt"], UTC),
        name_hash="0x" + bytes(record["nameHash"]).hex(),
        name=labels.name_of(address),
    )


# -- the directory's errors, as a clerk reads them -----------------------------------------------
@revert_error("ParticipantNotRegistered", "{account} is not a registered participant.")
class ParticipantNotRegistered(ContractRevert):
    pass


@revert_error(
    "ParticipantIsSuspended", "{account} is suspended: its actions are refused until reactivated."
)
class ParticipantSuspended(ContractRevert):
    pass


@revert_error("ParticipantAlreadyRegistered", "{account} is already a registered participant.")
class ParticipantAlreadyRegistered(ContractRevert):
    pass


@revert_error("ParticipantNotSuspended", "{account} is not suspended, so it cannot be reactivated.")
class ParticipantNotSuspended(ContractRevert):
    pass


@revert_error(
    "InvalidParticipant",
    "The participant record for {account} is incomplete (zero address, no kind or no name).",
)
class InvalidParticipant(ContractRevert):
    pass


@revert_error("CannotSuspendSelf", "An administrator cannot suspend itself ({account}).")
class CannotSuspendSelf(ContractRevert):
    pass


@revert_error(
    "TooManyRoles",
    "{account} already holds the maximum number of roles; revoke one before granting another.",
)
class TooManyRoles(ContractRevert):
    pass


@revert_error(
    "InvalidEncryptionKey",
    "That public key is not 64 bytes or its account {account} is not a registered participant.",
)
class InvalidEncryptionKey(ContractRevert):
    pass


@revert_error("DirectoryRequired", "A case contract needs the participant directory's address.")
class DirectoryRequired(ContractRevert):
    pass
