"""Case 2 — Jing-Jin-Ji port clearance: every transition allowed and refused, cross-region
clearance, idempotent declaration numbers, batches, and a stateful property test."""

from __future__ import annotations

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

from govchain.cases.port import CASE
from govchain.cases.port.client import Filing, PortClient
from govchain.chain.reverts import MissingRole
from govchain.chain.tx import BatchReverted, Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import GovChainError, InputError
from govchain.framework.casebase.client import ItemNotFound
from govchain.framework.casebase.errors import ItemExists, WrongState
from govchain.framework.directory import ParticipantSuspended

Actor = Callable[[str], Sender]
NUMBER = "020220261000012345"
E = CASE.errors
STATES = ["", *CASE.primary.states]


@pytest.fixture
def pc(gc: GovChain) -> PortClient:
    client = gc.case("port")
    assert isinstance(client, PortClient)
    return client


def submit(
    pc: PortClient, who: Sender, number: str = NUMBER, port: str = "CNTXG", region: str = "beijing"
) -> None:
    goods = f"bill of lading + invoice + packing list, {who.address}".encode()
    pc.submit(who, number, port=port, region=region, goods=goods)


def clear_to(
    pc: PortClient,
    actor: Actor,
    state: str,
    number: str = NUMBER,
    customs: str = "customs-beijing",
    terminal: str = "terminal-tianjin",
) -> None:
    steps = [
        ("submitted", lambda: submit(pc, actor("broker"), number)),
        ("accepted", lambda: pc.accept(actor(customs), number)),
        ("duty_assessed", lambda: pc.assess_duty(actor(customs), number, b"duty")),
        ("duty_paid", lambda: pc.confirm_duty_paid(actor("tax"), number, "PAY-1")),
        ("released", lambda: pc.release(actor(customs), number)),
        ("gated_out", lambda: pc.gate_out(actor(terminal), number)),
    ]
    for reached, step in steps:
        step()
        if reached == state:
            return


def test_cross_region_clearance(pc: PortClient, actor: Actor) -> None:
    """Filed with Beijing customs for goods at Tianjin's port: Beijing customs clears it and
    the Tianjin terminal sees it and gates it out."""
    clear_to(pc, actor, "released")
    declaration = pc.resolve(NUMBER)
    assert declaration in [r.id for r in pc.query("at", "CNTXG")]
    assert declaration not in [r.id for r in pc.query("at", "CNCFD")]
    with pytest.raises(E.NotPortTerminal):
        pc.gate_out(actor("terminal-hebei"), NUMBER)
    pc.gate_out(actor("terminal-tianjin"), NUMBER)
    d = pc.get(NUMBER)
    assert d.state == "gated_out" and d.port == "CNTXG" and d.region == 110000
    moves = [e["to"] for e in pc.history(NUMBER) if e.name == "Transition"]
    assert moves == [1, 2, 3, 4, 5, 6]


def test_customs_of_another_region_is_refused(pc: PortClient, actor: Actor) -> None:
    submit(pc, actor("broker"))
    with pytest.raises(E.WrongRegion):
        pc.accept(actor("customs-tianjin"), NUMBER)
    pc.accept(actor("customs-beijing"), NUMBER)


def test_the_same_number_is_never_filed_twice(pc: PortClient, actor: Actor) -> None:
    submit(pc, actor("broker"))
    with pytest.raises(ItemExists, match="not filed twice"):
        submit(pc, actor("broker"), port="CNCFD")
    with pytest.raises(ItemExists):
        submit(pc, actor("broker"), number=" 0202 2026 1000 0123 45 ")


def test_nobody_can_squat_another_declarants_number(
    gc: GovChain, pc: PortClient, actor: Actor
) -> None:
    """Ids are scoped to their filer: another declarant filing the same number makes its own
    declaration, and the broker's declaration is untouched."""
    gc.directory.grant(actor("bureau"), cast.BY_KEY["merchant"].address, "DECLARANT")
    submit(pc, actor("merchant"), port="CNCFD", region="hebei")
    submit(pc, actor("broker"))  # the rightful declarant is not blocked
    broker = cast.BY_KEY["broker"].address
    with pytest.raises(InputError, match="2 declarations carry"):
        pc.get(NUMBER)
    mine = pc.get(NUMBER, filer=broker)
    assert mine.filer == broker and mine.port == "CNTXG" and mine.state == "submitted"
    pc.accept(actor("customs-beijing"), NUMBER, filer=broker)
    assert pc.get(NUMBER, filer=cast.BY_KEY["merchant"].address).state == "submitted"


