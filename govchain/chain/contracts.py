"""A deployed contract: typed reads, transaction requests, and decoded events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from govchain.chain import artifacts
from govchain.chain.abi import ContractInterface, Event
from govchain.chain.chain import Chain, Receipt
from govchain.chain.tx import Sender, TxRequest
from govchain.hashing import to_checksum_address


class Contract:
    """Contract ``name`` (an artifact) at ``address`` on ``chain``."""

    def __init__(self, chain: Chain, name: str, address: str) -> None:
        self.chain = chain
        self.name = name
        self.address = to_checksum_address(address)
        self.iface: ContractInterface = artifacts.interface(name)

    def __repr__(self) -> str:
        return f"<{self.name} at {self.address}>"

    def call(
        self, fn: str, *args: Any, sender: str | None = None, block: int | str = "latest"
    ) -> Any:
        """Read ``fn(*args)`` with ``eth_call``; structs come back as dicts."""
        data = self.iface.encode_call(fn, args)
        raw = self.chain.call(
            self.address, data, sender=sender, block=block, context=f"{self.name}.{fn}"
        )
        return self.iface.decode_output(fn, len(args), raw)

    def call_many(self, calls: Sequence[tuple[str, Sequence[Any]]]) -> list[Any]:
        """Many reads in one JSON-RPC batch request; a failed read is its decoded exception."""
        from govchain.chain.chain import as_error
        from govchain.chain.rpc import RpcError

        requests = [
            ("eth_call", [{"to": self.address, "data": "0x" + data.hex()}, "latest"])
            for data in (self.iface.encode_call(fn, args) for fn, args in calls)
        ]
        replies = self.chain.rpc.batch(requests)
        out: list[Any] = []
        for (fn, args), reply in zip(calls, replies, strict=True):
            if isinstance(reply, RpcError):
                out.append(as_error(reply, f"{self.name}.{fn}"))
            else:
                out.append(self.iface.decode_output(fn, len(args), bytes.fromhex(reply[2:])))
        return out

    def read_many(self, calls: Sequence[tuple[str, Sequence[Any]]]) -> list[Any]:
        """Like :meth:`call_many`, raising the first failed read instead of returning it."""
        replies = self.call_many(calls)
        for reply in replies:
            if isinstance(reply, BaseException):
                raise reply
        return replies

    def tx(self, fn: str, *args: Any, value: int = 0, gas: int | None = None) -> TxRequest:
        """A transaction request for ``fn(*args)``, for :meth:`Sender.send` or ``send_many``."""
        return TxRequest(
            to=self.address,
            data=self.iface.encode_call(fn, args),
            value=value,
            gas=gas,
            context=f"{self.name}.{fn}",
        )

    def transact(self, sender: Sender, fn: str, *args: Any, **kw: Any) -> Receipt:
        """Send ``fn(*args)`` from ``sender`` and wait for the receipt."""
        return sender.send(self.tx(fn, *args, **kw))

    def events(self, receipt: Receipt, name: str | None = None) -> list[Event]:
        """This contract's events in ``receipt`` (optionally only those called ``name``)."""
        own = [log for log in receipt.logs if to_checksum_address(log["address"]) == self.address]
        return [e for e in self.iface.decode_logs(own) if name is None or e.name == name]
