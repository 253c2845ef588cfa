"""Case 1 — airport logistics: every transition allowed and refused, documents, tracking
messages, export tax refund, and a stateful property test of the state machine."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from govchain.cases.logistics import CASE
from govchain.chain.reverts import MissingRole
from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import GovChainError, InputError
from govchain.framework.casebase.anchors import leaf_of
from govchain.framework.casebase.client import CaseClient, ItemNotFound
from govchain.framework.casebase.errors import ItemExists, NotParty, WrongState
from govchain.framework.directory import ParticipantSuspended
from govchain.framework.docstore import NotAReader
from govchain.framework.merkle import verify

Actor = Callable[[str], Sender]
AWB = "999-12345675"
OTHER_AWB = "999-10000001"
E = CASE.errors


@pytest.fixture
def lg(gc: GovChain) -> CaseClient:
    return gc.case("logistics")


def journey_to(lg: CaseClient, actor: Actor, state: str, awb: str = AWB) -> None:
    """Take a shipment along the happy path up to ``state``."""
    steps: list[tuple[str, Callable[[], object]]] = [
        ("booked", lambda: lg.book(actor("forwarder"), awb, cast.BY_KEY["merchant"].address)),
        ("received_at_terminal", lambda: lg.receive_at_terminal(actor("airport"), awb)),
        ("declared", lambda: lg.declare(actor("merchant"), awb, b"declaration")),
        ("inspected", lambda: lg.inspect(actor("customs-beijing"), awb, "pass")),
        ("released", lambda: lg.release(actor("customs-beijing"), awb)),
        ("departed", lambda: lg.depart(actor("airport"), awb)),
        ("arrived", lambda: lg.arrive(actor("forwarder"), awb)),
        ("delivered", lambda: lg.deliver(actor("forwarder"), awb)),
    ]
    for reached, step in steps:
        step()
        if reached == state:
            return


def test_full_journey(lg: CaseClient, actor: Actor) -> None:
    journey_to(lg, actor, "delivered")
    shipment = lg.get(AWB)
    assert shipment.state == "delivered" and shipment.inspection == "pass"
    assert shipment.filer == cast.BY_KEY["forwarder"].address  # the operator booked it
    assert shipment.merchant == cast.BY_KEY["merchant"].address
    names = [e.name for e in lg.history(AWB)]
    assert names.count("Transition") == 8 and "ShipmentBooked" in names


@pytest.mark.parametrize(
    ("step", "who", "at"),
    [
        ("receive_at_terminal", "forwarder", "booked"),
        ("release", "airport", "inspected"),
        ("depart", "customs-beijing", "released"),
        ("arrive", "airport", "departed"),
        ("deliver", "merchant", "arrived"),
    ],
)
def test_each_transition_belongs_to_its_role(
    lg: CaseClient, actor: Actor, step: str, who: str, at: str
) -> None:
    journey_to(lg, actor, at)
    with pytest.raises(MissingRole):
        getattr(lg, step)(actor(who), AWB)
    assert lg.get(AWB).state == at


@pytest.mark.parametrize(
    ("step", "who"),
    [
        ("receive_at_terminal", "airport"),
        ("release", "customs-beijing"),
        ("depart", "airport"),
        ("arrive", "forwarder"),
        ("deliver", "forwarder"),
    ],
)
def test_each_transition_needs_its_state(lg: CaseClient, actor: Actor, step: str, who: str) -> None:
    journey_to(lg, actor, "declared")
    with pytest.raises(WrongState, match="the shipment is declared"):
        getattr(lg, step)(actor(who), AWB)


def test_suspended_participants_are_refused(gc: GovChain, lg: CaseClient, actor: Actor) -> None:
    journey_to(lg, actor, "booked")
    gc.directory.suspend(actor("bureau"), cast.BY_KEY["airport"].address, "audit")
    with pytest.raises(ParticipantSuspended):
        lg.receive_at_terminal(actor("airport"), AWB)


def test_booking_rules(gc: GovChain, lg: CaseClient, actor: Actor) -> None:
    journey_to(lg, actor, "booked")
    with pytest.raises(ItemExists):
        lg.book(actor("forwarder"), AWB, cast.BY_KEY["merchant"].address)
    with pytest.raises(MissingRole, match="MERCHANT_ROLE"):  # the shipper must be a merchant
        lg.book(actor("forwarder"), OTHER_AWB, cast.BY_KEY["retailer"].address)
    with pytest.raises(MissingRole, match="LOGISTICS_ROLE"):
        lg.book(actor("merchant"), OTHER_AWB, cast.BY_KEY["merchant"].address)
    with pytest.raises(InputError, match="check digit"):
        lg.book(actor("forwarder"), "999-12345676", cast.BY_KEY["merchant"].address)
    with pytest.raises(ItemNotFound):
        lg.get(OTHER_AWB)


def test_only_the_shipments_merchant_declares(gc: GovChain, lg: CaseClient, actor: Actor) -> None:
    journey_to(lg, actor, "received_at_terminal")
    gc.directory.grant(actor("bureau"), cast.BY_KEY["retailer"].address, "merchant")
    with pytest.raises(NotParty):
        lg.declare(actor("retailer"), AWB, b"declaration")


def test_hold_returns_to_inspection_and_fail_is_final(lg: CaseClient, actor: Actor) -> None:
    customs = actor("customs-beijing")
    journey_to(lg, actor, "declared")
    lg.hold(customs, AWB)
    held = lg.get(AWB)
    assert held.state == "declared" and held.inspection == "hold"
    with pytest.raises(WrongState):  # not released while held
        lg.release(customs, AWB)
    lg.inspect(customs, AWB, "fail")
    with pytest.raises(E.InspectionNotCleared, match="fail"):
        lg.release(customs, AWB)
    with pytest.raises(WrongState):
        lg.inspect(customs, AWB, "pass")


def test_waived_inspection_may_be_released(lg: CaseClient, actor: Actor) -> None:
    journey_to(lg, actor, "declared")
    lg.inspect(actor("customs-beijing"), AWB, "waived")
    lg.release(actor("customs-beijing"), AWB)
    assert lg.get(AWB).state == "released"


def test_documents_are_anchored_and_readable_only_by_parties_and_authorities(
    lg: CaseClient, actor: Actor
) -> None:
    journey_to(lg, actor, "booked")
    manifest = b"MANIFEST 999-12345675: 12 pallets, 480 kg"
    digest = lg.attach(actor("forwarder"), AWB, "manifest", manifest)
    lg.attach(actor("customs-beijing"), AWB, "inspection_report", b"report")
    docs = lg.documents(AWB)
    assert [d.type for d in docs] == ["manifest", "inspection_report"]
    assert docs[0].uploader == cast.BY_KEY["forwarder"].address
    for reader in ("merchant", "forwarder", "customs-beijing", "airport", "tax", "commerce"):
        assert lg.read(actor(reader), AWB, digest) == manifest
    with pytest.raises(NotAReader):
        lg.read(actor("bank-bob"), AWB, digest)
    with pytest.raises(InputError, match="not anchored"):
        lg.read(actor("merchant"), AWB, b"\x01" * 32)


def test_each_document_type_has_its_role_and_a_refusal_leaves_nothing(
    gc: GovChain, lg: CaseClient, actor: Actor
) -> None:
    journey_to(lg, actor, "booked")
    stored = len(lg.vault.store.hashes())
    invoice = b"INVOICE 2026-118 (forged by the forwarder)"
    with pytest.raises(MissingRole, match="MERCHANT_ROLE"):  # invoices are the merchant's
        lg.attach(actor("forwarder"), AWB, "commercial_invoice", invoice)
    with pytest.raises(MissingRole, match="CUSTOMS_ROLE"):
        lg.attach(actor("merchant"), AWB, "inspection_report", b"self-inspected")
    gc.directory.grant(actor("bureau"), cast.BY_KEY["retailer"].address, "merchant")
    with pytest.raises(NotParty):  # another merchant is no party of this shipment
        lg.attach(actor("retailer"), AWB, "commercial_invoice", invoice)
    assert len(lg.vault.store.hashes()) == stored  # a refused step leaves nothing stored
    assert lg.documents(AWB) == []


def test_tracking_messages_are_provable_one_by_one(lg: CaseClient, actor: Actor) -> None:
    messages = [f"{AWB}|scan|{i}|PEK T3 ULD{i % 17}".encode() for i in range(1000)]
    ids = lg.anchors.anchor(actor("forwarder"), messages, batch_size=256)
    assert len(ids) == 4
    for message in random.Random(7).sample(messages, 8):
        proof = lg.anchors.prove(message)
        assert lg.anchors.verify(message, proof)
        # a verifier with only the message, the proof and the chain:
        root = bytes(lg.contract.call("batchRoot", proof.batch_id))
        assert verify(leaf_of(message), proof.proof, root)
    proof = lg.anchors.prove(messages[3])
    assert not lg.anchors.verify(b"forged message", proof)
    # hashed in worker processes (above: one per core) or inline, the same roots
    inline = lg.anchors.anchor(actor("forwarder"), messages, batch_size=256, workers=1)
    roots = [bytes(lg.contract.call("batchRoot", i)) for i in ids]
    assert [bytes(lg.contract.call("batchRoot", i)) for i in inline] == roots
    with pytest.raises(MissingRole):
        lg.anchors.anchor(actor("tax"), messages[:3])


def test_an_interior_node_never_passes_as_a_message(lg: CaseClient, actor: Actor) -> None:
    messages = [f"m{i}".encode() for i in range(8)]
    lg.anchors.anchor(actor("forwarder"), messages)
    proof = lg.anchors.prove(messages[0])
    # the parent of the first two leaves, with the rest of the path, reaches the root ...
    a, b = sorted((leaf_of(messages[0]), proof.proof[0]))
    from eth_utils import keccak

    inner = keccak(a + b)
    assert verify(inner, proof.proof[1:], proof.root)
    # ... but the contract hashes what it is given, so the node is not a message
    assert not lg.contract.call("verifyItem", proof.batch_id, inner, list(proof.proof[1:]))


def test_export_tax_refund_is_paid_once(lg: CaseClient, actor: Actor) -> None:
    journey_to(lg, actor, "released")
    merchant, tax = actor("merchant"), actor("tax")
    with pytest.raises(E.RefundNotClaimable, match="released"):  # only after departure
        lg.request_refund(merchant, AWB, b"claim")
    lg.depart(actor("airport"), AWB)
    with pytest.raises(MissingRole):
        lg.request_refund(actor("forwarder"), AWB, b"claim")
    lg.request_refund(merchant, AWB, b"claim")
    with pytest.raises(MissingRole):
        lg.approve_refund(actor("customs-beijing"), AWB)
    lg.reject_refund(tax, AWB, "missing-invoice")
    lg.request_refund(merchant, AWB, b"claim with invoice")
    treasury = actor("finance")
    with pytest.raises(WrongState):
        lg.pay_refund(treasury, AWB, "payment")  # not approved yet
    lg.approve_refund(tax, AWB)
    with pytest.raises(MissingRole, match="TREASURY_ROLE"):  # who approves does not pay
        lg.pay_refund(tax, AWB, "payment 1")
    lg.pay_refund(treasury, AWB, "payment 1")
    assert lg.get(AWB, "refund").state == "paid"
    with pytest.raises(WrongState, match="refund is paid"):
        lg.pay_refund(treasury, AWB, "payment 2")
    with pytest.raises(ItemExists):
        lg.request_refund(merchant, AWB, b"again")


def test_a_refund_id_is_no_shipment_id(lg: CaseClient, actor: Actor) -> None:
    """Passing another kind's id is refused: a refund is never released or delivered."""
    journey_to(lg, actor, "departed")
    lg.request_refund(actor("merchant"), AWB, b"claim")
    refund = lg.resolve(AWB, "refund")
    with pytest.raises(GovChainError, match="That id is a refund, not a shipment"):
        lg.arrive(actor("forwarder"), refund)


