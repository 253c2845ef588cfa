"""Case 1 — airport international logistics: shipments by air waybill, documents, tracking
messages at volume, export tax refund."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from eth_utils import keccak

from govchain.cases.common import encryption_keys, holders, id_hash, trail
from govchain.chain.abi import Event
from govchain.chain.chain import Receipt
from govchain.chain.contracts import Contract
from govchain.chain.tx import Sender
from govchain.enums import parse_enum
from govchain.errors import ContractRevert, InputError, revert_error
from govchain.framework.batches import ItemProof, MerkleBatchIndex
from govchain.framework.directory import Directory, parse_address, reason_code
from govchain.framework.docstore import DocumentVault
from govchain.framework.merkle import MerkleTree, keccak_many

CONTRACT = "AirportLogistics"
#: Tracking messages per Merkle batch: one anchoring transaction per 65,536 messages.
TRACKING_BATCH = 65_536
AUTHORITY_ROLES = ("AIRPORT", "CUSTOMS", "TAX", "SUPERVISOR")
_AWB = re.compile(r"^(\d{3})-?(\d{8})$")


class Status(IntEnum):
    BOOKED = 1
    RECEIVED_AT_TERMINAL = 2
    DECLARED = 3
    INSPECTED = 4
    RELEASED = 5
    DEPARTED = 6
    ARRIVED = 7
    DELIVERED = 8


class Inspection(IntEnum):
    NONE = 0
    PASS = 1
    HOLD = 2
    FAIL = 3
    WAIVED = 4


class Refund(IntEnum):
    NONE = 0
    REQUESTED = 1
    APPROVED = 2
    REJECTED = 3
    PAID = 4


class DocumentType(IntEnum):
    MANIFEST = 1
    COMMERCIAL_INVOICE = 2
    PACKING_LIST = 3
    DECLARATION = 4
    INSPECTION_REPORT = 5

    @classmethod
    def parse(cls, text: str | int) -> DocumentType:
        return parse_enum(cls, text, "a document type")


def parse_waybill(text: str) -> str:
    """An IATA air waybill number ``AAA-SSSSSSSC`` (airline prefix, serial, check digit = the
    first seven serial digits mod 7), normalised; a clear error for a mistyped one."""
    match = _AWB.match(text.strip())
    if not match:
        raise InputError(f"'{text}' is not an air waybill number (like 999-12345675).")
    prefix, serial = match.groups()
    if int(serial[:7]) % 7 != int(serial[7]):
        raise InputError(f"Air waybill {text} has a wrong check digit: it was probably mistyped.")
    return f"{prefix}-{serial}"


def waybill_key(text: str) -> bytes:
    return id_hash(parse_waybill(text))


def tracking_leaf(message: bytes) -> bytes:
    """The leaf of a tracking message: keccak256(keccak256(message)) (a leaf can never be taken
    for an inner node)."""
    return keccak(keccak(message))


@dataclass(frozen=True)
class Shipment:
    waybill: str
    merchant: str
    operator: str
    status: Status
    inspection: Inspection
    refund: Refund
    documents: int
    updated_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "waybill": self.waybill,
            "merchant": self.merchant,
            "operator": self.operator,
            "status": self.status.name.lower(),
            "inspection": self.inspection.name.lower(),
            "refund": self.refund.name.lower(),
            "documents": self.documents,
            "updatedAt": self.updated_at.isoformat(),
        }


class Logistics:
    """SDK for the AirportLogistics contract."""

    def __init__(
        self,
        contract: Contract,
        directory: Directory,
        vault: DocumentVault,
        index: MerkleBatchIndex,
    ) -> None:
        self.contract = contract
        self.directory = directory
        self.vault = vault
        self.index = index

    # -- the journey -------------------------------------------------------------------------
    def book(self, operator: Sender, waybill: str, merchant: str) -> Receipt:
        return self.contract.transact(
            operator, "book", waybill_key(waybill), parse_address(merchant)
        )

    def receive_at_terminal(self, airport: Sender, waybill: str) -> Receipt:
        return self.contract.transact(airport, "receiveAtTerminal", waybill_key(waybill))

    def declare(self, merchant: Sender, waybill: str, declaration: bytes) -> Receipt:
        """Declare to customs; the declaration document is stored encrypted and anchored."""
        digest = self._store(merchant, waybill, declaration)
        return self.contract.transact(merchant, "declare", waybill_key(waybill), digest)

    def inspect(
        self, customs: Sender, waybill: str, result: Inspection | str, report: bytes | None = None
    ) -> Receipt:
        outcome = parse_enum(Inspection, result, "an inspection result")
        digest = self._store(customs, waybill, report) if report else b"\0" * 32
        return self.contract.transact(
            customs, "inspect", waybill_key(waybill), int(outcome), digest
        )

    def release(self, customs: Sender, waybill: str) -> Receipt:
        return self.contract.transact(customs, "release", waybill_key(waybill))

    def depart(self, airport: Sender, waybill: str) -> Receipt:
        return self.contract.transact(airport, "depart", waybill_key(waybill))

    def arrive(self, operator: Sender, waybill: str) -> Receipt:
        return self.contract.transact(operator, "arrive", waybill_key(waybill))

    def deliver(self, operator: Sender, waybill: str) -> Receipt:
        return self.contract.transact(operator, "deliver", waybill_key(waybill))

    # -- documents ---------------------------------------------------------------------------
    def attach(
        self, uploader: Sender, waybill: str, doc_type: DocumentType | str, data: bytes
    ) -> bytes:
        """Store a shipment document encrypted to its parties and the authorities, and anchor
        its hash; returns the hash."""
        digest = self._store(uploader, waybill, data)
        self.contract.transact(
            uploader,
            "anchorDocument",
            waybill_key(waybill),
            int(DocumentType.parse(doc_type)),
            digest,
        )
        return digest

    def documents(self, waybill: str) -> list[dict[str, Any]]:
        """The documents anchored for a shipment: type, hash, uploader, block."""
        return [
            {
                "type": DocumentType(e["docType"]).name.lower(),
                "contentHash": "0x" + bytes(e["contentHash"]).hex(),
                "uploader": e["uploader"],
                "block": e.block_number,
            }
            for e in self.contract.logs(
                "DocumentAnchored", topics=["0x" + waybill_key(waybill).hex()]
            )
        ]

    def read(self, reader: Sender, waybill: str, content_hash: bytes) -> bytes:
        """Decrypt a shipment document as ``reader``; it must be anchored for this waybill."""
        anchored = {d["contentHash"] for d in self.documents(waybill)}
        if "0x" + content_hash.hex() not in anchored:
            raise InputError(f"Document 0x{content_hash.hex()} is not anchored for {waybill}.")
        return self.vault.open(content_hash, reader.account, expected_hash=content_hash)

    def _store(self, uploader: Sender, waybill: str, data: bytes) -> bytes:
        shipment = self.shipment(waybill)
        readers = [shipment.merchant, shipment.operator, *holders(self.directory, AUTHORITY_ROLES)]
        envelope = self.vault.seal(
            data,
            encryption_keys(self.directory, readers),
            "application/octet-stream",
            sealer=uploader.account,
        )
        return envelope.content_hash

    # -- export tax refund -------------------------------------------------------------------
    def request_refund(self, merchant: Sender, waybill: str, claim: bytes) -> Receipt:
        return self.contract.transact(
            merchant, "requestRefund", waybill_key(waybill), keccak(claim)
        )

    def approve_refund(self, tax: Sender, waybill: str) -> Receipt:
        return self.contract.transact(tax, "approveRefund", waybill_key(waybill))

    def reject_refund(self, tax: Sender, waybill: str, reason: str) -> Receipt:
        return self.contract.transact(
            tax, "rejectRefund", waybill_key(waybill), reason_code(reason)
        )

    def pay_refund(self, tax: Sender, waybill: str, payment: bytes) -> Receipt:
        return self.contract.transact(tax, "payRefund", waybill_key(waybill), keccak(payment))

    # -- queries -----------------------------------------------------------------------------
    def shipment(self, waybill: str) -> Shipment:
        number = parse_waybill(waybill)
        raw = self.contract.call("shipment", id_hash(number))
        if raw["status"] == 0:
            raise UnknownShipment(
                f"There is no shipment under air waybill {number}.",
                args={"waybill": id_hash(number)},
            )
        return Shipment(
            number,
            raw["merchant"],
            raw["operator"],
            Status(raw["status"]),
            Inspection(raw["inspection"]),
            Refund(raw["refund"]),
            int(raw["documents"]),
            datetime.fromtimestamp(raw["updatedAt"], UTC),
        )

    def trail(self, waybill: str) -> list[Event]:
        """Everything that happened to a shipment, from event logs."""
        return trail(
            self.contract,
            waybill_key(waybill),
            (
                "ShipmentBooked",
                "ShipmentStatusChanged",
                "ShipmentInspected",
                "DocumentAnchored",
                "RefundChanged",
            ),
        )

    # -- tracking messages -------------------------------------------------------------------
    def anchor_messages(
        self, sender: Sender, messages: Iterable[bytes], batch_size: int = TRACKING_BATCH
    ) -> list[int]:
        """Hash messages, build one Merkle batch per ``batch_size``, anchor each root in one
        transaction, and keep the batch's leaves so any message can be proven later."""
        ids = []
        for chunk in _chunks(messages, batch_size):
            leaves = keccak_many(keccak_many(chunk))
            ids.append(self.anchor_leaves(sender, leaves))
        return ids

    def anchor_leaves(self, sender: Sender, leaves: Sequence[bytes]) -> int:
        tree = MerkleTree(leaves)
        receipt = self.contract.transact(sender, "anchorTrackingBatch", tree.root, len(leaves))
        batch_id = int(self.contract.events(receipt, "TrackingBatchAnchored")[0]["batchId"])
        self.index.record(batch_id, tree)
        return batch_id

    def prove_message(self, message: bytes) -> ItemProof:
        return self.index.prove(tracking_leaf(message))

    def verify_message(self, message: bytes, proof: ItemProof) -> bool:
        """Checked by the contract against the anchored root: needs only the message, the proof
        and the chain."""
        return bool(
            self.contract.call(
                "verifyTrackingMessage", proof.batch_id, tracking_leaf(message), list(proof.proof)
            )
        )


