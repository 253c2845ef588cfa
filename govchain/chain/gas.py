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

Not every node estimates alike. Anvil, Ganache, Geth and Besu search for the least gas limit
that succeeds. EthereumJS returns the gas the run spent (after refunds, without the 1/64 that
calls keep back), and its ``eth_call`` does not charge the transaction's intrinsic gas. On such a
node (a *loose* one, ``strict=True`` here) every estimate is verified by a run at its gas limit
less the intrinsic gas, raised by a quarter until it passes, and checks run at that lower gas
too: a limit that passes is one the transaction succeeds with.
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


#: Rounds of raising an estimate that failed its verification by a quarter.
RAISE_ROUNDS = 4


def intrinsic_gas(fields: dict[str, Any]) -> int:
    """What a transaction with these call fields pays before running: 21,000, 16 a non-zero
    calldata byte and 4 a zero byte, 32,000 more to create a contract."""
    data = bytes.fromhex(str(fields.get("data", "0x"))[2:])
    zeros = data.count(0)
    return 21_000 + 16 * (len(data) - zeros) + 4 * zeros + (0 if fields.get("to") else 32_000)


def verify(
    rpc: RpcClient, calls: list[dict[str, Any]], gases: list[int]
) -> tuple[list[int], dict[int, RpcError]]:
    """Gas limits the calls are known to succeed with on a loose node: each run at its limit
    less its intrinsic gas, raised by a quarter while it fails for want of gas (at most
    :data:`RAISE_ROUNDS` times). A call that fails otherwise would revert (such a node's
    estimate does not say so): its error comes back, by index."""
    out = list(gases)
    errors: dict[int, RpcError] = {}
    todo = list(range(len(calls)))
    for _ in range(RAISE_ROUNDS):
        if not todo:
            break
        runs = [
            ("eth_call", [{**calls[i], "gas": hex(out[i] - intrinsic_gas(calls[i]))}, "latest"])
            for i in todo
        ]
        short = []
        for i, reply in zip(todo, rpc.batch_many(runs), strict=True):
            if _short_of_gas(reply):
                out[i] = out[i] * 5 // 4
                short.append(i)
            elif isinstance(reply, RpcError):
                errors[i] = reply
        todo = short
    return out, errors


def _short_of_gas(reply: Any) -> bool:
    return isinstance(reply, RpcError) and "out of gas" in reply.message.lower()


@dataclass
class GasPlan:
    """The gas of each request of a batch, as far as it is known."""

    reqs: Sequence[Any]  # TxRequest
    gases: list[int | None]  # final (given, or estimated)
    same_as: dict[int, int]  # request -> the identical request checked for it
    checks: dict[int, int] = field(default_factory=dict)  # request -> gas to run it at
    orphans: list[int] = field(default_factory=list)  # requests whose function's estimate failed
    failed: dict[int, RpcError] = field(default_factory=dict)
    strict: bool = False  # a loose node: verify estimates, check below the intrinsic gas

    def tentative(self) -> list[int]:
        """Gas per request, taking every pending check as passed (to sign with meanwhile)."""
        out = []
        for i in range(len(self.reqs)):
            j = self.same_as.get(i, i)
            gas = self.gases[j] if self.gases[j] is not None else self.checks.get(j)
            out.append(gas if gas is not None else _PLACEHOLDER)
        return out


def plan(rpc: RpcClient, reqs: Sequence[Any], fields: Fields, *, strict: bool = False) -> GasPlan:
    """Estimate one request per function; the others get their function's gas to be checked
    at (:func:`confirm`). ``strict`` for a node whose estimates are loose (see above)."""
    gases: list[int | None] = [r.gas for r in reqs]
    first_of: dict[tuple[str | None, bytes, int], int] = {}
    same_as: dict[int, int] = {}
    for i, r in enumerate(reqs):
        if r.gas is None:
            same_as[i] = first_of.setdefault((r.to, r.data, r.value), i)
    distinct = sorted(set(same_as.values()))
    first_call: dict[tuple[str | None, bytes, bool], int] = {}
    group = {
        i: first_call.setdefault((reqs[i].to, _function_of(reqs[i]), bool(reqs[i].value)), i)
        for i in distinct
    }
    result = GasPlan(reqs, gases, same_as, strict=strict)
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


def _function_of(req: Any) -> bytes:
    """What a request calls: the selector, or for a deployment its whole code (two contracts
    share the first bytes of their init code, not their gas)."""
    return bytes(req.data) if req.to is None else bytes(req.data[:4])


def confirm(rpc: RpcClient, gas_plan: GasPlan, fields: Fields) -> list[int]:
    """Run the pending checks; requests that fail them get their own estimate. Returns the gas
    of every request, or raises the decoded error of the first that would revert."""
    checks = gas_plan.checks
    order = list(checks)
    calls = []
    for i in order:
        call = fields(gas_plan.reqs[i])
        at = checks[i] - (intrinsic_gas(call) if gas_plan.strict else 0)
        calls.append(("eth_call", [{**call, "gas": hex(at)}, "latest"]))
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
    estimated: list[int] = []
    for i, reply in zip(indices, rpc.batch_many(calls), strict=True):
        if isinstance(reply, RpcError):
            gas_plan.failed[i] = reply
        else:
            gas_plan.gases[i] = with_margin(int(reply, 16))
            estimated.append(i)
    if gas_plan.strict and estimated:
        limits = [g for g in (gas_plan.gases[i] for i in estimated) if g is not None]
        sure, errors = verify(rpc, [fields(gas_plan.reqs[i]) for i in estimated], limits)
        for k, (i, limit) in enumerate(zip(estimated, sure, strict=True)):
            gas_plan.gases[i] = limit
            if k in errors:
                gas_plan.failed[i] = errors[k]


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
