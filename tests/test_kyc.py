"""Case 3 — shared eKYC: reuse only under a live consent of the data-sharing framework, tried from
every side (no consent, someone else's, another enterprise's, another attestation's, expired,
revoked), renewal and expiry, the supervisor's audit, nothing guessable on chain, the CLI."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govchain.cases.kyc.client import KycClient
from govchain.cases.kyc.demo import _future
from govchain.chain.reverts import MissingRole
from govchain.chain.tx import Sender
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import ContractRevert, GovChainError, InputError
from govchain.framework.casebase.consent import NotThisGrant
from govchain.framework.casebase.errors import ItemExists, NotParty, WrongState
from govchain.framework.creditcode import make_credit_code, parse_credit_code
from govchain.framework.sharing.exchange import GrantRefused
from tests.test_cli import Env, run

Actor = Callable[[str], Sender]
_codes = itertools.count(1)
DOSSIER = b"KYC DOSSIER: business licence, articles, beneficial owners 110101199001011234"


@pytest.fixture
def kyc(gc: GovChain) -> KycClient:
    client = gc.case("kyc")
    assert isinstance(client, KycClient)
    return client


def later(kyc: KycClient, days: int) -> int:
    """``days`` after the chain's time (tests move it forward)."""
    return int(kyc.contract.chain.block("latest")["timestamp"], 16) + days * 86400


def attest(kyc: KycClient, actor: Actor, bank: str = "bank-bob", company: str = "biotech") -> str:
    code = make_credit_code(f"91110302MB{next(_codes):07d}")
    kyc.attest(
        actor(bank),
        code,
        enterprise=cast.BY_KEY[company].address,
        level="standard",
        valid_until=later(kyc, 365),
        dossier=DOSSIER + code.encode(),
    )
    return code


def consent(
    kyc: KycClient,
    actor: Actor,
    code: str,
    reuser: str = "bank-icbc",
    attester: str = "bank-bob",
    company: str = "biotech",
    *,
    consented: bool = True,
) -> int:
    kyc.dossiers.offer(actor(attester))
    address = cast.BY_KEY[attester].address
    until = later(kyc, 60)
    request = kyc.dossiers.request(actor(reuser), code, until=until, owner=address)
    kyc.dossiers.approve(actor(attester), request, until=until, item=code)
    if consented:
        kyc.exchange.client.consent(actor(company), request)
    return request


def error(exc: pytest.ExceptionInfo[ContractRevert]) -> str:
    return exc.value.error_name


def test_a_bank_reuses_a_kyc_under_consent_and_is_refused_once_it_is_revoked(
    kyc: KycClient, actor: Actor
) -> None:
    code = attest(kyc, actor)
    request = consent(kyc, actor, code)
    delivered = kyc.dossiers.share(actor("bank-bob"), request)
    assert kyc.dossiers.fetch(actor("bank-icbc"), request) == DOSSIER + code.encode()
    # the delivery is logged with the attestation's own anchored dossier commitment
    anchored = [d.content_hash for d in kyc.documents(code, "attestation")]
    assert delivered.content_hash == anchored[-1]
    kyc.rely(actor("bank-icbc"), code, consent=request)
    reliance = kyc.get(code, "reliance", filer=cast.BY_KEY["bank-icbc"].address)
    assert reliance.state == "relied"
    assert reliance.fields["enterprise"] == cast.BY_KEY["biotech"].address
    kyc.exchange.client.revoke(actor("biotech"), request)
    with pytest.raises(GrantRefused):
        kyc.dossiers.share(actor("bank-bob"), request)
    with pytest.raises(GrantRefused):
        kyc.dossiers.fetch(actor("bank-icbc"), request)
    kyc.end_reliance(actor("bank-icbc"), code)
    with pytest.raises(ContractRevert) as exc:
        kyc.rely(actor("bank-icbc"), code, consent=request)
    assert error(exc) == "GrantNotLive"
    assert kyc.get(code, "reliance").state == "ended"


