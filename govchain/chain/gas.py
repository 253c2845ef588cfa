"""Gas for a batch of transactions, checked all or nothing before anything is signed or sent.

Estimating every transaction of a large batch costs more than sending it: ``eth_estimateGas``
searches, running the call several times. A batch mostly repeats a few functions, so:

- identical requests (same target, calldata and value) are checked once;
- of the requests that call one function (same target, selector, and whether they pay ether),
  the first is estimated, and its estimate (with the margin) is the gas of the others;
- each other request is run once with ``eth_call`` at exactly that gas. If it succeeds, the
  transaction succeeds with that gas limit on the same state — the guarantee an estimate of its
  own gives, since an estimate is also only a run against the current state. If it fails
  (it needs more gas, or it reverts), it gets an estimate of its own, whose error, if any, is
  the reason given — decoded into GovChain's typed errors exactly as before.

If any request would revert, the error of the first one (in request order) is raised.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from govchain.chain.results import as_error
from govchain.chain.rpc import RpcClient, RpcError

GAS_MARGIN_NUM, GAS_MARGIN_DEN = 6, 5  # estimate x 1.2
#: Gas of a plain transfer: what a request whose function could not be estimated is signed
#: with while the rest is checked (it is never sent: its error is raised).
_PLACEHOLDER = 21_000

Fields = Callable[[Any], dict[str, Any]]


def with_margin(estimate: int) -> int:
    return estimate * GAS_MARGIN_NUM // GAS_MARGIN_DEN


@dataclass
class GasPlan:
    """The gas of each request of a batch, as far as it is known."""

    reqs: Sequence[Any]  # TxRequest
    gases: list[int | None]  # final (given, or estimated)
    same_as: dict[int, int]  # request -> the identical request checked for it
    checks: dict[int, int] = field(default_factory=dict)  # request -> gas to run it at
    orphans: list[int] = field(default_factory=list)  # requests whose function's estimate failed
    failed: dict[int, RpcError] = field(default_factory=dict)

    def tentative(self) -> list[int]:
        """Gas per request, taking every pending check as passed (to sign with meanwhile)."""
        out = []
        for i in range(len(self.reqs)):
            j = self.same_as.get(i, i)
            gas = self.gases[j] if self.gases[j] is not None else self.checks.get(j)
            out.append(gas if gas is not None else _PLACEHOLDER)
        return out


def plan(rpc: RpcClient, reqs: Sequence[Any], fields: Fields) -> GasPlan:
    """Estimate one request per function; the others get their function's gas to be checked
    at (:func:`confirm`)."""
    gases: list[int | None] = [r.gas for r in reqs]
    first_of: dict[tuple[str | None, bytes, int], int] = {}
    same_as: dict[int, int] = {}
    for i, r in enumerate(reqs):
        if r.gas is None:
            same_as[i] = first_of.setdefault((r.to, r.data, r.value), i)
    distinct = sorted(set(same_as.values()))
    first_call: dict[tuple[str | None, bytes, bool], int] = {}
    group = {
        i: first_call.setdefault((reqs[i].to, bytes(reqs[i].data[:4]), bool(reqs[i].value)), i)
        for i in distinct
    }
    result = GasPlan(reqs, gases, same_as)
    _estimate(rpc, result, sorted(first_call.values()), fields)
    for i in distinct:
        if group[i] == i:
            continue
        known = gases[group[i]]
        if known is None:
            result.orphans.append(i)
        else:
            result.checks[i] = known
    return result


def confirm(rpc: RpcClient, gas_plan: GasPlan, fields: Fields) -> list[int]:
    """Run the pending checks; requests that fail them get their own estimate. Returns the gas
    of every request, or raises the decoded error of the first that would revert."""
    checks = gas_plan.checks
    order = list(checks)
    calls = [
        ("eth_call", [{**fields(gas_plan.reqs[i]), "gas": hex(checks[i])}, "latest"]) for i in order
    ]
    again = list(gas_plan.orphans)
    for i, reply in zip(order, rpc.batch_many(calls), strict=True):
        if isinstance(reply, RpcError):
            again.append(i)
        else:
            gas_plan.gases[i] = checks[i]
    checks.clear()
    gas_plan.orphans.clear()
    _estimate(rpc, gas_plan, sorted(again), fields)
    if gas_plan.failed:
        index = min(gas_plan.failed)
        req = gas_plan.reqs[index]
        err = as_error(gas_plan.failed[index], req.context)
        err.message = f"Transaction #{index} of the batch would fail: {err.message}"
        err.args = (err.message,)
        raise err
    out: list[int] = []
    for i, gas in enumerate(gas_plan.gases):
        value = gas if gas is not None else gas_plan.gases[gas_plan.same_as[i]]
        assert value is not None  # every request was given gas, estimated or checked above
        out.append(value)
    return out


def _estimate(rpc: RpcClient, gas_plan: GasPlan, indices: list[int], fields: Fields) -> None:
    if not indices:
        return
    calls = [("eth_estimateGas", [fields(gas_plan.reqs[i])]) for i in indices]
    for i, reply in zip(indices, rpc.batch_many(calls), strict=True):
        if isinstance(reply, RpcError):
            gas_plan.failed[i] = reply
        else:
            gas_plan.gases[i] = with_margin(int(reply, 16))


#: Most full blocks a batch's fee cap allows for: the base fee rises 12.5 % a full block.
FEE_HEADROOM_BLOCKS = 16


def batch_fees(
    fees: dict[str, int], gases: Sequence[int], block_gas_limit: int, balance: int
) -> dict[str, int]:
    """EIP-1559 fees for a batch that fills blocks: its own full blocks raise the base fee
    12.5 % each, so the cap allows for that many (at most :data:`FEE_HEADROOM_BLOCKS`) — a cap,
    not a price: a transaction pays the base fee of its block plus the tip. The cap never asks
    more of the balance than the largest transaction can be charged."""
    if "maxFeePerGas" not in fees or not gases:
        return fees
    tip = fees["maxPriorityFeePerGas"]
    base = max(0, (fees["maxFeePerGas"] - tip) // 2)
    target = max(1, block_gas_limit // 2)
    blocks = min(FEE_HEADROOM_BLOCKS, -(-sum(gases) // target))
    wanted = 2 * base * 9**blocks // 8**blocks + tip
    affordable = balance // max(gases)
    cap = max(fees["maxFeePerGas"], min(wanted, affordable))
    return {**fees, "maxFeePerGas": cap}
