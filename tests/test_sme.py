"""Case 5 — SME supply-chain finance: every rule of cases.md tried both ways, overdue, credit data
only under the SME's consent, the profile, the CLI, and the invariant "never financed twice"
under random multi-actor sequences."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govchain.cases.sme.client import SmeClient
from govchain.cases.sme.demo import _future
from govchain.chain.reverts import MissingRole
from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import ContractRevert, GovChainError
from govchain.framework.casebase.errors import ItemExists, NotParty, WrongState
from govchain.framework.sharing.exchange import GrantRefused
from tests.test_cli import Env, run

Actor = Callable[[str], Sender]
_numbers = itertools.count(1)
SME = cast.BY_KEY["sme"].address


@pytest.fixture
def sme(gc: GovChain) -> SmeClient:
    client = gc.case("sme")
    assert isinstance(client, SmeClient)
    return client


def contract(sme: SmeClient, actor: Actor, amount: str = "500000.00", buyer: str = "buyer") -> str:
    number = f"HDPC-T{next(_numbers):05d}"
    sme.register_contract(actor(buyer), number, supplier=SME, amount=amount, contract=b"contract")
    return number


def invoice(
    sme: SmeClient, actor: Actor, number: str, amount: str = "200000.00", n: int = 1, due: int = 90
) -> str:
    reference = f"{number}/INV-{n}"
    sme.submit(actor("sme"), reference, amount=amount, due=_future(due), invoice=b"invoice")
    return reference


def confirmed(sme: SmeClient, actor: Actor, amount: str = "200000.00") -> str:
    reference = invoice(sme, actor, contract(sme, actor), amount)
    sme.confirm(actor("buyer"), reference)
    return reference


def error(exc: pytest.ExceptionInfo[ContractRevert]) -> str:
    return exc.value.error_name


def test_an_sme_is_financed_against_a_confirmed_receivable_and_repaid(
    sme: SmeClient, actor: Actor
) -> None:
    before = sme.profile(SME)
    ref = confirmed(sme, actor)
    sme.pledge(actor("sme"), ref, lender=cast.BY_KEY["bank-icbc"].address)
    sme.finance(actor("bank-icbc"), ref, amount="180000.00", loan_ref="L-1")
    record = sme.get(ref)
    assert (
        record.state == "financed" and record.fields["lender"] == cast.BY_KEY["bank-icbc"].address
    )
    sme.repay(actor("buyer"), ref, payment_ref="PAY-1")
    after = sme.profile(SME)
    assert after.contracts == before.contracts + 1
    assert after.contracted - before.contracted == 50_000_000
    assert after.confirmed - before.confirmed == 20_000_000
    assert after.financed - before.financed == 18_000_000
    assert after.repaid - before.repaid == 20_000_000
    assert after.invoices.get("repaid", 0) == before.invoices.get("repaid", 0) + 1


def test_confirmed_receivables_never_exceed_the_contract(sme: SmeClient, actor: Actor) -> None:
    number = contract(sme, actor, "500000.00")
    with pytest.raises(ContractRevert) as exc:  # one invoice above the contract
        invoice(sme, actor, number, "500000.01")
    assert error(exc) == "InvalidAmount"
    first, second = (invoice(sme, actor, number, "300000.00", n) for n in (1, 2))
    sme.confirm(actor("buyer"), first)
    with pytest.raises(ContractRevert) as exc:  # the same goods invoiced twice
        sme.confirm(actor("buyer"), second)
    assert error(exc) == "AboveContract"
    sme.reject(actor("buyer"), second, reason="duplicate")
    assert sme.get(second).state == "rejected"
    with pytest.raises(ItemExists):
        invoice(sme, actor, number, "1.00", 1)


def test_only_the_supplier_invoices_and_only_the_contracts_buyer_confirms_and_repays(
    sme: SmeClient, actor: Actor
) -> None:
    number = contract(sme, actor)
    with pytest.raises(ContractRevert) as exc:  # another SME invoices someone else's contract
        sme.submit(actor("biotech"), f"{number}/X-1", amount="1.00", due=_future(9), invoice=b"i")
    assert error(exc) == "NotSupplier"
    with pytest.raises(MissingRole):
        sme.submit(actor("retailer"), f"{number}/X-2", amount="1.00", due=_future(9), invoice=b"i")
    ref = invoice(sme, actor, number)
    with pytest.raises(NotParty):  # another government buyer
        sme.confirm(actor("haidian"), ref)
    sme.confirm(actor("buyer"), ref)
    sme.pledge(actor("sme"), ref, lender=cast.BY_KEY["bank-bob"].address)
    sme.finance(actor("bank-bob"), ref, amount="1000.00", loan_ref="L")
    with pytest.raises(NotParty):
        sme.repay(actor("haidian"), ref, payment_ref="P")
    with pytest.raises(ContractRevert) as exc:
        sme.submit(actor("sme"), f"{number}/INV-9", amount="1.00", due="2020-01-01", invoice=b"i")
    assert error(exc) == "InvalidDueDate"


def test_a_receivable_is_pledged_once_and_financed_once_up_to_its_amount(
    sme: SmeClient, actor: Actor
) -> None:
    ref = confirmed(sme, actor)
    bob, icbc = (cast.BY_KEY[k].address for k in ("bank-bob", "bank-icbc"))
    with pytest.raises(ContractRevert) as exc:  # pledged to someone who is no lender
        sme.pledge(actor("sme"), ref, lender=cast.BY_KEY["retailer"].address)
    assert error(exc) == "NotALender"
    sme.pledge(actor("sme"), ref, lender=bob)
    with pytest.raises(WrongState):  # a second pledge while the first stands
        sme.pledge(actor("sme"), ref, lender=icbc)
    with pytest.raises(NotParty):  # another lender cannot finance or decline it
        sme.finance(actor("bank-icbc"), ref, amount="1.00", loan_ref="L")
    with pytest.raises(NotParty):
        sme.decline(actor("bank-icbc"), ref)
    sme.decline(actor("bank-bob"), ref, reason="not-eligible")  # released
    sme.pledge(actor("sme"), ref, lender=icbc)
    with pytest.raises(ContractRevert) as exc:
        sme.finance(actor("bank-icbc"), ref, amount="200000.01", loan_ref="L")
    assert error(exc) == "AboveReceivable"
    sme.finance(actor("bank-icbc"), ref, amount="200000.00", loan_ref="L")
    for again in (
        lambda: sme.finance(actor("bank-icbc"), ref, amount="1.00", loan_ref="L2"),
        lambda: sme.pledge(actor("sme"), ref, lender=bob),
        lambda: sme.decline(actor("bank-icbc"), ref),
    ):
        with pytest.raises(WrongState):
            again()


def test_overdue_is_visible_until_repaid(gc: GovChain, sme: SmeClient, actor: Actor) -> None:
    ref = invoice(sme, actor, contract(sme, actor), "1000.00", due=10)
    sme.confirm(actor("buyer"), ref)
    sme.pledge(actor("sme"), ref, lender=cast.BY_KEY["bank-bob"].address)
    sme.finance(actor("bank-bob"), ref, amount="900.00", loan_ref="L")
    assert not sme.get(ref).fields["overdue"]
    gc.chain.rpc.call("evm_increaseTime", [11 * 86400])
    gc.chain.rpc.call("evm_mine")
    assert sme.get(ref).fields["overdue"]
    p = sme.profile(SME)
    assert p.overdue >= 100_000 and p.overdue_count >= 1
    sme.repay(actor("buyer"), ref, payment_ref="LATE")
    assert not sme.get(ref).fields["overdue"]


def test_a_closed_contract_takes_no_more_invoices(sme: SmeClient, actor: Actor) -> None:
    number = contract(sme, actor)
    pending = invoice(sme, actor, number)
    with pytest.raises(NotParty):  # the supplier is a party but not the buyer
        sme.close_contract(actor("haidian"), number)
    sme.close_contract(actor("buyer"), number)
    with pytest.raises(ContractRevert) as exc:
        invoice(sme, actor, number, n=2)
    assert error(exc) == "ContractNotActive"
    with pytest.raises(ContractRevert) as exc:
        sme.confirm(actor("buyer"), pending)
    assert error(exc) == "ContractNotActive"


def test_credit_data_reaches_a_lender_only_under_the_smes_consent(
    gc: GovChain, sme: SmeClient, actor: Actor
) -> None:
    reference = f"TAX-GRADE/T{next(_numbers)}"
    sme.attest(actor("tax"), reference, sme=SME, metric="tax-grade", value=b"grade A")
    item = sme.resolve(reference, "attestation")
    sme.credit.offer(actor("tax"))
    request = sme.credit.request(actor("bank-icbc"), item, until=_future(20))
    sme.credit.approve(actor("tax"), request, until=_future(20), item=item)
    with pytest.raises(GrantRefused):  # approved but not consented
        sme.credit.share(actor("tax"), request)
    gc.sharing.consent(actor("sme"), request)
    sme.credit.share(actor("tax"), request)
    assert sme.credit.fetch(actor("bank-icbc"), request) == b"grade A"
    with pytest.raises(GovChainError):  # not a reader of it: CCB never got a grant
        sme.vault.open(sme.credit.latest(item), cast.BY_KEY["bank-ccb"].account)
    gc.sharing.revoke(actor("sme"), request)
    with pytest.raises(GrantRefused):
        sme.credit.share(actor("tax"), request)
    attestation = sme.profile(SME).attestations
    assert any(a.metric == "tax-grade" and a.state == "current" for a in attestation)
    with pytest.raises(MissingRole):
        sme.attest(actor("bank-bob"), "X-1", sme=SME, metric="tax-grade", value=b"A")


def test_the_cli_finance_session(gc: GovChain, cli_env: Env, tmp_path: Path) -> None:
    doc = tmp_path / "doc.pdf"
    doc.write_bytes(b"%PDF")
    number = "HDPC-CLI-0001"
    ref = f"{number}/INV-1"
    steps = [
        ("contract", "register", number, "--supplier", "sme", "--amount", "1000.00",
         "--contract", str(doc), "--from", "buyer"),
        ("submit", ref, "--amount", "800.00", "--due", _future(30), "--invoice", str(doc),
         "--from", "sme"),
        ("confirm", ref, "--from", "buyer"),
        ("pledge", ref, "--lender", "bank-bob", "--from", "sme"),
        ("finance", ref, "--amount", "700.00", "--loan-ref", "L-9", "--from", "bank-bob"),
        ("repay", ref, "--payment-ref", "P-9", "--from", "buyer"),
    ]  # fmt: skip
    for step in steps:
        r = run(cli_env, "sme", *step)
        assert r.exit_code == 0, (step, r.stderr)
    profile = json.loads(run(cli_env, "sme", "profile", "sme", "--json").stdout)
    assert profile["repaid"] >= 80_000 and profile["contracts"] >= 1
    shown = run(cli_env, "sme", "profile", "sme").output
    assert "repaid" in shown and "yuan" in shown
    bad = run(cli_env, "sme", "finance", ref, "--amount", "1.5.0", "--loan-ref", "x",
              "--from", "bank-bob")  # fmt: skip
    assert bad.exit_code != 0 and len(bad.stderr.strip().splitlines()) == 1


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    moves=st.lists(
        st.tuples(
            st.sampled_from(["pledge", "decline", "finance", "repay", "confirm"]),
            st.sampled_from(["sme", "bank-bob", "bank-icbc", "buyer", "biotech"]),
            st.integers(0, 1),  # which invoice
            st.integers(1, 400_000),  # an amount in fen
        ),
        max_size=12,
    )
)
def test_never_financed_twice_whatever_the_sequence(
    gc: GovChain, actor: Actor, moves: list[tuple[str, str, int, int]]
) -> None:
    """Random steps by random actors on two invoices of one contract: each receivable is financed
    at most once, by the lender it is pledged to, never above its amount; the contract's confirmed
    total never exceeds the contract; the SME's totals match what happened."""
    sme = gc.case("sme")
    assert isinstance(sme, SmeClient)
    number = contract(sme, actor, "5000.00")
    refs = [invoice(sme, actor, number, "3000.00", n) for n in (1, 2)]
    before = sme.profile(SME)
    financed: dict[str, int] = {}
    confirmed_total = 0
    lenders = [cast.BY_KEY["bank-bob"].address, cast.BY_KEY["bank-icbc"].address]
    for verb, who, which, amount in moves:
        ref = refs[which]
        try:
            if verb == "pledge":
                sme.pledge(actor(who), ref, lender=lenders[amount % 2])
            elif verb == "decline":
                sme.decline(actor(who), ref)
            elif verb == "finance":
                sme.finance(actor(who), ref, amount=amount, loan_ref="L")
                assert ref not in financed, "financed twice"
                assert amount <= 300_000
                financed[ref] = amount
            elif verb == "repay":
                sme.repay(actor(who), ref, payment_ref="P")
            else:
                sme.confirm(actor(who), ref)
                confirmed_total += 300_000
        except GovChainError:
            continue
        assert confirmed_total <= 500_000
    after = sme.profile(SME)
    assert after.financed - before.financed == sum(financed.values())
    assert after.confirmed - before.confirmed == confirmed_total
    for ref in refs:
        events = [e for e in sme.history(ref) if e.name == "Financed"]
        assert len(events) == (1 if ref in financed else 0)