def test_reliance_without_a_live_consent_of_its_own_is_refused(
    gc: GovChain, kyc: KycClient, actor: Actor
) -> None:
    code = attest(kyc, actor)
    pending = consent(kyc, actor, code, consented=False)
    tries = {"no consent yet": (pending, "GrantNotLive"), "no such request": (999, "UnknownGrant")}
    # ICBC's consent used by CCB
    theirs = consent(kyc, actor, code)
    tries["someone else's consent"] = (theirs, "GrantNotFor")
    # the retailer's consent, for Bank of Beijing's attestation of the retailer
    other = attest(kyc, actor, company="retailer")
    tries["another enterprise's consent"] = (
        consent(kyc, actor, other, reuser="bank-ccb", company="retailer"),
        "GrantNotFor",
    )
    # a consent for CCB's own attestation of the same enterprise (another bank's data)
    ccb_code = attest(kyc, actor, bank="bank-icbc")
    tries["a consent for another bank's attestation"] = (
        consent(kyc, actor, ccb_code, reuser="bank-ccb", attester="bank-icbc"),
        "GrantNotFor",
    )
    for why, (request, expected) in tries.items():
        with pytest.raises(ContractRevert) as exc:
            kyc.rely(actor("bank-ccb"), code, consent=request)
        assert error(exc) == expected, why
    # a data-sharing grant for something else entirely (social insurance records)
    with pytest.raises(NotThisGrant):
        kyc.dossiers.share(actor("bank-bob"), _unrelated_grant(gc, actor))


def _unrelated_grant(gc: GovChain, actor: Actor) -> int:
    sharing = gc.sharing
    sharing.list_resource(
        actor("social-insurance"), "si/kyc-test", title="t", schema=b"{}", sharing="on-approval",
        personal=True,
    )  # fmt: skip
    from datetime import UTC, datetime, timedelta

    return sharing.request(
        actor("bank-bob"),
        "si/kyc-test",
        purpose="unemployment-claim",
        wanted_expiry=datetime.now(UTC) + timedelta(days=3),
        subject=cast.BY_KEY["biotech"].address,
    )


def test_a_bank_never_relies_on_its_own_attestation(kyc: KycClient, actor: Actor) -> None:
    code = attest(kyc, actor)
    with pytest.raises(ContractRevert) as exc:
        kyc.rely(actor("bank-bob"), code, consent=1)
    assert error(exc) == "OwnAttestation"


def test_a_consent_ends_when_it_expires(gc: GovChain, kyc: KycClient, actor: Actor) -> None:
    code = attest(kyc, actor)
    request = consent(kyc, actor, code)
    gc.chain.rpc.call("evm_increaseTime", [61 * 86400])
    gc.chain.rpc.call("evm_mine")
    with pytest.raises(ContractRevert) as exc:
        kyc.rely(actor("bank-icbc"), code, consent=request)
    assert error(exc) == "GrantNotLive"


def test_an_expired_or_withdrawn_attestation_cannot_be_relied_on_and_renewal_restores_it(
    gc: GovChain, kyc: KycClient, actor: Actor
) -> None:
    code = attest(kyc, actor)
    gc.chain.rpc.call("evm_increaseTime", [366 * 86400])
    gc.chain.rpc.call("evm_mine")
    assert kyc.get(code, "attestation").fields["expired"]
    with pytest.raises(InputError):  # the SDK says so before asking
        kyc.dossiers.request(actor("bank-icbc"), code, until=_future(900))
    with pytest.raises(ContractRevert) as exc:
        kyc.rely(actor("bank-icbc"), code, consent=1)
    assert error(exc) == "AttestationExpired"
    with pytest.raises(NotParty):  # only the attesting bank renews
        kyc.renew(actor("bank-icbc"), code, level="enhanced", valid_until=_future(900),
                  dossier=b"x")  # fmt: skip
    kyc.renew(actor("bank-bob"), code, level="enhanced", valid_until=_future(900), dossier=b"new")
    record = kyc.get(code, "attestation")
    assert record.state == "valid" and not record.fields["expired"]
    assert record.fields["level"] == 3
    assert len(kyc.documents(code, "attestation")) == 2
    request = consent(kyc, actor, code)
    kyc.dossiers.share(actor("bank-bob"), request)
    assert kyc.dossiers.fetch(actor("bank-icbc"), request) == b"new"  # the latest dossier
    kyc.withdraw(actor("bank-bob"), code, reason="fraud")
    with pytest.raises(ContractRevert) as exc:
        kyc.rely(actor("bank-icbc"), code, consent=request)
    assert error(exc) == "AttestationNotValid"
    with pytest.raises(WrongState):
        kyc.renew(actor("bank-bob"), code, level="basic", valid_until=_future(900), dossier=b"x")


