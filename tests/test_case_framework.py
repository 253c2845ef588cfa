"""The shared behaviour suite: every registered case runs it by being registered.

For each case: its spec agrees with its contract's transition table; walking the demo's paths,
at every state each step not allowed from it is refused with the right typed error (and changes
nothing), each step is refused to a participant lacking its role, and each step done by its role
emits the specified transition; a batch does what the same singles do; the event index agrees
with the chain throughout; every verb has its CLI command.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from govchain.chain.reverts import MissingRole
from govchain.chain.roles import role_id
from govchain.chain.tx import Sender
from govchain.cli.main import cli
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.framework.casebase import registry
from govchain.framework.casebase.client import CaseClient
from govchain.framework.casebase.errors import ItemExists, WrongState
from govchain.framework.casebase.spec import NEW, CaseSpec, Step, Verb, Walkthrough

Actor = Callable[[str], Sender]
CASES = registry.cases()
_fresh = itertools.count(1)


def walkthrough(spec: CaseSpec) -> Walkthrough:
    assert spec.walkthrough, f"{spec.name} has no walkthrough"
    found: Walkthrough = registry.load(spec.walkthrough)
    return found


def arguments(args: Any) -> dict[str, Any]:
    """A walkthrough step's arguments, "@key" standing for a cast member's address."""
    out = {}
    for name, value in dict(args).items():
        if isinstance(value, str) and value.startswith("@"):
            value = cast.BY_KEY[value[1:]].address
        out[name] = value
    return out


def do(client: CaseClient, actor: Actor, step: Step, reference: str, *, ready: bool = True) -> Any:
    """Do a walkthrough step; ``ready``: first what its ``before`` hook prepares (a live
    consent), else only its own arguments (a step expected to be refused)."""
    method, who, args = step
    if ready:
        args = walkthrough(client.spec).arguments(client, actor, step, reference)
    return client.act(method, actor(who), reference, **arguments(args))


def rightful(spec: CaseSpec) -> dict[str, Step]:
    """The first step of the walkthrough doing each verb (its actor and arguments)."""
    out: dict[str, Step] = {}
    for path in walkthrough(spec).paths:
        for step in path:
            out.setdefault(spec.method_of(spec.verb(step[0])), step)
    return out


def state_of(client: CaseClient, reference: str, kind: str) -> str:
    try:
        return client.get(reference, kind).state
    except Exception:
        return NEW


def lacking(gc: GovChain, role: str) -> str:
    """A cast member that does not hold ``role``."""
    wanted = role_id(role)
    held = gc.directory.roles_by_participant()
    for member in cast.CAST[1:]:
        if wanted not in held.get(member.address, set()):
            return member.key
    raise AssertionError(f"everyone holds {role}")


@pytest.fixture(params=CASES, ids=[c.name for c in CASES])
def spec(request: pytest.FixtureRequest) -> CaseSpec:
    found: CaseSpec = request.param
    return found


def test_spec_matches_the_contract_table(gc: GovChain, spec: CaseSpec) -> None:
    contract = gc.contract(spec.contract)
    for verb in spec.verbs:
        kind = spec.kind(verb.kind)
        rule = contract.call("rule", verb.code)
        states = {kind.state_value(s) if s else 0 for s in verb.frm}
        assert rule["kind"] == kind.code, verb.name
        assert rule["from"] == sum(1 << s for s in states), verb.name
        assert rule["to"] == kind.state_value(verb.to), verb.name
        assert bytes(rule["role"]) == role_id(verb.role), verb.name
        assert rule["party"] == verb.party and rule["batch"] == verb.batch, verb.name
        document = spec.document(verb.note.document).code if verb.note and verb.note.document else 0
        assert rule["document"] == document, verb.name
    assert contract.call("rule", max(v.code for v in spec.verbs) + 1)["kind"] == 0
    for doc in spec.documents:
        rule = contract.call("documentRule", doc.code)
        assert (rule["kind"], bytes(rule["role"]), rule["party"]) == (
            spec.kind(doc.kind).code,
            role_id(doc.role),
            doc.party,
        )
    assert contract.call("documentRule", len(spec.documents) + 1)["kind"] == 0


def test_the_walkthrough_uses_every_verb(spec: CaseSpec) -> None:
    used = {spec.method_of(spec.verb(step[0])) for p in walkthrough(spec).paths for step in p}
    assert used == set(spec.verb_names)


def refused_now(
    gc: GovChain, client: CaseClient, actor: Actor, reference: str, steps: dict[str, Step]
) -> Iterator[str]:
    """Try every verb the table forbids in the items' current states: each is refused with
    the state machine's error and changes nothing. Yields the verbs tried."""
    spec = client.spec
    for verb in spec.verbs:
        state = state_of(client, reference, verb.kind)
        if state in verb.frm or (state == NEW and not verb.files):
            continue  # allowed by the table, or no such item yet
        step = steps[spec.method_of(verb)]
        expected = ItemExists if verb.files else WrongState
        with pytest.raises(expected):
            do(client, actor, step, reference, ready=False)
        assert state_of(client, reference, verb.kind) == state
        yield spec.method_of(verb)