# -- stateful property test -------------------------------------------------------------------
ACTORS = ["forwarder", "merchant", "airport", "customs-beijing", "tax", "finance", "bank-bob"]
WAYBILLS = [AWB, OTHER_AWB]
SHIPMENT = ["none", *CASE.kind("shipment").states]
# step -> (actor who may do it, state before, state after); the contract's rules, restated
JOURNEY = {
    "book": ("forwarder", "none", "booked"),
    "receive_at_terminal": ("airport", "booked", "received_at_terminal"),
    "declare": ("merchant", "received_at_terminal", "declared"),
    "inspect": ("customs-beijing", "declared", "inspected"),
    "release": ("customs-beijing", "inspected", "released"),
    "depart": ("airport", "released", "departed"),
    "arrive": ("forwarder", "departed", "arrived"),
    "deliver": ("forwarder", "arrived", "delivered"),
}
REFUND = {  # step -> (actor, refund before, refund after)
    "request_refund": ("merchant", ("none", "rejected"), "requested"),
    "approve_refund": ("tax", ("requested",), "approved"),
    "reject_refund": ("tax", ("requested",), "rejected"),
    "pay_refund": ("finance", ("approved",), "paid"),
}
STEPS = [*JOURNEY, *REFUND]


def test_random_call_sequences_never_break_the_rules(gc: GovChain, actor: Actor) -> None:
    """Random steps by random actors (biased towards the next legal step so that deep states are
    reached): the chain always agrees with a model of the rules, and every call the rules forbid
    is refused."""
    lg = gc.case("logistics")
    merchant = cast.BY_KEY["merchant"].address
    calls: dict[str, Callable[[Sender, str, str], object]] = {
        "book": lambda s, w, r: lg.book(s, w, merchant),
        "declare": lambda s, w, r: lg.declare(s, w, b"declaration"),
        "inspect": lambda s, w, r: lg.inspect(s, w, r),
        "request_refund": lambda s, w, r: lg.request_refund(s, w, b"claim"),
        "reject_refund": lambda s, w, r: lg.reject_refund(s, w, "incomplete"),
        "pay_refund": lambda s, w, r: lg.pay_refund(s, w, "payment"),
    }

    class Machine(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            self.snapshot = gc.chain.snapshot()
            self.model = {
                w: {"state": "none", "inspection": "none", "refund": "none"} for w in WAYBILLS
            }

        def teardown(self) -> None:
            gc.chain.revert(self.snapshot)

        def departed(self, m: dict[str, str]) -> bool:
            return SHIPMENT.index(m["state"]) >= SHIPMENT.index("departed")

        def legal(self, w: str) -> list[str]:
            m = self.model[w]
            steps = [k for k, (_, before, _) in JOURNEY.items() if before == m["state"]]
            if self.departed(m):
                steps += [k for k, (_, before, _) in REFUND.items() if m["refund"] in before]
            return steps

        @rule(
            w=st.sampled_from(WAYBILLS),
            result=st.sampled_from(["pass", "hold", "fail", "waived"]),
            data=st.data(),
        )
        def act(self, w: str, result: str, data: st.DataObject) -> None:
            m = self.model[w]
            step = data.draw(st.sampled_from(self.legal(w) * 4 + STEPS), label="step")
            right = (JOURNEY.get(step) or REFUND[step])[0]
            who = data.draw(st.sampled_from([right] * 4 + ACTORS), label="actor")
            if step in JOURNEY:
                _, before, after = JOURNEY[step]
                ok = who == right and m["state"] == before
                if step == "release":
                    ok = ok and m["inspection"] in ("pass", "waived")
            else:
                _, befores, after = REFUND[step]
                ok = who == right and self.departed(m) and m["refund"] in befores
            call = calls.get(step, lambda s, w, r: getattr(lg, step)(s, w))
            try:
                call(actor(who), w, result)
            except GovChainError:
                assert not ok, f"{who} was refused {step} on {m}"
                return
            assert ok, f"{who} was allowed {step} on {m}"
            if step == "inspect":
                m["inspection"] = result
                if result == "hold":
                    return
            m["refund" if step in REFUND else "state"] = after

        @invariant()
        def chain_matches_model(self) -> None:
            for w, m in self.model.items():
                if m["state"] != "none":
                    s = lg.get(w)
                    refund = lg.get(w, "refund").state if m["refund"] != "none" else "none"
                    assert (s.state, s.inspection, refund) == (
                        m["state"],
                        m["inspection"],
                        m["refund"],
                    )

    run_state_machine_as_test(
        Machine, settings=settings(max_examples=20, stateful_step_count=40, deadline=None)
    )


def test_identical_documents_from_two_uploaders_stay_readable(lg: CaseClient, actor: Actor) -> None:
    journey_to(lg, actor, "declared")  # the declaration bytes are stored once already
    digest = lg.attach(actor("customs-beijing"), AWB, "inspection_report", b"declaration")
    assert lg.read(actor("merchant"), AWB, digest) == b"declaration"
    assert lg.read(actor("customs-beijing"), AWB, digest) == b"declaration"