def test_attestations_are_checked_when_recorded(kyc: KycClient, actor: Actor) -> None:
    code = make_credit_code("91110302MC0000001")
    base = {"enterprise": cast.BY_KEY["biotech"].address, "dossier": b"d"}
    key, enterprise = kyc.key("attestation", code), cast.BY_KEY["biotech"].address
    soon = int(kyc.contract.chain.block("latest")["timestamp"], 16) + 86400
    bad = [((key, enterprise, 4, soon, b"d" * 32), "InvalidLevel"),  # the SDK refuses it first
           ((key, enterprise, 1, 1_600_000_000, b"d" * 32), "InvalidValidity"),
           ((key, enterprise, 1, soon, bytes(32)), "EmptyHash"),
           ((key, "0x" + "00" * 20, 1, soon, b"d" * 32), "NoEnterprise")]  # fmt: skip
    for args, expected in bad:
        with pytest.raises(ContractRevert) as exc:
            kyc.contract.transact(actor("bank-bob"), "attest", *args)
        assert error(exc) == expected
    with pytest.raises(InputError):  # level names only
        kyc.attest(actor("bank-bob"), code, **base, level="gold", valid_until=_future(9))
    outsider = "0x" + "77" * 20
    with pytest.raises(ContractRevert) as exc:
        kyc.attest(actor("bank-bob"), code, enterprise=outsider, dossier=b"d", level=1,
                   valid_until=_future(9))  # fmt: skip
    assert error(exc) == "ParticipantNotRegistered"
    with pytest.raises(MissingRole):
        kyc.attest(actor("sme"), code, **base, level=1, valid_until=_future(9))
    kyc.attest(actor("bank-bob"), code, **base, level=1, valid_until=_future(9))
    with pytest.raises(ItemExists):
        kyc.attest(actor("bank-bob"), code, **base, level=1, valid_until=_future(9))
    # another bank attests the same enterprise on its own: two attestations, by their filers
    kyc.attest(actor("bank-icbc"), code, **base, level=2, valid_until=_future(9))
    with pytest.raises(InputError, match="filer"):
        kyc.get(code, "attestation")


def test_credit_codes_are_checked() -> None:
    assert parse_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    for bad in ("91350100M000100Y44", "9135010", "91350100M000100YI3", "91AB0100M000100Y43"):
        with pytest.raises(InputError):
            parse_credit_code(bad)


def test_nothing_guessable_goes_on_chain(gc: GovChain, kyc: KycClient, actor: Actor) -> None:
    code = attest(kyc, actor)
    request = consent(kyc, actor, code)
    kyc.dossiers.share(actor("bank-bob"), request)
    kyc.rely(actor("bank-icbc"), code, consent=request)
    start = gc.book.contracts["EnterpriseKyc"].block_number
    seen = b""
    for n in range(start, gc.chain.block_number() + 1):
        block = gc.chain.rpc.call("eth_getBlockByNumber", [hex(n), True])
        for tx in block["transactions"]:
            seen += bytes.fromhex(tx["input"][2:])
            receipt = gc.chain.rpc.call("eth_getTransactionReceipt", [tx["hash"]])
            for log in receipt["logs"]:
                seen += bytes.fromhex(log["data"][2:]) + b"".join(
                    bytes.fromhex(t[2:]) for t in log["topics"]
                )
    from eth_utils import keccak

    for secret in (code.encode(), keccak(text=code), b"beneficial owners", b"110101199001011234"):
        assert secret not in seen


def test_the_supervisor_audits_who_read_whose_kyc(
    kyc: KycClient, actor: Actor, cli_env: Env
) -> None:
    code = attest(kyc, actor)
    request = consent(kyc, actor, code)
    kyc.dossiers.share(actor("bank-bob"), request)
    kyc.dossiers.fetch(actor("bank-icbc"), request)
    kyc.rely(actor("bank-icbc"), code, consent=request)
    biotech = cast.BY_KEY["biotech"].address
    trail = [e for e in kyc.audit(biotech) if e.consent == request or e.what == "attested"]
    assert [e.what for e in trail][-7:] == [
        "attested", "requested", "approved", "consented", "delivered", "acknowledged", "relied"
    ]  # fmt: skip
    assert {e.bank for e in trail if e.what != "attested"} == {cast.BY_KEY["bank-icbc"].address}
    assert all(e.time is not None for e in trail)
    assert not kyc.audit(cast.BY_KEY["retailer"].address)
    r = run(cli_env, "kyc", "audit", "--enterprise", "biotech", "--from", "finreg", "--json")
    assert r.exit_code == 0, r.stderr
    assert {"relied", "delivered"} <= {row["what"] for row in json.loads(r.stdout)}
    refused = run(cli_env, "kyc", "audit", "--from", "bank-icbc")
    assert refused.exit_code != 0 and "SUPERVISOR" in refused.stderr.upper()


