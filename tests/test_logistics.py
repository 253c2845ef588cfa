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

from govchain.cases.logistics import (
    Inspection,
    InspectionNotCleared,
    Logistics,
    NotShipmentParty,
    Refund,
    RefundAlreadyPaid,
    RefundNotAllowed,
    ShipmentExists,
    Status,
    UnknownShipment,
    WrongShipmentStatus,
)
from govchain.chain.reverts import MissingRole
from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import GovChainError, InputError
from govchain.framework.directory import ParticipantSuspended
from govchain.framework.docstore import NotAReader
from govchain.framework.merkle import verify

Actor = Callable[[str], Sender]
AWB = "999-12345675"
OTHER_AWB = "999-10000001"


@pytest.fixture
def lg(gc: GovChain) -> Logistics:
    return gc.logistics


def journey_to(lg: Logistics, actor: Actor, status: Status, awb: str = AWB) -> None:
    """Take a shipment along the happy path up to ``status``."""
    steps: list[tuple[Status, Callable[[], object]]] = [
        (Status.BOOKED, lambda: lg.book(actor("forwarder"), awb, cast.BY_KEY["merchant"].address)),
        (Status.RECEIVED_AT_TERMINAL, lambda: lg.receive_at_terminal(actor("airport"), awb)),
        (Status.DECLARED, lambda: lg.declare(actor("merchant"), awb, b"declaration")),
        (Status.INSPECTED, lambda: lg.inspect(actor("customs-beijing"), awb, Inspection.PASS)),
        (Status.RELEASED, lambda: lg.release(actor("customs-beijing"), awb)),
        (Status.DEPARTED, lambda: lg.depart(actor("airport"), awb)),
        (Status.ARRIVED, lambda: lg.arrive(actor("forwarder"), awb)),
        (Status.DELIVERED, lambda: lg.deliver(actor("forwarder"), awb)),
    ]
    for reached, step in steps:
        step()
        if reached == status:
            return


def test_full_journey(lg: Logistics, actor: Actor) -> None:
    journey_to(lg, actor, Status.DELIVERED)
    shipment = lg.shipment(AWB)
    assert shipment.status is Status.DELIVERED and shipment.inspection is Inspection.PASS
    assert shipment.operator == cast.BY_KEY["forwarder"].address
    names = [e.name for e in lg.trail(AWB)]
    assert names.count("ShipmentStatusChanged") == 8 and "ShipmentInspected" in names


@pytest.mark.parametrize(
    ("step", "who", "at"),
    [
        ("receive_at_terminal", "forwarder", Status.BOOKED),
        ("release", "airport", Status.INSPECTED),
        ("depart", "customs-beijing", Status.RELEASED),
        ("arrive", "airport", Status.DEPARTED),
        ("deliver", "merchant", Status.ARRIVED),
    ],
)
def test_each_transition_belongs_to_its_role(
    lg: Logistics, actor: Actor, step: str, who: str, at: Status
) -> None:
    journey_to(lg, actor, at)
    with pytest.raises(MissingRole):
        getattr(lg, step)(actor(who), AWB)
    assert lg.shipment(AWB).status is at


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
def test_each_transition_needs_its_status(lg: Logistics, actor: Actor, step: str, who: str) -> None:
    journey_to(lg, actor, Status.DECLARED)
    with pytest.raises(WrongShipmentStatus, match="the shipment is declared"):
        getattr(lg, step)(actor(who), AWB)


def test_suspended_participants_are_refused(gc: GovChain, lg: Logistics, actor: Actor) -> None:
    journey_to(lg, actor, Status.BOOKED)
    gc.directory.suspend(actor("bureau"), cast.BY_KEY["airport"].address, "audit")
    with pytest.raises(ParticipantSuspended):
        lg.receive_at_terminal(actor("airport"), AWB)


def test_booking_rules(gc: GovChain, lg: Logistics, actor: Actor) -> None:
    journey_to(lg, actor, Status.BOOKED)
    with pytest.raises(ShipmentExists):
        lg.book(actor("forwarder"), AWB, cast.BY_KEY["merchant"].address)
    with pytest.raises(MissingRole, match="MERCHANT_ROLE"):  # the shipper must be a merchant
        lg.book(actor("forwarder"), OTHER_AWB, cast.BY_KEY["retailer"].address)
    with pytest.raises(MissingRole, match="LOGISTICS_ROLE"):
        lg.book(actor("merchant"), OTHER_AWB, cast.BY_KEY["merchant"].address)
    with pytest.raises(InputError, match="check digit"):
        lg.book(actor("forwarder"), "999-12345676", cast.BY_KEY["merchant"].address)
    with pytest.raises(UnknownShipment):
        lg.shipment(OTHER_AWB)


def test_only_the_shipments_merchant_declares(gc: GovChain, lg: Logistics, actor: Actor) -> None:
    journey_to(lg, actor, Status.RECEIVED_AT_TERMINAL)
    gc.directory.grant(actor("bureau"), cast.BY_KEY["retailer"].address, "merchant")
    with pytest.raises(NotShipmentParty):
        lg.declare(actor("retailer"), AWB, b"declaration")


