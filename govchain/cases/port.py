"""Case 2 — Beijing–Tianjin–Hebei port customs clearance (single window)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from eth_utils import keccak

from govchain.cases.common import id_hash, trail
from govchain.chain.abi import Event
from govchain.chain.chain import Receipt
from govchain.chain.contracts import Contract
from govchain.chain.tx import Sender, TxRequest
from govchain.errors import ContractRevert, InputError, revert_error
from govchain.framework.directory import parse_address, reason_code

CONTRACT = "PortClearance"
MAX_BATCH = 200
#: Filing regions of the single window (province-level administrative codes).
REGIONS = {"beijing": 110000, "tianjin": 120000, "hebei": 130000}
_NUMBER = re.compile(r"^\d{18}$")
_LOCODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}$")


class Status(IntEnum):
    SUBMITTED = 1
    ACCEPTED = 2
    DUTY_ASSESSED = 3
    DUTY_PAID = 4
    RELEASED = 5
    GATED_OUT = 6
    REJECTED = 7


STATUS_NAMES = {s.value: s.name.lower().replace("_", " ") for s in Status} | {0: "unknown"}


def parse_number(text: str) -> str:
    """A customs declaration number: 18 digits (customs code, year, flag, serial)."""
    number = text.strip().replace(" ", "")
    if not _NUMBER.match(number):
        raise InputError(f"'{text}' is not a customs declaration number (18 digits).")
    return number


def port_code(text: str) -> bytes:
    """A UN/LOCODE port code (``CNTXG``) as bytes32."""
    code = text.strip().upper()
    if not _LOCODE.match(code):
        raise InputError(f"'{text}' is not a port code (UN/LOCODE such as CNTXG).")
    return code.encode().ljust(32, b"\0")


def parse_region(text: str | int) -> int:
    if isinstance(text, int) or str(text).isdigit():
        return int(text)
    key = str(text).strip().lower()
    if key not in REGIONS:
        raise InputError(f"'{text}' is not a region ({', '.join(REGIONS)}).")
    return REGIONS[key]


@dataclass(frozen=True)
class Filing:
    number: str
    port: str
    region: int | str
    goods: bytes  # the goods documents (only their hash goes on chain)

    def as_args(self) -> tuple[bytes, bytes, int, bytes]:
        return (
            id_hash(parse_number(self.number)),
            port_code(self.port),
            parse_region(self.region),
            keccak(self.goods),
        )


@dataclass(frozen=True)
class Declaration:
    number: str
    declarant: str
    status: Status
    region: int
    port: str
    goods_hash: bytes
    updated_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "declarant": self.declarant,
            "status": self.status.name.lower(),
            "region": self.region,
            "port": self.port,
            "goodsHash": "0x" + self.goods_hash.hex(),
            "updatedAt": self.updated_at.isoformat(),
        }


class PortClearance:
    """SDK for the PortClearance contract."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract

    def register_port(self, admin: Sender, code: str, region: int | str, terminal: str) -> Receipt:
        return self.contract.transact(
            admin, "registerPort", port_code(code), parse_region(region), parse_address(terminal)
        )

    def port(self, code: str) -> dict[str, Any]:
        raw: dict[str, Any] = self.contract.call("port", port_code(code))
        if raw["region"] == 0:
            raise UnknownPort(f"Port {code} is not part of the single window.", args={})
        return raw

    # -- filing --------------------------------------------------------------------------------
    def submit(self, declarant: Sender, filing: Filing) -> Receipt:
        """File one declaration; the same number twice is refused."""
        return self.contract.transact(declarant, "submit", filing.as_args())

    def submit_many(self, declarant: Sender, filings: Sequence[Filing]) -> list[Receipt]:
        """File many declarations: {MAX_BATCH} per transaction, the transactions sent in batch
        requests. Numbers must be unique within the list and not yet filed."""
        args = [f.as_args() for f in filings]
        ids = [a[0] for a in args]
        if len(set(ids)) != len(ids):
            raise InputError("The list files the same declaration number twice.")
        chunks = [args[i : i + MAX_BATCH] for i in range(0, len(args), MAX_BATCH)]
        return declarant.send_many([self.contract.tx("submitBatch", c) for c in chunks])

    # -- transitions -------------------------------------------------------------------------
    def accept(self, customs: Sender, number: str) -> Receipt:
        return customs.send(self.tx("accept", number))

    def assess_duty(self, customs: Sender, number: str, assessment: bytes) -> Receipt:
        return customs.send(self.tx("assessDuty", number, keccak(assessment)))

    def confirm_duty_paid(self, tax: Sender, number: str, payment: bytes) -> Receipt:
        return tax.send(self.tx("confirmDutyPaid", number, keccak(payment)))

    def release(self, customs: Sender, number: str) -> Receipt:
        return customs.send(self.tx("release", number))

    def gate_out(self, terminal: Sender, number: str) -> Receipt:
        return terminal.send(self.tx("gateOut", number))

    def reject(self, customs: Sender, number: str, reason: str) -> Receipt:
        return customs.send(self.tx("reject", number, reason_code(reason)))

    def tx(self, fn: str, number: str, *args: Any) -> TxRequest:
        """A transition request (for ``Sender.send`` or ``send_many``)."""
        return self.contract.tx(fn, id_hash(parse_number(number)), *args)

    # -- queries -----------------------------------------------------------------------------
    def declaration(self, number: str) -> Declaration:
        clean = parse_number(number)
        raw = self.contract.call("declaration", id_hash(clean))
        if raw["status"] == 0:
            raise UnknownDeclaration(f"There is no declaration number {clean}.", args={})
        return Declaration(
            clean,
            raw["declarant"],
            Status(raw["status"]),
            int(raw["region"]),
            bytes(raw["port"]).rstrip(b"\0").decode(),
            bytes(raw["goodsHash"]),
            datetime.fromtimestamp(raw["updatedAt"], UTC),
        )

    def trail(self, number: str) -> list[Event]:
        return trail(
            self.contract,
            id_hash(parse_number(number)),
            ("DeclarationSubmitted", "DeclarationStatusChanged"),
        )

    def at_port(self, code: str) -> list[bytes]:
        """Ids of every declaration for goods at port ``code``, whatever region filed it: what
        that port's terminal sees."""
        events = self.contract.logs(
            "DeclarationSubmitted", topics=[None, None, "0x" + port_code(code).hex()]
        )
        return [bytes(e["declarationId"]) for e in events]


