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

from govchain.cases.common import id_hash
from govchain.cases.port import (
    CannotReject,
    DeclarationExists,
    Filing,
    NotPortTerminal,
    PortClearance,
    Status,
    UnknownDeclaration,
    UnknownPort,
    WrongDeclarationStatus,
    WrongRegion,
)
from govchain.chain.reverts import MissingRole
from govchain.chain.tx import BatchReverted, Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import GovChainError, InputError
from govchain.framework.directory import ParticipantSuspended

Actor = Callable[[str], Sender]
NUMBER = "020220261000012345"


@pytest.fixture
def pc(gc: GovChain) -> PortClearance:
    return gc.port


def filing(number: str = NUMBER, port: str = "CNTXG", region: str = "beijing") -> Filing:
    return Filing(number, port, region, b"bill of lading + invoice + packing list")


def clear_to(
    pc: PortClearance,
    actor: Actor,
    status: Status,
    number: str = NUMBER,
    customs: str = "customs-beijing",
    terminal: str = "terminal-tianjin",
) -> None:
    steps = [
        (Status.SUBMITTED, lambda: pc.submit(actor("broker"), filing(number))),
        (Status.ACCEPTED, lambda: pc.accept(actor(customs), number)),
        (Status.DUTY_ASSESSED, lambda: pc.assess_duty(actor(customs), number, b"duty")),
        (Status.DUTY_PAID, lambda: pc.confirm_duty_paid(actor("tax"), number, b"paid")),
        (Status.RELEASED, lambda: pc.release(actor(customs), number)),
        (Status.GATED_OUT, lambda: pc.gate_out(actor(terminal), number)),
    ]
    for reached, step in steps:
        step()
        if reached == status:
            return


def test_cross_region_clearance(pc: PortClearance, actor: Actor) -> None:
    """Filed with Beijing customs for goods at Tianjin's port: Beijing customs clears it and
    the Tianjin terminal sees it and gates it out."""
    clear_to(pc, actor, Status.RELEASED)
    assert id_hash(NUMBER) in pc.at_port("CNTXG")
    assert id_hash(NUMBER) not in pc.at_port("CNCFD")
    with pytest.raises(NotPortTerminal):
        pc.gate_out(actor("terminal-hebei"), NUMBER)
    pc.gate_out(actor("terminal-tianjin"), NUMBER)
    d = pc.declaration(NUMBER)
    assert d.status is Status.GATED_OUT and d.port == "CNTXG" and d.region == 110000
    assert [e.args.get("status") for e in pc.trail(NUMBER)] == [None, 2, 3, 4, 5, 6]


def test_customs_of_another_region_is_refused(pc: PortClearance, actor: Actor) -> None:
    pc.submit(actor("broker"), filing())
    with pytest.raises(WrongRegion):
        pc.accept(actor("customs-tianjin"), NUMBER)
    pc.accept(actor("customs-beijing"), NUMBER)


def test_the_same_number_is_never_filed_twice(pc: PortClearance, actor: Actor) -> None:
    pc.submit(actor("broker"), filing())
    with pytest.raises(DeclarationExists, match="not filed twice"):
        pc.submit(actor("broker"), filing(port="CNCFD"))
    with pytest.raises(DeclarationExists):
        pc.submit(actor("broker"), filing(number=" 0202 2026 1000 0123 45 "))


@pytest.mark.parametrize(
    ("step", "who", "at"),
    [
        ("accept", "tax", Status.SUBMITTED),
        ("assess", "terminal-tianjin", Status.ACCEPTED),
        ("paid", "customs-beijing", Status.DUTY_ASSESSED),
        ("release", "tax", Status.DUTY_PAID),
        ("gate_out", "customs-beijing", Status.RELEASED),
    ],
)
def test_each_transition_belongs_to_its_role(
    pc: PortClearance, actor: Actor, step: str, who: str, at: Status
) -> None:
    clear_to(pc, actor, at)
    calls = {
        "accept": lambda s: pc.accept(s, NUMBER),
        "assess": lambda s: pc.assess_duty(s, NUMBER, b"d"),
        "paid": lambda s: pc.confirm_duty_paid(s, NUMBER, b"p"),
        "release": lambda s: pc.release(s, NUMBER),
        "gate_out": lambda s: pc.gate_out(s, NUMBER),
    }
    with pytest.raises(MissingRole):
        calls[step](actor(who))
    assert pc.declaration(NUMBER).status is at


def test_each_transition_needs_its_status(pc: PortClearance, actor: Actor) -> None:
    pc.submit(actor("broker"), filing())
    customs = actor("customs-beijing")
    with pytest.raises(WrongDeclarationStatus, match="declaration is submitted"):
        pc.assess_duty(customs, NUMBER, b"d")
    with pytest.raises(WrongDeclarationStatus):
        pc.confirm_duty_paid(actor("tax"), NUMBER, b"p")
    with pytest.raises(WrongDeclarationStatus):
        pc.release(customs, NUMBER)
    with pytest.raises(WrongDeclarationStatus):  # gate-out only after release
        pc.gate_out(actor("terminal-tianjin"), NUMBER)


