"""An item's events as people read them: what happened, who did it, the detail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govchain.chain import labels
from govchain.chain.abi import Event
from govchain.framework.casebase.spec import CaseSpec, words
from govchain.framework.codes import REASONS


@dataclass(frozen=True)
class Step:
    """One line of an item's history."""

    block: int
    what: str
    by: str  # an address
    detail: str
    tx_hash: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "block": self.block,
            "what": self.what,
            "by": self.by,
            "detail": self.detail,
            "txHash": self.tx_hash,
        }


def describe(spec: CaseSpec, event: Event) -> Step:
    """The readable form of a case contract's event."""
    args = event.args
    if event.name == "Filed":
        kind = spec.kind(int(args["kind"]))
        what, by, detail = "filed", args["filer"], f"{kind.name} (key {_short(args['key'])})"
    elif event.name == "Transition":
        verb = spec.verb(int(args["verb"]))
        kind = spec.kind(verb.kind)
        what, by = words(spec.method_of(verb)), args["actor"]
        detail = f"{words(kind.state_name(args['from']))} → {words(kind.state_name(args['to']))}"
        ref = bytes(args["ref"])
        if verb.note is not None and ref != bytes(32):
            shown = REASONS.name(ref) if verb.note.kind == "code" else _short(ref)
            detail += f", {words(verb.note.name)} {shown}"
    elif event.name == "DocumentAnchored":
        doc = spec.document(int(args["docType"]))
        what, by, detail = (
            f"document {words(doc.name)}",
            args["uploader"],
            _short(args["contentHash"]),
        )
    else:
        parts = [
            f"{k}={labels.describe(v) if _is_address(v) else spec.show(k, v)}"
            for k, v in args.items()
            if k != "id"
        ]
        what, by, detail = event.name, "", ", ".join(parts)
    return Step(event.block_number, what, by, detail, event.tx_hash)


def _short(value: bytes | str) -> str:
    raw = bytes(value) if isinstance(value, bytes) else bytes.fromhex(value.removeprefix("0x"))
    return "0x" + raw.hex()[:12] + "…"


def _is_address(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("0x") and len(value) == 42