# -- the contract's errors, as a clerk reads them ----------------------------------------------
@revert_error("UnknownPort", "That port is not part of the single window.")
class UnknownPort(ContractRevert):
    pass


@revert_error("InvalidPort", "A port needs a code and a region.")
class InvalidPort(ContractRevert):
    pass


@revert_error(
    "DeclarationExists", "A declaration with this number was already filed: it is not filed twice."
)
class DeclarationExists(ContractRevert):
    pass


@revert_error("UnknownDeclaration", "There is no declaration with that number.")
class UnknownDeclaration(ContractRevert):
    pass


@revert_error(
    "WrongDeclarationStatus",
    "That step is not possible now: the declaration is {current}, it must be {required}.",
)
class WrongDeclarationStatus(ContractRevert):
    @staticmethod
    def readable_args(args: dict[str, Any]) -> dict[str, str]:
        return {
            "current": STATUS_NAMES[int(args["current"])],
            "required": STATUS_NAMES[int(args["required"])],
        }


@revert_error(
    "WrongRegion",
    "{customs} is not customs of the region this declaration was filed in ({region}).",
)
class WrongRegion(ContractRevert):
    pass


@revert_error(
    "NotPortTerminal", "{account} is not the terminal operator of the port where these goods are."
)
class NotPortTerminal(ContractRevert):
    pass


@revert_error("CannotReject", "A declaration that is {current} can no longer be rejected.")
class CannotReject(ContractRevert):
    @staticmethod
    def readable_args(args: dict[str, Any]) -> dict[str, str]:
        return {"current": STATUS_NAMES[int(args["current"])]}


@revert_error("BatchTooLarge", "At most 200 declarations per transaction ({size} given).")
class BatchTooLarge(ContractRevert):
    pass