@pytest.mark.parametrize(
    ("step", "who", "at"),
    [
        ("accept", "tax", "submitted"),
        ("assess", "terminal-tianjin", "accepted"),
        ("paid", "customs-beijing", "duty_assessed"),
        ("release", "tax", "duty_paid"),
        ("gate_out", "customs-beijing", "released"),
    ],
)
def test_each_transition_belongs_to_its_role(
    pc: PortClient, actor: Actor, step: str, who: str, at: str
) -> None:
    clear_to(pc, actor, at)
    calls = {
        "accept": lambda s: pc.accept(s, NUMBER),
        "assess": lambda s: pc.assess_duty(s, NUMBER, b"d"),
        "paid": lambda s: pc.confirm_duty_paid(s, NUMBER, "P"),
        "release": lambda s: pc.release(s, NUMBER),
        "gate_out": lambda s: pc.gate_out(s, NUMBER),
    }
    with pytest.raises(MissingRole):
        calls[step](actor(who))
    assert pc.get(NUMBER).state == at


def test_each_transition_needs_its_state(pc: PortClient, actor: Actor) -> None:
    submit(pc, actor("broker"))
    customs = actor("customs-beijing")
    with pytest.raises(WrongState, match="declaration is submitted; it must be accepted"):
        pc.assess_duty(customs, NUMBER, b"d")
    with pytest.raises(WrongState):
        pc.confirm_duty_paid(actor("tax"), NUMBER, "P")
    with pytest.raises(WrongState):
        pc.release(customs, NUMBER)
    with pytest.raises(WrongState):  # gate-out only after release
        pc.gate_out(actor("terminal-tianjin"), NUMBER)


def test_a_declaration_can_be_rejected_until_released(pc: PortClient, actor: Actor) -> None:
    clear_to(pc, actor, "duty_paid")  # e.g. misdeclared goods found after the duty was paid
    pc.reject(actor("customs-beijing"), NUMBER, "misdeclared")
    assert pc.get(NUMBER).state == "rejected"


def test_the_filing_region_must_be_a_customs_region(
    gc: GovChain, pc: PortClient, actor: Actor
) -> None:
    with pytest.raises(InputError, match="not a region of the single window"):
        submit(pc, actor("broker"), region="110108")  # a district, not a customs region
    raw = (pc.key("declaration", NUMBER), b"CNTXG".ljust(32, b"\0"), 150000, b"\1" * 32)
    with pytest.raises(E.UnknownRegion):  # past the SDK: the contract refuses it too
        pc.contract.transact(actor("broker"), "submit", *raw)
    with pytest.raises(MissingRole):
        pc.register_region(actor("broker"), 150000)


def test_rejection_before_release_only(pc: PortClient, actor: Actor) -> None:
    clear_to(pc, actor, "duty_assessed")
    pc.reject(actor("customs-beijing"), NUMBER, "undervalued")
    assert pc.get(NUMBER).state == "rejected"
    with pytest.raises(WrongState):
        pc.confirm_duty_paid(actor("tax"), NUMBER, "P")
    other = "020220261000099999"
    clear_to(pc, actor, "released", number=other)
    with pytest.raises(WrongState, match="released"):
        pc.reject(actor("customs-beijing"), other, "overdue")


def test_suspended_participants_are_refused(gc: GovChain, pc: PortClient, actor: Actor) -> None:
    gc.directory.suspend(actor("bureau"), cast.BY_KEY["broker"].address, "audit")
    with pytest.raises(ParticipantSuspended):
        submit(pc, actor("broker"))


def test_bad_input(pc: PortClient, actor: Actor) -> None:
    with pytest.raises(InputError, match="18 digits"):
        submit(pc, actor("broker"), number="12345")
    with pytest.raises(InputError, match="port code"):
        submit(pc, actor("broker"), port="tianjin port")
    with pytest.raises(E.UnknownPort):
        submit(pc, actor("broker"), port="CNSHA")
    with pytest.raises(ItemNotFound):
        pc.get("020220269999999999")
    with pytest.raises(MissingRole):  # ports are registered by the administrator
        pc.register_port(actor("broker"), "CNHHU", "hebei", cast.BY_KEY["terminal-hebei"].address)


