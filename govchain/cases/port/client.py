"""What the port case adds to the generic client: the ports of the single window and filing many
declarations in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from govchain.cases.port.spec import CASE, parse_region, port_code, port_text
from govchain.chain.results import Receipt
from govchain.chain.tx import Sender, TxRequest
from govchain.errors import InputError
from govchain.framework.casebase.batches import send_batch
from govchain.framework.casebase.client import MAX_BATCH, CaseClient, ItemNotFound
from govchain.framework.directory import parse_address


@dataclass(frozen=True)
class Filing:
    """One declaration of a batch. Only a keyed commitment of the goods documents goes on chain;
    in a batch the declarant keeps the documents in its own system."""

    number: str
    port: str
    region: int | str
    goods: bytes


class PortClient(CaseClient):
    """Case 2's client: the generic verbs plus ports and batch filing."""

    def register_region(self, admin: Sender, region: int | str) -> Receipt:
        """Register a customs region of the single window (administrator): a known region's
        name, or a new province-level code."""
        return admin.send(self.register_region_tx(region))

    def register_region_tx(self, region: int | str) -> TxRequest:
        code = region if isinstance(region, int) else parse_region(region)
        return self.contract.tx("registerRegion", code)

    def register_port(self, admin: Sender, code: str, region: int | str, terminal: str) -> Receipt:
        """Register (or change) a port of the single window and its terminal (administrator)."""
        return admin.send(self.register_port_tx(code, region, terminal))

    def register_port_tx(self, code: str, region: int | str, terminal: str) -> TxRequest:
        return self.contract.tx(
            "registerPort", port_code(code), parse_region(region), parse_address(terminal)
        )

    def port(self, code: str) -> dict[str, Any]:
        """The port's region and terminal operator."""
        raw: dict[str, Any] = self.contract.call("port", port_code(code))
        if raw["region"] == 0:
            raise ItemNotFound(f"Port {code} is not part of the single window.")
        return {"code": port_text(port_code(code)), **raw}

    def submit_many(self, declarant: Sender, filings: Sequence[Filing]) -> list[Receipt]:
        """File many declarations: 200 per transaction, the transactions sent together. Numbers
        must be unique within the list and not yet filed by this declarant."""
        kind = CASE.primary
        rows = [
            (
                self.key(kind, f.number),
                port_code(f.port),
                parse_region(f.region),
                self.commit(f.goods),
            )
            for f in filings
        ]
        if len({r[0] for r in rows}) != len(rows):
            raise InputError("The list files the same declaration number twice.")
        chunks = [rows[i : i + MAX_BATCH] for i in range(0, len(rows), MAX_BATCH)]
        txs = [self.contract.tx("submitBatch", c) for c in chunks]
        return send_batch(self.journal, declarant, txs, f"port submit-batch of {len(rows)}")