def test_the_cli_reuse_session(gc: GovChain, cli_env: Env, tmp_path: Path) -> None:
    code = make_credit_code("91110302MD0000001")
    dossier = tmp_path / "dossier.pdf"
    dossier.write_bytes(b"%PDF KYC dossier")
    steps = [
        ("kyc", "attest", code, "--enterprise", "biotech", "--level", "standard",
         "--valid-until", _future(300), "--dossier", str(dossier), "--from", "bank-bob"),
        ("kyc", "offer", "--from", "bank-bob"),
    ]  # fmt: skip
    for step in steps:
        r = run(cli_env, *step)
        assert r.exit_code == 0, (step, r.stderr)
    r = run(
        cli_env, "kyc", "request", code, "--until", _future(20), "--from", "bank-icbc", "--json"
    )
    assert r.exit_code == 0, r.stderr
    number = str(json.loads(r.stdout)["requestId"])
    out = tmp_path / "got.pdf"
    for step in [
        ("kyc", "approve", number, "--until", _future(20), "--from", "bank-bob"),
        ("data", "consent", number, "--from", "biotech"),
        ("kyc", "share", number, "--from", "bank-bob"),
        ("kyc", "fetch", number, "--out", str(out), "--from", "bank-icbc"),
        ("kyc", "reliance", "rely", code, "--consent", number, "--from", "bank-icbc"),
    ]:
        r = run(cli_env, *step)
        assert r.exit_code == 0, (step, r.stderr)
    assert out.read_bytes() == b"%PDF KYC dossier"
    shown = run(cli_env, "kyc", "show", code, "--json")
    assert json.loads(shown.stdout)["state"] == "valid"
    bad = run(cli_env, "kyc", "attest", "91110302MD0000002", "--enterprise", "biotech",
              "--level", "basic", "--valid-until", _future(3), "--dossier", str(dossier),
              "--from", "bank-bob")  # fmt: skip
    assert bad.exit_code != 0 and "not a unified social credit code" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    moves=st.lists(
        st.sampled_from(["consent", "revoke", "rely", "end", "withdraw", "renew", "time"]),
        max_size=10,
    )
)
def test_a_reliance_is_recorded_only_under_a_live_consent_whatever_the_sequence(
    gc: GovChain, actor: Actor, moves: list[str]
) -> None:
    """Random sequences of consent, revocation, reliance, withdrawal, renewal and time: the
    contract records a reliance exactly when the model says a live consent and a current
    attestation allow it."""
    kyc = gc.case("kyc")
    assert isinstance(kyc, KycClient)
    code = attest(kyc, actor)
    icbc = actor("bank-icbc")
    model: dict[str, Any] = {"grant": None, "revoked": False, "grant_end": 0, "relied": False,
                             "withdrawn": False, "expires": 365, "day": 0}  # fmt: skip

    def allowed() -> bool:
        live = model["grant"] is not None and not model["revoked"]
        live = live and model["day"] < model["grant_end"]
        current = not model["withdrawn"] and model["day"] < model["expires"]
        return live and current and not model["relied"]

    for move in moves:
        if move == "consent" and model["day"] < model["expires"] and not model["withdrawn"]:
            model.update(grant=consent(kyc, actor, code), revoked=False,
                         grant_end=model["day"] + 60)  # fmt: skip
        elif move == "revoke" and model["grant"] and not model["revoked"]:
            kyc.exchange.client.revoke(actor("biotech"), model["grant"])
            model["revoked"] = True
        elif move == "time":
            gc.chain.rpc.call("evm_increaseTime", [40 * 86400])
            gc.chain.rpc.call("evm_mine")
            model["day"] += 40
        elif move == "withdraw":
            try:
                kyc.withdraw(actor("bank-bob"), code)
                model["withdrawn"] = True
            except WrongState:
                assert model["withdrawn"]
        elif move == "renew" and not model["withdrawn"]:
            kyc.renew(actor("bank-bob"), code, level=2, valid_until=later(kyc, 900), dossier=b"r")
            model["expires"] = model["day"] + 900
        elif move == "end":
            try:
                kyc.end_reliance(icbc, code)
                assert model["relied"]
                model["relied"] = False
            except GovChainError:
                assert not model["relied"]
        elif move == "rely":
            expected = allowed()
            try:
                kyc.rely(icbc, code, consent=int(model["grant"] or 1))
                assert expected, model
                model["relied"] = True
            except GovChainError:
                assert not expected, model