def test_rejection_before_release_only(pc: PortClearance, actor: Actor) -> None:
    clear_to(pc, actor, Status.DUTY_ASSESSED)
    pc.reject(actor("customs-beijing"), NUMBER, "undervalued")
    assert pc.declaration(NUMBER).status is Status.REJECTED
    with pytest.raises(WrongDeclarationStatus):
        pc.confirm_duty_paid(actor("tax"), NUMBER, b"p")
    other = "020220261000099999"
    clear_to(pc, actor, Status.RELEASED, number=other)
    with pytest.raises(CannotReject, match="released"):
        pc.reject(actor("customs-beijing"), other, "late")


def test_suspended_participants_are_refused(gc: GovChain, pc: PortClearance, actor: Actor) -> None:
    gc.directory.suspend(actor("bureau"), cast.BY_KEY["broker"].address, "audit")
    with pytest.raises(ParticipantSuspended):
        pc.submit(actor("broker"), filing())


def test_bad_input(pc: PortClearance, actor: Actor) -> None:
    with pytest.raises(InputError, match="18 digits"):
        pc.submit(actor("broker"), filing(number="12345"))
    with pytest.raises(InputError, match="port code"):
        pc.submit(actor("broker"), filing(port="tianjin port"))
    with pytest.raises(UnknownPort):
        pc.submit(actor("broker"), filing(port="CNSHA"))
    with pytest.raises(UnknownDeclaration):
        pc.declaration("020220269999999999")
    with pytest.raises(MissingRole):  # ports are registered by the administrator
        pc.register_port(actor("broker"), "CNHHU", "hebei", cast.BY_KEY["terminal-hebei"].address)


def test_batches_of_declarations(pc: PortClearance, actor: Actor) -> None:
    filings = [
        filing(
            number=f"02022026100{n:07d}",
            port=("CNTXG", "CNCFD")[n % 2],
            region=("beijing", "tianjin", "hebei")[n % 3],
        )
        for n in range(450)
    ]
    receipts = pc.submit_many(actor("broker"), filings)
    assert len(receipts) == 3  # 200 + 200 + 50
    assert pc.declaration(filings[449].number).status is Status.SUBMITTED
    with pytest.raises(InputError, match="twice"):
        pc.submit_many(actor("broker"), [filing("020220260000000001")] * 2)
    with pytest.raises((DeclarationExists, BatchReverted)):  # one known number: none filed
        pc.submit_many(actor("broker"), [filing("020220260000000002"), filings[0]])
    with pytest.raises(UnknownDeclaration):
        pc.declaration("020220260000000002")


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
#          statuses before; status after) — the contract's rules, restated
RULES = {
    "submit": ("broker", (0,), Status.SUBMITTED),
    "accept": ("customs", (Status.SUBMITTED,), Status.ACCEPTED),
    "assess": ("customs", (Status.ACCEPTED,), Status.DUTY_ASSESSED),
    "paid": ("tax", (Status.DUTY_ASSESSED,), Status.DUTY_PAID),
    "release": ("customs", (Status.DUTY_PAID,), Status.RELEASED),
    "gate_out": ("terminal", (Status.RELEASED,), Status.GATED_OUT),
    "reject": (
        "customs",
        (Status.SUBMITTED, Status.ACCEPTED, Status.DUTY_ASSESSED),
        Status.REJECTED,
    ),
}


def test_random_call_sequences_never_break_the_rules(gc: GovChain, actor: Actor) -> None:
    """Random steps by random actors (biased towards legal ones so every state is reached): the
    chain always agrees with a model of the rules; every forbidden call is refused."""
    pc = gc.port

    class Machine(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            self.snapshot = gc.chain.snapshot()
            self.model: dict[str, dict[str, object]] = {n: {"status": 0} for n in NUMBERS}

        def teardown(self) -> None:
            gc.chain.revert(self.snapshot)

        def rightful(self, step: str, m: dict[str, object]) -> str:
            who = RULES[step][0]
            if who == "customs":
                return CUSTOMS_OF.get(int(m.get("region", 0)), "customs-beijing")
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
            legal = [k for k, (_, before, _) in RULES.items() if m["status"] in before]
            step = data.draw(st.sampled_from(legal * 4 + list(RULES)), label="step")
            right = self.rightful(step, m)
            who = data.draw(st.sampled_from([right] * 4 + ACTORS), label="actor")
            _, before, after = RULES[step]
            ok = who == right and m["status"] in before
            calls = {
                "submit": lambda s: pc.submit(s, filing(n, port, region)),
                "accept": lambda s: pc.accept(s, n),
                "assess": lambda s: pc.assess_duty(s, n, b"d"),
                "paid": lambda s: pc.confirm_duty_paid(s, n, b"p"),
                "release": lambda s: pc.release(s, n),
                "gate_out": lambda s: pc.gate_out(s, n),
                "reject": lambda s: pc.reject(s, n, "r"),
            }
            try:
                calls[step](actor(who))
            except GovChainError:
                assert not ok, f"{who} was refused {step} on {m}"
                return
            assert ok, f"{who} was allowed {step} on {m}"
            m["status"] = after
            if step == "submit":
                m.update(port=port, region=REGIONS[region])

        @invariant()
        def chain_matches_model(self) -> None:
            for n, m in self.model.items():
                if m["status"]:
                    assert pc.declaration(n).status == m["status"]

    run_state_machine_as_test(
        Machine, settings=settings(max_examples=20, stateful_step_count=40, deadline=None)
    )
