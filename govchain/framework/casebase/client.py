"""One generic SDK client for every case, driven by its spec.

    port = gc.port                                  # a CaseClient for the PortClearance case
    port.submit(broker, "020220261000012345", port="CNTXG", region="beijing", goods=b"...")
    port.accept(customs, "020220261000012345")      # a verb of the spec, as a method
    port.get("020220261000012345").state            # "accepted"
    port.history("020220261000012345")              # from the event index
    port.query("at", "CNTXG")                       # items filtered by an event attribute

Items are named by their reference (the waybill, the declaration number) as a clerk types it:
on chain it is only a keyed commitment (HMAC under the platform secret), and the item's id is
``keccak256(abi.encode(filer, kind, key))``. Looking an item up by reference reads the event
index; pass ``filer=`` when several filers used the same reference, or pass the id itself.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govchain.chain.abi import Event
from govchain.chain.abicodec import encode as abi_encode
from govchain.chain.contracts import Contract
from govchain.chain.results import Receipt
from govchain.chain.tx import Sender, TxRequest
from govchain.errors import GovChainError, InputError
from govchain.framework.batches import MerkleBatchIndex
from govchain.framework.casebase.anchors import MerkleAnchoring
from govchain.framework.casebase.batches import send_batch
from govchain.framework.casebase.spec import CaseSpec, Kind, Param, Verb, words
from govchain.framework.directory import Directory, parse_address, reason_code
from govchain.framework.docstore import DocumentVault
from govchain.framework.journal import Journal
from govchain.hashing import is_hex_address, keccak

if TYPE_CHECKING:
    from govchain.framework.certificates.service import Certificates
    from govchain.framework.index import EventIndex, ItemRow
    from govchain.framework.sharing.exchange import DataExchange

MAX_BATCH = 200
#: The function of CaseBase that does every transition taking only an item and a note.
GENERIC = "step"
Target = str | bytes


class ItemNotFound(GovChainError):
    """No item of the case carries that reference (or id)."""


@dataclass(frozen=True)
class Record:
    """An item as the chain holds it now, with the case's details."""

    case: str
    kind: str
    id: bytes
    state: str
    filer: str
    updated_at: datetime
    fields: dict[str, Any]
    reference: str = ""

    def __getattr__(self, name: str) -> Any:
        fields = self.__dict__.get("fields", {})
        if name in fields:
            return fields[name]
        raise AttributeError(name)

    def as_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "kind": self.kind,
            "id": "0x" + self.id.hex(),
            "reference": self.reference,
            "state": self.state,
            "filer": self.filer,
            "updatedAt": self.updated_at.isoformat(),
            **{k: ("0x" + v.hex() if isinstance(v, bytes) else v) for k, v in self.fields.items()},
        }


@dataclass(frozen=True)
class Document:
    """A document anchored for an item."""

    type: str
    content_hash: bytes
    uploader: str
    block: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "contentHash": "0x" + self.content_hash.hex(),
            "uploader": self.uploader,
            "block": self.block,
        }


@dataclass(frozen=True)
class Prepared:
    """A transition ready to send: the transaction, and the document to seal before sending."""

    tx: TxRequest
    item: bytes | None  # the item's id (None for a filing: it is derived from the sender)
    document: bytes | None = None
    readers: tuple[str, ...] = ()
    salt: bytes = b""  # the document's salt, whose commitment the transaction anchors


