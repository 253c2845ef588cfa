"""Case 7 — business licensing: one licence per credit code whichever terminal, versions and the
superseded certificate, states, permits, presentations (expired, foreign, forged, suspended),
the CLI with no keystore for checking, and "one licence per credit code" under random sequences."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govchain.cases.licence.client import LicensingClient, Presentation
from govchain.cases.licence.demo import FIELDS
from govchain.chain.reverts import MissingRole
from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import ContractRevert, GovChainError, InputError
from govchain.framework.casebase.errors import ItemExists, NotParty, WrongState
from govchain.framework.creditcode import make_credit_code
from tests.test_cli import Env, run

Actor = Callable[[str], Sender]
_codes = itertools.count(1)
HOLDER = cast.BY_KEY["biotech"]
BANK = cast.BY_KEY["bank-icbc"].address


@pytest.fixture
def licences(gc: GovChain) -> LicensingClient:
    client = gc.case("licence")
    assert isinstance(client, LicensingClient)
    return client


def fresh_code() -> str:
    return make_credit_code(f"91110302MH{next(_codes):07d}")


def issued(licences: LicensingClient, actor: Actor, code: str | None = None) -> tuple[str, dict]:
    code = code or fresh_code()
    document = licences.issue_licence(actor("market-regulator"), code, enterprise=HOLDER.address,
                                      channel="kiosk", fields=FIELDS)  # fmt: skip
    return code, document


def error(exc: pytest.ExceptionInfo[ContractRevert]) -> str:
    return exc.value.error_name


def test_a_licence_is_a_certificate_plus_its_record(
    licences: LicensingClient, actor: Actor
) -> None:
    code, document = issued(licences, actor)
    record = licences.get(code)
    assert record.state == "active"
    assert record.fields["version"] == 1 and record.fields["channel"] == 2  # kiosk
    assert record.fields["certificate"].hex() == document["signature"]["targetHash"]
    assert record.fields["enterprise"] == HOLDER.address
    assert licences.certificates.verify(document).valid
    assert code not in json.dumps(document)  # the holder's credit code is only a salted hash


def test_one_licence_per_credit_code_whichever_terminal(
    gc: GovChain, licences: LicensingClient, actor: Actor
) -> None:
    code, _ = issued(licences, actor)
    roots_before = len(gc.index.events("GovChainCore"))
    # another market-regulation account (a district counter) tries the same credit code
    with pytest.raises(ContractRevert) as exc:
        licences.issue_licence(actor("haidian"), code, enterprise=HOLDER.address,
                               channel="mobile", fields=FIELDS)  # fmt: skip
    assert error(exc) == "ItemExists" and "There is already a licence" in exc.value.message
    assert len(gc.index.events("GovChainCore")) == roots_before  # no certificate issued either
    with pytest.raises(ItemExists):  # and the same account again
        issued(licences, actor, code)
    key = licences.key("licence", code)
    assert licences.contract.call("licenceOf", key) == licences.resolve(code)


def test_amendment_raises_the_version_and_supersedes_the_old_certificate(
    licences: LicensingClient, actor: Actor
) -> None:
    code, first = issued(licences, actor)
    regulator = actor("market-regulator")
    second = licences.amend_licence(regulator, code, channel="web", previous=first,
                                    fields={**FIELDS, "address": "New address"})  # fmt: skip
    record = licences.get(code)
    assert record.fields["version"] == 2 and record.fields["channel"] == 4
    assert record.fields["certificate"].hex() == second["signature"]["targetHash"]
    assert not licences.certificates.verify(first).valid  # revoked as superseded
    assert licences.certificates.verify(second).valid
    shown = licences.present(HOLDER.account, code, BANK)
    assert licences.check(shown, BANK, second).ok
    stale = licences.check(shown, BANK, first)
    assert not stale.ok and any("superseded" in f for f in stale.failures)
    history = [e for e in licences.history(code) if e.name == "LicenceAmended"]
    assert [e["version"] for e in history] == [2]


def test_presentations_fail_when_expired_foreign_forged_or_the_licence_is_not_active(
    gc: GovChain, licences: LicensingClient, actor: Actor
) -> None:
    code, document = issued(licences, actor)
    good = licences.present(HOLDER.account, code, BANK, valid_for=600)
    assert licences.check(good, BANK, document).ok
    foreign = licences.check(good, cast.BY_KEY["bank-ccb"].address)
    assert not foreign.ok and "holder" in foreign.failures[0]
    forged = licences.present(cast.BY_KEY["retailer"].account, code, BANK)  # not the holder
    assert not licences.check(forged, BANK).ok
    tampered = Presentation(good.licence, good.counterparty, good.expiry + 3600, good.signature,
                            good.chain_id, good.contract)  # fmt: skip
    assert not licences.check(tampered, BANK).ok
    brief = licences.present(HOLDER.account, code, BANK, valid_for=60)
    gc.chain.rpc.call("evm_increaseTime", [120])
    gc.chain.rpc.call("evm_mine")
    expired = licences.check(brief, BANK)
    assert not expired.ok and "expired" in expired.failures[0]
    licences.suspend(actor("market-regulator"), code, reason="audit")
    suspended = licences.check(good, BANK)
    assert not suspended.ok and "not active" in suspended.failures[0]
    with pytest.raises(InputError):
        licences.present(HOLDER.account, code, BANK, valid_for=0)
    with pytest.raises(InputError):
        Presentation.from_dict({"type": "something else"})


def test_permits_link_to_an_active_licence_and_stay_with_their_agency(
    licences: LicensingClient, actor: Actor
) -> None:
    code, _ = issued(licences, actor)
    permit = f"{code}/JY-11010800001"
    licences.grant(actor("market-regulator"), permit, permit_type="food-business",
                   permit=b"Food business permit")  # fmt: skip
    record = licences.get(permit, "permit")
    assert record.fields["licence"] == licences.resolve(code)
    with pytest.raises(NotParty):  # another permit agency cannot withdraw it
        licences.withdraw(actor("housing"), permit)
    with pytest.raises(MissingRole):
        licences.grant(actor("sme"), f"{code}/X-1", permit_type="construction", permit=b"p")
    with pytest.raises(InputError):
        licences.grant(actor("housing"), f"{code}/X-2", permit_type="casino", permit=b"p")
    licences.suspend(actor("market-regulator"), code)
    with pytest.raises(ContractRevert) as exc:
        licences.grant(actor("housing"), f"{code}/JS-2", permit_type="construction",
                       permit=b"p")  # fmt: skip
    assert error(exc) == "LicenceNotActive"
    licences.withdraw(actor("market-regulator"), permit, reason="issued-in-error")


def test_revoked_and_cancelled_licences_are_final(licences: LicensingClient, actor: Actor) -> None:
    regulator = actor("market-regulator")
    code, _ = issued(licences, actor)
    licences.revoke(regulator, code, reason="fraud")
    new = "0x" + "1" * 64
    for step in (lambda: licences.reinstate(regulator, code),
                 lambda: licences.amend(regulator, code, channel="web", certificate=new),
                 lambda: licences.cancel(regulator, code)):  # fmt: skip
        with pytest.raises(WrongState):
            step()
    with pytest.raises(ContractRevert) as exc:  # nor issued again for that credit code
        licences.issue_licence(actor("haidian"), code, enterprise=HOLDER.address,
                               channel="counter", fields=FIELDS)  # fmt: skip
    assert error(exc) == "ItemExists" and "There is already a licence" in exc.value.message


def test_the_cli_licence_session(gc: GovChain, cli_env: Env, tmp_path: Path) -> None:
    code = fresh_code()
    fields = tmp_path / "fields.json"
    fields.write_text(json.dumps(FIELDS))
    first, second = tmp_path / "v1.json", tmp_path / "v2.json"
    auth = tmp_path / "auth.json"
    for step in [
        ("certify", code, "--enterprise", "biotech", "--channel", "kiosk", "--fields", str(fields),
         "--out", str(first), "--from", "market-regulator"),
        ("reissue", code, "--channel", "web", "--fields", str(fields), "--previous", str(first),
         "--out", str(second), "--from", "market-regulator"),
        ("present", code, "--to", "bank-icbc", "--out", str(auth), "--from", "biotech"),
    ]:  # fmt: skip
        r = run(cli_env, "licence", *step)
        assert r.exit_code == 0, (step, r.stderr)
    env = {**cli_env, "GOVCHAIN_KEYSTORE": str(tmp_path / "no-keystore")}
    ok = run(env, "licence", "check", str(auth), "--as", "bank-icbc", "--certificate", str(second))
    assert ok.exit_code == 0 and "VALID" in ok.output, ok.stderr
    stale = run(
        env, "licence", "check", str(auth), "--as", "bank-icbc", "--certificate", str(first)
    )
    assert stale.exit_code == 1 and "superseded" in stale.output
    foreign = run(env, "licence", "check", str(auth), "--as", "bank-ccb", "--json")
    assert foreign.exit_code == 1 and json.loads(foreign.stdout)["valid"] is False
    shown = json.loads(run(cli_env, "licence", "show", code, "--json").stdout)
    assert shown["state"] == "active" and shown["version"] == 2
    again = run(
        cli_env,
        "licence",
        "certify",
        code,
        "--enterprise",
        "biotech",
        "--channel",
        "web",
        "--fields",
        str(fields),
        "--out",
        str(tmp_path / "x.json"),
        "--from",
        "haidian",
    )
    assert again.exit_code != 0 and "There is already a licence" in again.stderr
    assert not (tmp_path / "x.json").exists()


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    moves=st.lists(
        st.tuples(
            st.sampled_from(["issue", "amend", "suspend", "reinstate", "revoke", "cancel"]),
            st.sampled_from(["market-regulator", "haidian", "biotech"]),
            st.integers(0, 1),  # which credit code
        ),
        max_size=10,
    )
)
def test_one_licence_per_credit_code_whatever_the_sequence(
    gc: GovChain, actor: Actor, moves: list[tuple[str, str, int]]
) -> None:
    licences = gc.case("licence")
    assert isinstance(licences, LicensingClient)
    codes = [fresh_code(), fresh_code()]
    for verb, who, which in moves:
        code = codes[which]
        try:
            if verb == "issue":
                licences.issue(actor(who), code, enterprise=HOLDER.address, channel="counter",
                               certificate="0x" + f"{which + 1:02d}" * 32)  # fmt: skip
            elif verb == "amend":
                licences.amend(actor(who), code, channel="web", certificate="0x" + "ab" * 32)
            else:
                licences.act(verb, actor(who), code)
        except GovChainError:
            continue
        assert who != "biotech"
    for code in codes:
        key = licences.key("licence", code)
        rows = licences.index.items("BusinessLicensing", kind=1, key=key)
        assert len(rows) <= 1
        owner = licences.contract.call("licenceOf", key)
        assert owner == (rows[0].id if rows else bytes(32))