def test_every_step_by_its_role_from_its_states_only(
    gc: GovChain, spec: CaseSpec, actor: Actor
) -> None:
    client = gc.case(spec.name)
    guide = walkthrough(spec)
    steps = rightful(spec)
    tried: set[str] = set()
    for path in guide.paths:
        reference = guide.reference(next(_fresh))
        for step in path:
            verb = spec.verb(step[0])
            tried |= set(refused_now(gc, client, actor, reference, steps))
            before = state_of(client, reference, verb.kind)
            with pytest.raises(MissingRole):  # refused to a participant lacking the role
                do(
                    client,
                    actor,
                    (step[0], lacking(gc, verb.role), step[2]),
                    reference,
                    ready=False,
                )
            assert state_of(client, reference, verb.kind) == before
            receipt = do(client, actor, step, reference)
            moves = [e for e in client.contract.events(receipt) if e.name == "Transition"]
            kind = spec.kind(verb.kind)
            assert [(m["verb"], m["to"], m["actor"]) for m in moves] == [
                (verb.code, kind.state_value(verb.to), cast.BY_KEY[step[1]].address)
            ]
            assert moves[0]["from"] == (kind.state_value(before) if before else 0)
            assert_index_agrees(client, reference)
    assert tried, "no refusal was tried"


def assert_index_agrees(client: CaseClient, reference: str) -> None:
    for kind in client.spec.kinds:
        rows = client.items(kind.name)
        if not rows:
            continue
        chain = client.records([r.id for r in rows])
        assert [kind.state_value(r.state) for r in chain] == [r.state for r in rows]


def test_a_batch_does_what_the_same_singles_do(gc: GovChain, spec: CaseSpec, actor: Actor) -> None:
    client = gc.case(spec.name)
    guide = walkthrough(spec)
    for verb in (v for v in spec.verbs if v.batch):
        prefix, step = _leading_to(spec, guide, verb)
        refs = [guide.reference(next(_fresh)) for _ in range(3)]
        for reference in refs:
            for earlier in prefix:
                do(client, actor, earlier, reference)
        single = do(client, actor, step, refs[0])
        args = arguments(step[2])
        notes = [args[verb.note.name]] * 2 if verb.note and verb.note.name in args else None
        batch = client.batch(verb.code, actor(step[1]), refs[1:], notes)
        assert len(batch) == 1
        states = {client.get(r, verb.kind).state for r in refs}
        assert states == {verb.to}
        salted = verb.note is not None and verb.note.kind == "document"

        assert [_shape(e, salted) for e in _moves(client, batch[0])] == [
            _shape(e, salted) for e in _moves(client, single)
        ] * 2


def _shape(e: Any, salted: bool) -> tuple[Any, ...]:
    """A transition's shape; a document's commitment is salted, so differs per sealing."""
    return (e["verb"], e["from"], e["to"], e["actor"], salted or e["ref"])


def _moves(client: CaseClient, receipt: Any) -> list[Any]:
    return [e for e in client.contract.events(receipt) if e.name == "Transition"]


def _leading_to(spec: CaseSpec, guide: Walkthrough, verb: Verb) -> tuple[list[Step], Step]:
    for path in guide.paths:
        for n, step in enumerate(path):
            if spec.verb(step[0]) == verb:
                return list(path[:n]), step
    raise AssertionError(f"the walkthrough never does {verb.name}")


def test_every_verb_is_a_cli_command(spec: CaseSpec) -> None:
    for verb in spec.verbs:
        words = [spec.name] + ([verb.kind] if verb.kind != spec.primary.name else [])
        result = CliRunner().invoke(cli, [*words, verb.name.replace("_", "-"), "--help"])
        assert result.exit_code == 0, (verb.name, result.output)
        assert verb.help.split()[0] in result.output