class CaseClient:
    """SDK for one case contract. Verbs of the spec are methods: ``client.accept(sender, ref)``."""

    def __init__(
        self,
        spec: CaseSpec,
        contract: Contract,
        *,
        directory: Directory,
        vault: DocumentVault,
        index: EventIndex,
        secret: Callable[[], bytes],
        data_dir: Path,
        exchange: Callable[[], DataExchange] | None = None,
        certificates: Callable[[], Certificates] | None = None,
    ) -> None:
        self.spec = spec
        self.data_dir = data_dir
        self.contract = contract
        self.directory = directory
        self.vault = vault
        self.index = index
        self._secret = secret
        self._exchange = exchange
        self._certificates = certificates

    @property
    def exchange(self) -> DataExchange:
        """The data-sharing framework (grants, deliveries), for a case acting under consent."""
        if self._exchange is None:
            raise InputError(f"The {self.spec.name} client was made without data sharing.")
        return self._exchange()

    @property
    def certificates(self) -> Certificates:
        """The electronic certificates of the framework, for a case whose records are one."""
        if self._certificates is None:
            raise InputError(f"The {self.spec.name} client was made without certificates.")
        return self._certificates()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec.name} at {self.contract.address}>"

    def __getattr__(self, name: str) -> Callable[..., Receipt]:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            verb = self.spec.verb(name)
        except InputError:
            raise AttributeError(f"{self.spec.name} has no method or step '{name}'") from None
        return functools.partial(self.act, verb.code)

    @cached_property
    def anchors(self) -> MerkleAnchoring:
        """Records anchored as Merkle batches (cases whose spec has ``anchors``)."""
        if self.spec.anchors is None:
            raise InputError(f"The {self.spec.name} case anchors no records in batches.")
        scope = f"{self.contract.chain.chain_id}:{self.contract.address}"
        index = MerkleBatchIndex(self.data_dir / "anchors.sqlite3", scope)
        return MerkleAnchoring(self.contract, index)

    # -- references and ids ------------------------------------------------------------------
    def key(self, kind: Kind | str, text: str) -> bytes:
        """The on-chain key of a reference: a keyed commitment (HMAC-SHA256 under the platform
        secret) of its canonical text, so a number cannot be guessed back from the chain."""
        k = kind if isinstance(kind, Kind) else self.spec.kind(kind)
        canonical = k.parse(text)
        if k.public_key is not None:
            return k.public_key(canonical)
        message = f"govchain/{self.spec.name}/{k.name}/{canonical}".encode()
        return hmac.new(self._secret(), message, hashlib.sha256).digest()

    def commit(self, value: str | bytes) -> bytes:
        """A keyed commitment (HMAC-SHA256 under the platform secret) of a secret reference (a
        payment reference) or of a document kept elsewhere (a batch filing's goods)."""
        if isinstance(value, bytes):
            message = b"govchain/document/" + value
        else:
            text = " ".join(str(value).split())
            if not text:
                raise InputError("The reference is empty.")
            message = f"govchain/note/{text}".encode()
        return hmac.new(self._secret(), message, hashlib.sha256).digest()

    def id_of(self, filer: str, kind: Kind | str, key: bytes) -> bytes:
        """The id of the item ``filer`` files of ``kind`` under ``key`` (as the contract does)."""
        k = kind if isinstance(kind, Kind) else self.spec.kind(kind)
        scope = self.contract.address if k.unique else parse_address(filer)
        return keccak(abi_encode(["address", "uint8", "bytes32"], [scope, k.code, key]))

    def resolve(
        self, target: Target, kind: Kind | str | None = None, *, filer: str | None = None
    ) -> bytes:
        """The id of the item named by ``target`` (a reference as typed, or the id itself)."""
        k = self._kind(kind)
        if isinstance(target, bytes):
            if len(target) != 32:
                raise InputError("An item id has 32 bytes.")
            return target
        text = str(target).strip()
        if text.lower().startswith("0x") and len(text) == 66:
            try:
                return bytes.fromhex(text[2:])
            except ValueError:
                raise InputError(f"'{target}' is not an item id.") from None
        key = self._key_for(k, text)
        if filer:
            return self.id_of(filer, k, key)
        rows = self.index.items(self.spec.contract, kind=k.code, key=key)
        if not rows:
            raise ItemNotFound(f"There is no {k.name} under {k.label} {self._canonical(k, text)}.")
        if len(rows) > 1:
            filers = ", ".join(r.filer for r in rows)
            raise InputError(
                f"{len(rows)} {k.name}s carry {k.label} {self._canonical(k, text)} (filed by "
                f"{filers}): say whose with filer=… (--filer on the command line)."
            )
        return rows[0].id

    def _key_for(self, kind: Kind, text: str) -> bytes:
        if kind.parent:  # keyed by its parent item: a shipment's refund
            return self.resolve(text, kind.parent)
        return self.key(kind, text)

    def _canonical(self, kind: Kind, text: str) -> str:
        return (
            self._canonical(self.spec.kind(kind.parent), text) if kind.parent else kind.parse(text)
        )

    def _kind(self, kind: Kind | str | None) -> Kind:
        if kind is None:
            return self.spec.primary
        return kind if isinstance(kind, Kind) else self.spec.kind(kind)

    # -- reads -------------------------------------------------------------------------------
    def get(
        self, target: Target, kind: Kind | str | None = None, *, filer: str | None = None
    ) -> Record:
        """The item as the chain holds it now (one batch request)."""
        k = self._kind(kind)
        item_id = self.resolve(target, k, filer=filer)
        return self.records([item_id], reference=target if isinstance(target, str) else "")[0]

    def records(self, ids: Sequence[bytes], reference: str = "") -> list[Record]:
        """Many items read from the chain in one batch request."""
        calls: list[tuple[str, Sequence[Any]]] = [("item", (i,)) for i in ids]
        if self.spec.details:
            calls += [("details", (i,)) for i in ids]
        replies = self.contract.read_many(calls)
        out = []
        for n, item_id in enumerate(ids):
            raw = replies[n]
            if int(raw["state"]) == 0:
                raise ItemNotFound(
                    f"There is no {self.spec.primary.name} with id 0x{item_id.hex()}."
                )
            kind = self.spec.kind(int(raw["kind"]))
            details = replies[len(ids) + n] if self.spec.details else {}
            fields = {name: convert(details[name]) for name, convert in self.spec.details.items()}
            out.append(
                Record(
                    self.spec.name,
                    kind.name,
                    item_id,
                    kind.state_name(int(raw["state"])),
                    raw["filer"],
                    datetime.fromtimestamp(int(raw["updatedAt"]), UTC),
                    fields,
                    reference,
                )
            )
        return out

    def history(
        self, target: Target, kind: Kind | str | None = None, *, filer: str | None = None
    ) -> list[Event]:
        """Everything that happened to the item, from the event index, in chain order."""
        return self.index.history(self.spec.contract, self.resolve(target, kind, filer=filer))

    def documents(
        self, target: Target, kind: Kind | str | None = None, *, filer: str | None = None
    ) -> list[Document]:
        """The documents anchored for the item: by transitions that carry one, and attached."""
        out = []
        for e in self.history(target, kind, filer=filer):
            if e.name == "DocumentAnchored":
                doc = self.spec.document(int(e["docType"]))
                out.append(
                    Document(doc.name, bytes(e["contentHash"]), e["uploader"], e.block_number)
                )
            elif e.name == "Transition" and bytes(e["ref"]) != bytes(32):
                note = self.spec.verb(int(e["verb"])).note
                if note is not None and note.kind == "document":
                    out.append(Document(note.document, bytes(e["ref"]), e["actor"], e.block_number))
        return out

    def items(
        self,
        kind: Kind | str | None = None,
        *,
        state: str | None = None,
        filer: str | None = None,
        attr: tuple[str, Any] | None = None,
    ) -> list[ItemRow]:
        """Items from the event index, optionally of one state, filer or attribute value."""
        k = self._kind(kind)
        return self.index.items(
            self.spec.contract,
            kind=k.code,
            state=k.state_value(state) if state else None,
            filer=parse_address(filer) if filer else None,
            attr=attr,
        )

    def query(self, name: str, value: Any) -> list[ItemRow]:
        """The items a query of the spec finds (``port.query("at", "CNTXG")``)."""
        q = self.spec.query(name)
        wanted = q.param.convert(value)
        shown = "0x" + wanted.hex() if isinstance(wanted, bytes) else str(wanted)
        return self.index.items(self.spec.contract, attr=(q.attr, shown))

    def counts(self) -> dict[str, dict[str, int]]:
        """How many items are in each state, per kind (from the index)."""
        out: dict[str, dict[str, int]] = {k.name: {} for k in self.spec.kinds}
        for (kind, state), n in sorted(self.index.counts(self.spec.contract).items()):
            k = self.spec.kind(kind)
            out[k.name][k.state_name(state)] = n
        return out

    # -- writes ------------------------------------------------------------------------------
    def act(
        self,
        verb: str | int,
        sender: Sender,
        target: Target,
        *args: Any,
        filer: str | None = None,
        **kwargs: Any,
    ) -> Receipt:
        """Do transition ``verb`` on the item named by ``target`` (for a filing: the reference
        to file under). Positional ``args`` fill the verb's parameters, then its note. A refused
        step raises the contract's error before any document is stored."""
        prepared = self.prepare(verb, sender, target, *args, filer=filer, **kwargs)
        return self.send(sender, prepared)

    def prepare(
        self,
        verb: str | int,
        sender: Sender,
        target: Target,
        *args: Any,
        filer: str | None = None,
        **kwargs: Any,
    ) -> Prepared:
        """The transaction of a transition (and the document it anchors), not yet sent."""
        v = self.spec.verb(verb)
        kind = self.spec.kind(v.kind)
        values = self._bind(v, args, kwargs)
        for p in v.params:
            if p.derive is not None:
                values[p.name] = p.derive(kind.parse(str(target)))
        params: list[Any] = [self._param(p, values[p.name]) for p in v.params]
        item: bytes | None = None
        if v.files:
            first = self._key_for(kind, str(target)) if not isinstance(target, bytes) else target
        else:
            first = item = self.resolve(target, kind, filer=filer)
        call = [first, *params]
        document, salt = None, b""
        if v.note is not None:
            document, salt, ref = self._note(v, values.get(v.note.name))
            call.append(ref)
        if v.function == GENERIC:
            call = [v.code, first, call[-1] if v.note is not None else bytes(32)]
        readers: tuple[str, ...] = ()
        if document is not None:
            addresses = [  # an address param may be a list (a unit's owners)
                str(a)
                for p, spec in zip(params, v.params, strict=True)
                if spec.address
                for a in (p if isinstance(p, (list, tuple)) else [p])
            ]
            readers = tuple(self._readers(item, [sender.address, *addresses]))
        return Prepared(self.contract.tx(v.function, *call), item, document, readers, salt)

    def send(self, sender: Sender, prepared: Prepared) -> Receipt:
        """Send a prepared transition. Its document is sealed only once the chain would accept
        the transition (estimated first), so a refused step leaves nothing in the store."""
        tx = prepared.tx
        if prepared.document is not None:
            tx = replace(tx, gas=sender.estimate(tx))
            self._seal(prepared.document, prepared.readers, prepared.salt)
        return sender.send(tx)

    def batch(
        self,
        verb: str | int,
        sender: Sender,
        targets: Iterable[Target],
        notes: Sequence[Any] | None = None,
        *,
        filer: str | None = None,
    ) -> list[Receipt]:
        """Do ``verb`` for many items: up to 200 per transaction (``stepBatch``), the
        transactions sent together. ``notes`` gives each item's note (document, code or secret
        reference); documents are sealed only once every transaction would be accepted."""
        v = self.spec.verb(verb)
        if not v.batch:
            raise InputError(
                f"Step {self.spec.method_of(v)} cannot be done for many items at once."
            )
        kind = self.spec.kind(v.kind)
        ids = [self.resolve(t, kind, filer=filer) for t in targets]
        if len(set(ids)) != len(ids):
            raise InputError("The list names the same item twice.")
        if notes is not None and (v.note is None or len(notes) != len(ids)):
            raise InputError(f"Give one {v.note.name if v.note else 'note'} per item, or none.")
        notes_ = [self._note(v, n) for n in notes] if notes is not None else []
        refs = [ref for _, _, ref in notes_]
        txs = [
            self.contract.tx("stepBatch", v.code, ids[i : i + MAX_BATCH], refs[i : i + MAX_BATCH])
            for i in range(0, len(ids), MAX_BATCH)
        ]
        documents = [(item, doc, salt) for item, (doc, salt, _) in zip(ids, notes_, strict=False)]
        if any(doc for _, doc, _ in documents):
            txs = [replace(tx, gas=sender.estimate(tx)) for tx in txs]
            for item, doc, salt in documents:
                if doc is not None:
                    self._seal(doc, self._readers(item, [sender.address]), salt)
        return send_batch(self.journal, sender, txs, f"{self.spec.name} {self.spec.method_of(v)}")

    @property
    def journal(self) -> Journal:
        return Journal(self.data_dir, self.contract.chain.chain_id)

    def attach(
        self,
        sender: Sender,
        target: Target,
        doc_type: str,
        data: bytes,
        *,
        filer: str | None = None,
    ) -> bytes:
        """Store a document encrypted to the item's parties and the case's readers and anchor its
        hash; returns the hash. Refused (and nothing stored) unless the sender's role may."""
        doc = self.spec.document(doc_type)
        item = self.resolve(target, doc.kind, filer=filer)
        salt, digest = self.vault.prepare(data)
        tx = self.contract.tx("anchorDocument", item, doc.code, digest)
        readers = tuple(self._readers(item, [sender.address]))
        self.send(sender, Prepared(tx, item, data, readers, salt))
        return digest

    def read(
        self,
        reader: Sender,
        target: Target,
        digest: bytes,
        *,
        kind: Kind | str | None = None,
        filer: str | None = None,
    ) -> bytes:
        """Decrypt a document anchored for the item, as ``reader``."""
        anchored = {d.content_hash for d in self.documents(target, kind, filer=filer)}
        if digest not in anchored:
            raise InputError(f"Document 0x{digest.hex()} is not anchored for {target!s}.")
        return self.vault.open(digest, reader.account, expected_hash=digest)

    # -- internals ---------------------------------------------------------------------------
    def _bind(self, verb: Verb, args: Sequence[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
        names = [p.name for p in verb.params if p.name not in verb.fixed and p.derive is None]
        if verb.note is not None:
            names.append(verb.note.name)
        if len(args) > len(names):
            raise InputError(
                f"{self.spec.method_of(verb)} takes {len(names)} argument(s): {', '.join(names)}."
            )
        values: dict[str, Any] = dict(verb.fixed)
        values.update(zip(names, args, strict=False))
        unknown = set(kwargs) - set(names)
        if unknown:
            raise InputError(f"{self.spec.method_of(verb)} takes no {', '.join(sorted(unknown))}.")
        values.update(kwargs)
        for p in verb.params:
            if p.name not in values and p.default is not None:
                values[p.name] = p.default
        missing = [p.name for p in verb.params if p.name not in values and p.derive is None]
        if verb.note is not None and not verb.note.optional and verb.note.name not in values:
            missing.append(verb.note.name)
        if missing:
            raise InputError(f"{words(self.spec.method_of(verb))} needs {', '.join(missing)}.")
        return values

    def _param(self, param: Param, value: Any) -> Any:
        """A verb's argument as the contract takes it."""
        if param.secret:
            return self.commit(str(value))
        if param.item:
            return self.resolve(value if isinstance(value, bytes) else str(value), param.item)
        return param.convert(value)

    def _note(self, verb: Verb, raw: Any) -> tuple[bytes | None, bytes, bytes]:
        """A verb's note as (the document to seal, if any; its salt; the bytes32 the chain
        gets: the document's salted commitment, a reason code or a keyed commitment)."""
        if raw is None or verb.note is None:
            return None, b"", bytes(32)
        if verb.note.kind == "document":
            document = raw if isinstance(raw, bytes) else str(raw).encode()
            salt, digest = self.vault.prepare(document)
            return document, salt, digest
        if verb.note.kind == "code":
            return None, b"", reason_code(str(raw))
        if verb.note.kind == "public":
            return None, b"", keccak(raw if isinstance(raw, bytes) else str(raw).encode())
        return None, b"", self.commit(str(raw))

    def _readers(self, item: bytes | None, extra: Sequence[str]) -> list[str]:
        """Who may read the item's documents: its parties and the holders of the reader roles."""
        parties = list(extra)
        if item is not None:
            record = self.records([item])[0]
            parties.append(record.filer)
            parties += [
                v for v in record.fields.values() if isinstance(v, str) and is_hex_address(v)
            ]
        wanted = set(self.spec.readers)
        if wanted:
            from govchain.chain.roles import role_id

            ids = {role_id(r) for r in wanted}
            held = self.directory.roles_by_participant(active_only=True)
            parties += [a for a, roles in held.items() if ids & roles]
        return list(dict.fromkeys(parse_address(p) for p in parties if int(p, 16)))

    def _seal(self, data: bytes, readers: Sequence[str], salt: bytes) -> None:
        keys = self.directory.contract.call_many([("encryptionKey", (a,)) for a in readers])
        found = {
            a: bytes(k) for a, k in zip(readers, keys, strict=True) if isinstance(k, bytes) and k
        }
        self.vault.seal(data, found, "application/octet-stream", salt=salt)