def test_batches_of_declarations(pc: PortClient, actor: Actor) -> None:
    filings = [
        Filing(
            f"02022026100{n:07d}",
            ("CNTXG", "CNCFD")[n % 2],
            ("beijing", "tianjin", "hebei")[n % 3],
            b"goods",
        )
        for n in range(450)
    ]
    receipts = pc.submit_many(actor("broker"), filings)
    assert len(receipts) == 3  # 200 + 200 + 50
    assert pc.get(filings[449].number).state == "submitted"
    assert len(pc.query("at", "CNCFD")) == 225
    twice = [Filing("020220260000000001", "CNTXG", "beijing", b"g")] * 2
    with pytest.raises(InputError, match="twice"):
        pc.submit_many(actor("broker"), twice)
    with pytest.raises((ItemExists, BatchReverted)):  # one known number: none filed
        pc.submit_many(
            actor("broker"), [Filing("020220260000000002", "CNTXG", "beijing", b"g"), filings[0]]
        )
    with pytest.raises(ItemNotFound):
        pc.get("020220260000000002")


# -- stateful property test -------------------------------------------------------------------
ACTORS = [
    "broker",
    "customs-beijing",
    "customs-tianjin",
    "tax",
    "terminal-tianjin",
    "terminal-hebei",
    "merchant",
]
NUMBERS = ["020220261000000101", "020220261000000102"]
CUSTOMS_OF = {110000: "customs-beijing", 120000: "customs-tianjin", 130000: "customs-hebei"}
TERMINAL_OF = {"CNTXG": "terminal-tianjin", "CNCFD": "terminal-hebei"}
REGIONS = {"beijing": 110000, "tianjin": 120000, "hebei": 130000}
# step -> (who may do it: "customs" of the filing region, "terminal" of the port, or a key;
#          states before (0: none); state after) — the contract's rules, restated
RULES = {
    "submit": ("broker", (0,), 1),
    "accept": ("customs", (1,), 2),
    "assess": ("customs", (2,), 3),
    "paid": ("tax", (3,), 4),
    "release": ("customs", (4,), 5),
    "gate_out": ("terminal", (5,), 6),
    "reject": ("customs", (1, 2, 3, 4), 7),
}


def test_random_call_sequences_never_break_the_rules(gc: GovChain, actor: Actor) -> None:
    """Random steps by random actors (biased towards legal ones so every state is reached): the
    chain always agrees with a model of the rules; every forbidden call is refused."""
    pc = gc.case("port")
    broker = cast.BY_KEY["broker"].address

    class Machine(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            self.snapshot = gc.chain.snapshot()
            self.model: dict[str, dict[str, object]] = {n: {"state": 0} for n in NUMBERS}

        def teardown(self) -> None:
            gc.chain.revert(self.snapshot)

        def rightful(self, step: str, m: dict[str, object]) -> str:
            who = RULES[step][0]
            if who == "customs":
                return CUSTOMS_OF.get(int(str(m.get("region", 0))), "customs-beijing")
            if who == "terminal":
                return TERMINAL_OF.get(str(m.get("port")), "terminal-tianjin")
            return who

        @rule(
            n=st.sampled_from(NUMBERS),
            port=st.sampled_from(list(TERMINAL_OF)),
            region=st.sampled_from(list(REGIONS)),
            data=st.data(),
        )
        def act(self, n: str, port: str, region: str, data: st.DataObject) -> None:
            m = self.model[n]
            legal = [k for k, (_, before, _) in RULES.items() if m["state"] in before]
            step = data.draw(st.sampled_from(legal * 4 + list(RULES)), label="step")
            right = self.rightful(step, m)
            who = data.draw(st.sampled_from([right] * 4 + ACTORS), label="actor")
            _, before, after = RULES[step]
            ok = who == right and m["state"] in before
            calls = {
                "submit": lambda s: submit(pc, s, n, port, region),
                "accept": lambda s: pc.accept(s, n, filer=broker),
                "assess": lambda s: pc.assess_duty(s, n, b"d", filer=broker),
                "paid": lambda s: pc.confirm_duty_paid(s, n, "P", filer=broker),
                "release": lambda s: pc.release(s, n, filer=broker),
                "gate_out": lambda s: pc.gate_out(s, n, filer=broker),
                "reject": lambda s: pc.reject(s, n, "incomplete", filer=broker),
            }
            try:
                calls[step](actor(who))
            except GovChainError:
                assert not ok, f"{who} was refused {step} on {m}"
                return
            assert ok, f"{who} was allowed {step} on {m}"
            m["state"] = after
            if step == "submit":
                m.update(port=port, region=REGIONS[region])

        @invariant()
        def chain_matches_model(self) -> None:
            for n, m in self.model.items():
                if m["state"]:
                    assert pc.get(n, filer=broker).state == STATES[int(str(m["state"]))]

    run_state_machine_as_test(
        Machine, settings=settings(max_examples=20, stateful_step_count=40, deadline=None)
    )