def _chunks(items: Iterable[bytes], size: int) -> Iterator[list[bytes]]:
    chunk: list[bytes] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# -- the contract's errors, as a clerk reads them ----------------------------------------------
_STATUS = {s.value: s.name.lower().replace("_", " ") for s in Status} | {0: "unknown"}


@revert_error("ShipmentExists", "A shipment under that air waybill already exists.")
class ShipmentExists(ContractRevert):
    pass


@revert_error("UnknownShipment", "There is no shipment under that air waybill.")
class UnknownShipment(ContractRevert):
    pass


@revert_error(
    "WrongShipmentStatus",
    "That step is not possible now: the shipment is {current}, it must be {required}.",
)
class WrongShipmentStatus(ContractRevert):
    @staticmethod
    def readable_args(args: dict[str, Any]) -> dict[str, str]:
        return {
            "current": _STATUS[int(args["current"])],
            "required": _STATUS[int(args["required"])],
        }


@revert_error("NotShipmentParty", "{account} is not the party of this shipment that may do that.")
class NotShipmentParty(ContractRevert):
    pass


@revert_error("InvalidInspection", "Give an inspection result: pass, hold, fail or waived.")
class InvalidInspection(ContractRevert):
    pass


@revert_error(
    "InspectionNotCleared",
    "Customs releases only a shipment whose inspection passed "
    "or was waived (this one: {inspection}).",
)
class InspectionNotCleared(ContractRevert):
    @staticmethod
    def readable_args(args: dict[str, Any]) -> dict[str, str]:
        return {"inspection": Inspection(int(args["inspection"])).name.lower()}


@revert_error(
    "InvalidDocumentType",
    "Give a document type (manifest, commercial_invoice, "
    "packing_list, declaration, inspection_report).",
)
class InvalidDocumentType(ContractRevert):
    pass


@revert_error("RefundNotAllowed", "The export tax refund cannot do that now (it is {refund}).")
class RefundNotAllowed(ContractRevert):
    @staticmethod
    def readable_args(args: dict[str, Any]) -> dict[str, str]:
        return {"refund": Refund(int(args["refund"])).name.lower()}


@revert_error("RefundAlreadyPaid", "The export tax refund of this shipment was already paid.")
class RefundAlreadyPaid(ContractRevert):
    pass


@revert_error("EmptyTrackingBatch", "A tracking batch needs a root and at least one message.")
class EmptyTrackingBatch(ContractRevert):
    pass


@revert_error("UnknownTrackingBatch", "There is no tracking batch #{batchId}.")
class UnknownTrackingBatch(ContractRevert):
    pass