def test_hold_returns_to_inspection_and_fail_is_final(lg: Logistics, actor: Actor) -> None:
    customs = actor("customs-beijing")
    journey_to(lg, actor, Status.DECLARED)
    lg.inspect(customs, AWB, Inspection.HOLD)
    held = lg.shipment(AWB)
    assert held.status is Status.DECLARED and held.inspection is Inspection.HOLD
    with pytest.raises(WrongShipmentStatus):  # not released while held
        lg.release(customs, AWB)
    lg.inspect(customs, AWB, Inspection.FAIL)
    with pytest.raises(InspectionNotCleared, match="fail"):
        lg.release(customs, AWB)
    with pytest.raises(WrongShipmentStatus):
        lg.inspect(customs, AWB, Inspection.PASS)


def test_waived_inspection_may_be_released(lg: Logistics, actor: Actor) -> None:
    journey_to(lg, actor, Status.DECLARED)
    lg.inspect(actor("customs-beijing"), AWB, "waived")
    lg.release(actor("customs-beijing"), AWB)
    assert lg.shipment(AWB).status is Status.RELEASED


def test_documents_are_anchored_and_readable_only_by_parties_and_authorities(
    lg: Logistics, actor: Actor
) -> None:
    journey_to(lg, actor, Status.BOOKED)
    manifest = b"MANIFEST 999-12345675: 12 pallets, 480 kg"
    digest = lg.attach(actor("forwarder"), AWB, "manifest", manifest)
    lg.attach(actor("customs-beijing"), AWB, "inspection_report", b"report")
    docs = lg.documents(AWB)
    assert [d["type"] for d in docs] == ["manifest", "inspection_report"]
    assert docs[0]["uploader"] == cast.BY_KEY["forwarder"].address
    for reader in ("merchant", "forwarder", "customs-beijing", "airport", "tax", "commerce"):
        assert lg.read(actor(reader), AWB, digest) == manifest
    with pytest.raises(NotAReader):
        lg.read(actor("bank-bob"), AWB, digest)
    with pytest.raises(NotShipmentParty):
        lg.attach(actor("bank-bob"), AWB, "commercial_invoice", b"invoice")
    with pytest.raises(InputError, match="not anchored"):
        lg.read(actor("merchant"), AWB, b"\x01" * 32)


def test_tracking_messages_are_provable_one_by_one(lg: Logistics, actor: Actor) -> None:
    messages = [f"{AWB}|scan|{i}|PEK T3 ULD{i % 17}".encode() for i in range(1000)]
    ids = lg.anchor_messages(actor("forwarder"), messages, batch_size=256)
    assert len(ids) == 4
    for message in random.Random(7).sample(messages, 8):
        proof = lg.prove_message(message)
        assert lg.verify_message(message, proof)
        # a verifier with only the message, the proof and the chain:
        root = bytes(lg.contract.call("trackingRoot", proof.batch_id))
        from govchain.cases.logistics import tracking_leaf

        assert verify(tracking_leaf(message), proof.proof, root)
    proof = lg.prove_message(messages[3])
    assert not lg.verify_message(b"forged message", proof)
    with pytest.raises(MissingRole):
        lg.anchor_messages(actor("tax"), messages[:3])


def test_export_tax_refund_is_paid_once(lg: Logistics, actor: Actor) -> None:
    journey_to(lg, actor, Status.RELEASED)
    merchant, tax = actor("merchant"), actor("tax")
    with pytest.raises(WrongShipmentStatus):  # only after departure
        lg.request_refund(merchant, AWB, b"claim")
    lg.depart(actor("airport"), AWB)
    with pytest.raises(MissingRole):
        lg.request_refund(actor("forwarder"), AWB, b"claim")
    lg.request_refund(merchant, AWB, b"claim")
    with pytest.raises(MissingRole):
        lg.approve_refund(actor("customs-beijing"), AWB)
    lg.reject_refund(tax, AWB, "missing-invoice")
    lg.request_refund(merchant, AWB, b"claim with invoice")
    with pytest.raises(RefundNotAllowed):
        lg.pay_refund(tax, AWB, b"payment")  # not approved yet
    lg.approve_refund(tax, AWB)
    lg.pay_refund(tax, AWB, b"payment 1")
    assert lg.shipment(AWB).refund is Refund.PAID
    with pytest.raises(RefundAlreadyPaid):
        lg.pay_refund(tax, AWB, b"payment 2")
    with pytest.raises(RefundNotAllowed):
        lg.request_refund(merchant, AWB, b"again")


