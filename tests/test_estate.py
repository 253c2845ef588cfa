"""Case 6 — real estate registration: every rule of cases.md tried both ways (seized, mortgaged
without consent, non-owners, a co-owner not signing, shares not summing to 100%, another bank,
a non-court), the title query, the CLI, and the invariants "shares always sum to 100%" and "a
seized unit never changes owner" under random multi-actor sequences."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govchain.cases.estate.client import EstateClient
from govchain.cases.estate.demo import UNIT
from govchain.cases.estate.demo import run as run_demo
from govchain.chain.reverts import MissingRole
from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import ContractRevert, GovChainError
from govchain.framework.casebase.errors import NotParty, WrongState
from tests.test_cli import Env, run

Actor = Callable[[str], Sender]
_numbers = itertools.count(1)
ZHANG, LI, WANG = (cast.CITIZEN_BY_KEY[f"citizen-{k}"] for k in ("zhang", "li", "wang"))
BOB = cast.BY_KEY["bank-bob"].address


@pytest.fixture
def estate(gc: GovChain) -> EstateClient:
    client = gc.case("estate")
    assert isinstance(client, EstateClient)
    return client


def unit(estate: EstateClient, actor: Actor, **kw: Any) -> str:
    number = f"110105001002GB{next(_numbers):05d}F00010015"
    estate.register(actor("registration"), number, **{**UNIT, **kw})
    return number


def apply(estate: EstateClient, actor: Actor, ref: str, buyers: list[Any] | None = None,
          shares: str = "100", signers: list[Any] | None = None) -> None:  # fmt: skip
    to = [b.address for b in buyers or [WANG]]
    owners = estate.get(ref).fields["owners"]
    who = signers if signers is not None else [_key(o) for o in owners]
    sigs = [estate.sign(p.account, ref, to, shares, pending=False) for p in who]
    estate.apply_sale(actor("registration"), ref, buyers=to, shares=shares, signatures=sigs,
                      deed=b"deed")  # fmt: skip


def accept(estate: EstateClient, actor: Actor, ref: str) -> None:
    buyers, shares = estate.terms(ref)
    sigs = [estate.sign(_key(b).account, ref, buyers, shares, pending=True) for b in buyers]
    estate.accept_sale(actor("registration"), ref, signatures=sigs)


def _key(address: str) -> Any:
    return next(c for c in cast.CITIZENS if c.address == address)


def taxed(estate: EstateClient, actor: Actor, ref: str, **kw: Any) -> None:
    apply(estate, actor, ref, **kw)
    accept(estate, actor, ref)
    estate.confirm_tax(actor("tax"), ref, receipt="DT-1")


def error(exc: pytest.ExceptionInfo[ContractRevert]) -> str:
    return exc.value.error_name


def test_a_sale_moves_the_unit_to_its_buyers(estate: EstateClient, actor: Actor) -> None:
    ref = unit(estate, actor)
    assert estate.get(ref).fields["shares"] == [6000, 4000]
    taxed(estate, actor, ref, buyers=[WANG, LI], shares="50,50")
    estate.complete_sale(actor("registration"), ref, certificate=b"new")
    title = estate.title(ref)
    assert title.owners == [WANG.address, LI.address] and title.shares == [5000, 5000]
    assert title.mortgage is None and not title.seizures and len(title.history) == 2
    estate.transfer_utility(actor("utility"), ref, services="water,gas", account="W-1")
    assert estate.get(ref, "utility").fields["services"] == 5


def test_shares_must_sum_to_100_and_owners_be_distinct(estate: EstateClient, actor: Actor) -> None:
    for shares, owners, name in (
        ("60,30", [ZHANG.address, LI.address], "BadShares"),
        ("60,50", [ZHANG.address, LI.address], "BadShares"),
        ("50,50", [ZHANG.address, ZHANG.address], "BadOwners"),
        ("100,0", [ZHANG.address, LI.address], "BadOwners"),
        ("20,20,20,20,20", [c.address for c in cast.CITIZENS] + [BOB, WANG.address], "BadOwners"),
    ):
        with pytest.raises(ContractRevert) as exc:
            unit(estate, actor, owners=owners, shares=shares)
        assert error(exc) == name
    ref = unit(estate, actor)
    with pytest.raises(ContractRevert) as exc:
        apply(estate, actor, ref, buyers=[WANG], shares="99.99")
    assert error(exc) == "BadShares"


def test_every_co_owner_must_sign_and_every_buyer_accept(
    estate: EstateClient, actor: Actor
) -> None:
    ref = unit(estate, actor)
    for signers in ([ZHANG], [ZHANG, WANG], [LI, ZHANG]):  # one missing, a non-owner, wrong order
        with pytest.raises(ContractRevert) as exc:
            apply(estate, actor, ref, signers=signers)
        assert error(exc) == "NoAgreement"
    apply(estate, actor, ref)
    buyers, shares = estate.terms(ref)
    forged = [estate.sign(LI.account, ref, buyers, shares, pending=True)]
    with pytest.raises(ContractRevert) as exc:  # the buyer did not sign
        estate.accept_sale(actor("registration"), ref, signatures=forged)
    assert error(exc) == "NoAgreement"
    with pytest.raises(ContractRevert) as exc:  # other terms than those applied
        estate.accept_sale(actor("registration"), ref, buyers=[LI.address], shares="100",
                           signatures=forged)  # fmt: skip
    assert error(exc) == "WrongTerms"
    with pytest.raises(MissingRole):  # a bank cannot file a sale
        estate.apply_sale(actor("bank-bob"), ref, buyers=[WANG.address], shares="100",
                          signatures=[], deed=b"d")  # fmt: skip


def test_no_sale_while_seized_until_every_court_lifts(estate: EstateClient, actor: Actor) -> None:
    ref = unit(estate, actor)
    taxed(estate, actor, ref)
    estate.freeze(actor("court"), ref, order=b"order")
    with pytest.raises(ContractRevert) as exc:
        estate.complete_sale(actor("registration"), ref, certificate=b"c")
    assert error(exc) == "UnitSeized"
    with pytest.raises(MissingRole):  # only a court lifts a seizure
        estate.unfreeze(actor("registration"), ref)
    estate.unfreeze(actor("court"), ref, reason="court-order")
    with pytest.raises(WrongState):
        estate.unfreeze(actor("court"), ref)
    estate.complete_sale(actor("registration"), ref, certificate=b"c")
    assert estate.title(ref).owners == [WANG.address]
    estate.freeze(actor("court"), ref, order=b"again")
    with pytest.raises(ContractRevert) as exc:  # no new sale, no new mortgage
        apply(estate, actor, ref)
    assert error(exc) == "UnitSeized"
    with pytest.raises(ContractRevert) as exc:
        estate.register_mortgage(actor("registration"), ref, bank=BOB, amount="1.00", contract=b"m")
    assert error(exc) == "UnitSeized"
    assert estate.get(ref).fields["seizures"] == 1


@pytest.mark.parametrize("option", ["move", "release"])
def test_a_mortgaged_unit_sells_only_with_its_banks_consent(
    estate: EstateClient, actor: Actor, option: str
) -> None:
    ref = unit(estate, actor)
    estate.register_mortgage(actor("registration"), ref, bank=BOB, amount="100.00", contract=b"m")
    with pytest.raises(ContractRevert) as exc:
        estate.register_mortgage(actor("registration"), ref, bank=BOB, amount="1.00",
                                 contract=b"m")  # fmt: skip
    assert error(exc) in ("AlreadyMortgaged", "ItemExists")
    taxed(estate, actor, ref)
    with pytest.raises(ContractRevert) as exc:
        estate.complete_sale(actor("registration"), ref, certificate=b"c")
    assert error(exc) == "MortgageNotConsented"
    with pytest.raises(NotParty):  # another bank
        estate.consent_mortgage(actor("bank-icbc"), ref, option=option)
    with pytest.raises(NotParty):
        estate.release_mortgage(actor("bank-icbc"), ref)
    estate.consent_mortgage(actor("bank-bob"), ref, option=option)
    estate.complete_sale(actor("registration"), ref, certificate=b"c")
    mortgage = estate.get(ref, "mortgage")
    title = estate.title(ref)
    if option == "move":
        assert mortgage.state == "registered" and title.mortgage is not None
        assert title.owners == [WANG.address]
    else:
        assert mortgage.state == "released" and title.mortgage is None


def test_a_consent_is_for_one_sale_only(estate: EstateClient, actor: Actor) -> None:
    ref = unit(estate, actor)
    estate.register_mortgage(actor("registration"), ref, bank=BOB, amount="100.00", contract=b"m")
    apply(estate, actor, ref)
    estate.consent_mortgage(actor("bank-bob"), ref, option="release")
    estate.withdraw_sale(actor("registration"), ref, reason="withdrawn")
    taxed(estate, actor, ref)  # a new sale: the old consent does not carry over
    with pytest.raises(ContractRevert) as exc:
        estate.complete_sale(actor("registration"), ref, certificate=b"c")
    assert error(exc) == "MortgageNotConsented"
    estate.release_mortgage(actor("bank-bob"), ref)  # the bank releases it (loan repaid)
    estate.complete_sale(actor("registration"), ref, certificate=b"c")


def test_deposits_audits_and_utilities(estate: EstateClient, actor: Actor) -> None:
    ref = unit(estate, actor)
    with pytest.raises(ContractRevert) as exc:
        estate.hold_deposit(actor("housing"), ref, purpose="pre-sale", amount="1.00",
                            bank=cast.BY_KEY["retailer"].address, agreement=b"a")  # fmt: skip
    assert error(exc) == "NotALender"
    estate.hold_deposit(actor("housing"), ref, purpose="pre-sale", amount="200000.00",
                        bank=BOB, agreement=b"a")  # fmt: skip
    d = estate.get(ref, "deposit")
    assert (d.fields["amount"], d.fields["purpose"], d.state) == (20_000_000, 1, "held")
    with pytest.raises(MissingRole):
        estate.release_deposit(actor("registration"), ref)
    estate.open_audit(actor("tax"), ref, report=b"r")
    estate.close_audit(actor("tax"), ref, reason="administrative")
    apply(estate, actor, ref)
    with pytest.raises(ContractRevert) as exc:  # utilities move only after completion
        estate.transfer_utility(actor("utility"), ref, services="water", account="A")
    assert error(exc) == "SaleNotCompleted"


def test_nothing_personal_on_chain(gc: GovChain, estate: EstateClient, actor: Actor) -> None:
    ref = unit(estate, actor)
    raw = json.dumps(gc.chain.rpc.call("eth_getLogs", [{"fromBlock": "0x0", "address":
                                                         estate.contract.address}]))  # fmt: skip
    for secret in (ref, ZHANG.id_number, ZHANG.name):
        assert secret.lower() not in raw.lower() and secret.encode().hex() not in raw


def test_the_cli_session(cli_env: Env) -> None:
    ref = "110108009001GB00001F00000001"
    r = run(cli_env, "estate", "register", ref, "--owners", "citizen-zhang,citizen-li",
            "--shares", "60,40", "--certificate", __file__, "--from", "registration")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    terms = ("--buyers", "citizen-wang", "--shares", "100")
    sigs = [
        run(cli_env, "estate", "sign", ref, *terms, "--from", who).stdout.strip()
        for who in ("citizen-zhang", "citizen-li")
    ]
    r = run(cli_env, "estate", "sale", "apply", ref, *terms, "--signatures", ",".join(sigs),
            "--deed", __file__, "--from", "registration")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    shown = run(cli_env, "estate", "title", ref).output
    assert "60.00%" in shown and "no encumbrances" in shown
    bad = run(cli_env, "estate", "register", "X1", "--owners", "citizen-zhang", "--shares", "100",
              "--certificate", __file__, "--from", "registration")  # fmt: skip
    assert bad.exit_code != 0 and len(bad.stderr.strip().splitlines()) == 1
    assert json.loads(run(cli_env, "estate", "show", ref, "--json").stdout)["state"]


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    moves=st.lists(
        st.tuples(
            st.sampled_from(["freeze", "unfreeze", "sell", "complete", "withdraw"]),
            st.sampled_from(["court", "registration", "bank-bob", "tax"]),
            st.lists(st.sampled_from([0, 1, 2]), min_size=1, max_size=3, unique=True),
            st.integers(1, 9_998),
        ),
        max_size=10,
    )
)
def test_shares_sum_to_100_and_seized_units_keep_their_owners(
    gc: GovChain, actor: Actor, moves: list[tuple[str, str, list[int], int]]
) -> None:
    estate = gc.case("estate")
    assert isinstance(estate, EstateClient)
    ref = unit(estate, actor)
    for verb, who, buyers, cut in moves:
        before = estate.get(ref).fields
        people = [cast.CITIZENS[b] for b in buyers]
        shares = ",".join(f"{s // 100}.{s % 100:02d}" for s in _split(len(people), cut))
        try:
            if verb == "freeze":
                estate.freeze(actor(who), ref, order=b"o")
            elif verb == "unfreeze":
                estate.unfreeze(actor(who), ref)
            elif verb == "sell":
                apply(estate, actor, ref, buyers=people, shares=shares)
                accept(estate, actor, ref)
                estate.confirm_tax(actor("tax"), ref, receipt="T")
            elif verb == "complete":
                estate.complete_sale(actor(who), ref, certificate=b"c")
            else:
                estate.withdraw_sale(actor(who), ref)
        except GovChainError:
            pass
        after = estate.get(ref).fields
        assert sum(after["shares"]) == 10_000 and 1 <= len(after["owners"]) <= 4
        if before["seizures"]:
            assert after["owners"] == before["owners"], "a seized unit changed owner"


def _split(n: int, cut: int) -> list[int]:
    """n positive shares (basis points) summing to 100% — or, for n=3, an off-by-one total."""
    if n == 1:
        return [10_000]
    if n == 2:
        return [cut, 10_000 - cut]
    return [1, cut, 9_999 - cut + (1 if cut % 7 == 0 else 0)]


def test_the_demo(gc: GovChain) -> None:
    said: list[str] = []
    run_demo(gc, said.append)
    text = "\n".join(said)
    assert "mortgaged and its bank has not consented" in text and "seized by a court" in text
    assert "mortgage released" in text