# -- stateful property test -------------------------------------------------------------------
ACTORS = ["forwarder", "merchant", "airport", "customs-beijing", "tax", "bank-bob"]
WAYBILLS = [AWB, OTHER_AWB]
# step -> (actor who may do it, status before, status after); the contract's rules, restated
JOURNEY = {
    "book": ("forwarder", 0, Status.BOOKED),
    "receive_at_terminal": ("airport", Status.BOOKED, Status.RECEIVED_AT_TERMINAL),
    "declare": ("merchant", Status.RECEIVED_AT_TERMINAL, Status.DECLARED),
    "inspect": ("customs-beijing", Status.DECLARED, Status.INSPECTED),
    "release": ("customs-beijing", Status.INSPECTED, Status.RELEASED),
    "depart": ("airport", Status.RELEASED, Status.DEPARTED),
    "arrive": ("forwarder", Status.DEPARTED, Status.ARRIVED),
    "deliver": ("forwarder", Status.ARRIVED, Status.DELIVERED),
}
REFUND = {  # step -> (actor, refund before, refund after)
    "request_refund": ("merchant", (Refund.NONE, Refund.REJECTED), Refund.REQUESTED),
    "approve_refund": ("tax", (Refund.REQUESTED,), Refund.APPROVED),
    "reject_refund": ("tax", (Refund.REQUESTED,), Refund.REJECTED),
    "pay_refund": ("tax", (Refund.APPROVED,), Refund.PAID),
}
STEPS = [*JOURNEY, *REFUND]


def test_random_call_sequences_never_break_the_rules(gc: GovChain, actor: Actor) -> None:
    """Random steps by random actors (biased towards the next legal step so that deep states are
    reached): the chain always agrees with a model of the rules, and every call the rules forbid
    is refused."""
    lg = gc.logistics
    merchant = cast.BY_KEY["merchant"].address
    calls: dict[str, Callable[[Sender, str, Inspection], object]] = {
        "book": lambda s, w, r: lg.book(s, w, merchant),
        "declare": lambda s, w, r: lg.declare(s, w, b"declaration"),
        "inspect": lambda s, w, r: lg.inspect(s, w, r),
        "request_refund": lambda s, w, r: lg.request_refund(s, w, b"claim"),
        "reject_refund": lambda s, w, r: lg.reject_refund(s, w, "no"),
        "pay_refund": lambda s, w, r: lg.pay_refund(s, w, b"payment"),
    }

    class Machine(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            self.snapshot = gc.chain.snapshot()
            self.model = {w: {"status": 0, "inspection": 0, "refund": 0} for w in WAYBILLS}

        def teardown(self) -> None:
            gc.chain.revert(self.snapshot)

        def legal(self, w: str) -> list[str]:
            m = self.model[w]
            steps = [k for k, (_, before, _) in JOURNEY.items() if before == m["status"]]
            if m["status"] >= Status.DEPARTED:
                steps += [k for k, (_, before, _) in REFUND.items() if m["refund"] in before]
            return steps

        @rule(
            w=st.sampled_from(WAYBILLS),
            result=st.sampled_from(list(Inspection)[1:]),
            data=st.data(),
        )
        def act(self, w: str, result: Inspection, data: st.DataObject) -> None:
            m = self.model[w]
            step = data.draw(st.sampled_from(self.legal(w) * 4 + STEPS), label="step")
            right = (JOURNEY.get(step) or REFUND[step])[0]
            who = data.draw(st.sampled_from([right] * 4 + ACTORS), label="actor")
            if step in JOURNEY:
                _, before, after = JOURNEY[step]
                ok = who == right and m["status"] == before
                if step == "release":
                    ok = ok and m["inspection"] in (Inspection.PASS, Inspection.WAIVED)
            else:
                _, befores, after = REFUND[step]
                ok = who == right and m["status"] >= Status.DEPARTED and m["refund"] in befores
            call = calls.get(step, lambda s, w, r: getattr(lg, step)(s, w))
            try:
                call(actor(who), w, result)
            except GovChainError:
                assert not ok, f"{who} was refused {step} on {m}"
                return
            assert ok, f"{who} was allowed {step} on {m}"
            if step == "inspect":
                m["inspection"] = result
                if result == Inspection.HOLD:
                    return
            m["refund" if step in REFUND else "status"] = after

        @invariant()
        def chain_matches_model(self) -> None:
            for w, m in self.model.items():
                if m["status"]:
                    s = lg.shipment(w)
                    assert (s.status, s.inspection, s.refund) == (
                        m["status"],
                        m["inspection"],
                        m["refund"],
                    )

    run_state_machine_as_test(
        Machine, settings=settings(max_examples=20, stateful_step_count=40, deadline=None)
    )


def test_identical_documents_from_two_uploaders_stay_readable(lg: Logistics, actor: Actor) -> None:
    journey_to(lg, actor, Status.DECLARED)  # the declaration bytes are stored once already
    digest = lg.attach(actor("customs-beijing"), AWB, "inspection_report", b"declaration")
    assert lg.read(actor("merchant"), AWB, digest) == b"declaration"
    assert lg.read(actor("customs-beijing"), AWB, digest) == b"declaration"
