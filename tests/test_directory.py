"""The participant directory's rules, each tried both ways (allowed and refused)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from govchain.chain.contracts import Contract
from govchain.chain.reverts import MissingRole
from govchain.chain.tx import Sender, TxRequest
from govchain.client import GovChain
from govchain.devnet import cast
from govchain.errors import InputError
from govchain.framework.codes import REASONS
from govchain.framework.directory import (
    CannotSuspendSelf,
    InvalidParticipant,
    Kind,
    ParticipantAlreadyRegistered,
    ParticipantNotRegistered,
    ParticipantNotSuspended,
    ParticipantSuspended,
)

Actor = Callable[[str], Sender]
NEWCOMER = "0x1000000000000000000000000000000000000001"


def test_demo_cast_is_registered_with_roles(gc: GovChain) -> None:
    people = gc.directory.everyone()
    assert len(people) == len(cast.CAST)
    customs = gc.directory.get(cast.BY_KEY["customs-beijing"].address)
    assert customs.kind is Kind.AGENCY and customs.active and customs.name == "Beijing Customs"
    assert gc.directory.roles_of(customs.address) == ["CUSTOMS_ROLE"]
    assert "DEFAULT_ADMIN_ROLE" in gc.directory.roles_of(cast.bureau().address)


def test_admin_registers_participant_with_roles(gc: GovChain, actor: Actor) -> None:
    receipt = gc.directory.register(
        actor("bureau"),
        NEWCOMER,
        kind="enterprise",
        name="Newco Ltd.",
        district="haidian",
        roles=["merchant"],
    )
    record = gc.directory.get(NEWCOMER)
    assert (record.kind, record.district, record.active) == (Kind.ENTERPRISE, 110108, True)
    assert gc.directory.has_active_role(NEWCOMER, "MERCHANT_ROLE")
    events = gc.directory.contract.events(receipt)
    assert [e.name for e in events] == ["ParticipantRegistered", "RoleGranted"]
    assert events[0]["account"] == NEWCOMER and events[0]["district"] == 110108


def test_non_admin_cannot_register(gc: GovChain, actor: Actor) -> None:
    with pytest.raises(MissingRole, match="does not hold the role DEFAULT_ADMIN_ROLE"):
        gc.directory.register(
            actor("customs-beijing"), NEWCOMER, kind="agency", name="X", district="beijing"
        )
    assert not gc.directory.is_registered(NEWCOMER)


def test_duplicate_registration_refused(gc: GovChain, actor: Actor) -> None:
    customs = cast.BY_KEY["customs-beijing"].address
    with pytest.raises(ParticipantAlreadyRegistered, match="already a registered participant"):
        gc.directory.register(
            actor("bureau"), customs, kind="agency", name="Again", district="beijing"
        )


@pytest.mark.parametrize(
    ("account", "kind", "name_hash"),
    [
        ("0x0000000000000000000000000000000000000000", 1, b"\x01" * 32),
        (NEWCOMER, 0, b"\x01" * 32),
        (NEWCOMER, 1, b"\x00" * 32),
    ],
)
def test_incomplete_record_refused(
    gc: GovChain, actor: Actor, account: str, kind: int, name_hash: bytes
) -> None:
    with pytest.raises(InvalidParticipant):
        gc.directory.contract.transact(
            actor("bureau"), "register", account, kind, name_hash, 110000, []
        )


def test_roles_only_for_registered_participants(gc: GovChain, actor: Actor) -> None:
    with pytest.raises(ParticipantNotRegistered, match="not a registered participant"):
        gc.directory.grant(actor("bureau"), NEWCOMER, "customs")


def test_admin_grants_and_revokes(gc: GovChain, actor: Actor) -> None:
    tax = cast.BY_KEY["tax"].address
    gc.directory.grant(actor("bureau"), tax, "reviewer")
    assert gc.directory.has_active_role(tax, "REVIEWER_ROLE")
    gc.directory.revoke(actor("bureau"), tax, "reviewer")
    assert not gc.directory.has_role(tax, "REVIEWER_ROLE")


def test_non_admin_cannot_grant(gc: GovChain, actor: Actor) -> None:
    with pytest.raises(MissingRole):
        gc.directory.grant(actor("customs-beijing"), cast.BY_KEY["tax"].address, "customs")


def test_suspension_refuses_role_checks_until_reactivated(gc: GovChain, actor: Actor) -> None:
    customs = cast.BY_KEY["customs-beijing"].address
    receipt = gc.directory.suspend(actor("bureau"), customs, "audit")
    event = gc.directory.contract.events(receipt)[0]
    assert event.name == "ParticipantSuspended" and REASONS.name(event["reason"]) == "audit"
    assert not gc.directory.is_active(customs)
    assert gc.directory.has_role(customs, "customs")  # the role is kept ...
    assert not gc.directory.has_active_role(customs, "customs")  # ... but does not count
    with pytest.raises(ParticipantSuspended, match="suspended"):
        gc.directory.contract.call("requireActiveRole", _role("customs"), customs)
    gc.directory.reactivate(actor("bureau"), customs)
    gc.directory.contract.call("requireActiveRole", _role("customs"), customs)


def test_suspend_twice_and_reactivate_active_refused(gc: GovChain, actor: Actor) -> None:
    tax = cast.BY_KEY["tax"].address
    with pytest.raises(ParticipantNotSuspended):
        gc.directory.reactivate(actor("bureau"), tax)
    gc.directory.suspend(actor("bureau"), tax, "audit")
    with pytest.raises(ParticipantSuspended):
        gc.directory.suspend(actor("bureau"), tax, "audit")


def test_suspended_admin_loses_admin_powers(gc: GovChain, actor: Actor) -> None:
    commerce = cast.BY_KEY["commerce"].address
    gc.directory.grant(actor("bureau"), commerce, "admin")
    gc.directory.suspend(actor("bureau"), commerce, "audit")
    with pytest.raises(ParticipantSuspended):
        gc.directory.register(
            actor("commerce"), NEWCOMER, kind="agency", name="X", district="beijing"
        )


def test_admin_cannot_suspend_itself(gc: GovChain, actor: Actor) -> None:
    with pytest.raises(CannotSuspendSelf):
        gc.directory.suspend(actor("bureau"), cast.bureau().address, "audit")


def test_unknown_participant_operations_refused(gc: GovChain, actor: Actor) -> None:
    with pytest.raises(ParticipantNotRegistered):
        gc.directory.suspend(actor("bureau"), NEWCOMER, "audit")
    with pytest.raises(ParticipantNotRegistered):
        gc.directory.get(NEWCOMER)
    with pytest.raises(ParticipantNotRegistered):
        gc.directory.contract.transact(
            actor("bureau"),
            "update",
            NEWCOMER,
            1,
            b"\1" * 32,
            1,
        )


def test_update_changes_record_and_emits(gc: GovChain, actor: Actor) -> None:
    sme = cast.BY_KEY["sme"].address
    receipt = gc.directory.update(
        actor("bureau"), sme, kind="enterprise", name="Renamed Co.", district="chaoyang"
    )
    assert gc.directory.get(sme).district == 110105
    assert gc.directory.contract.events(receipt)[0].name == "ParticipantUpdated"
    with pytest.raises(MissingRole):
        gc.directory.update(actor("sme"), sme, kind="bank", name="Me", district="haidian")


def test_list_pages_through_everyone(gc: GovChain) -> None:
    everyone = gc.directory.everyone()
    page = gc.directory.contract.call("participants", 5, 3)
    assert page["accounts"] == [p.address for p in everyone[5:8]]
    assert gc.directory.contract.call("participants", 1000, 10)["accounts"] == []


def test_input_checks_before_anything_is_sent(gc: GovChain, actor: Actor) -> None:
    with pytest.raises(InputError, match="not an address"):
        gc.directory.register(actor("bureau"), "0x1234", kind="agency", name="X", district="1")
    with pytest.raises(InputError, match="not a participant kind"):
        gc.directory.register(actor("bureau"), NEWCOMER, kind="pirate", name="X", district="1")
    with pytest.raises(InputError, match="not a district"):
        gc.directory.register(actor("bureau"), NEWCOMER, kind="agency", name="X", district="mars")
    with pytest.raises(InputError, match="not a reason code"):  # free text never goes on chain
        gc.directory.suspend(actor("bureau"), cast.bureau().address, "suspected of x, case 17")


# -- the ParticipantGated base, through the GatedProbe test contract --------------------------
@pytest.fixture
def probe(gc: GovChain, actor: Actor) -> Contract:
    from govchain.chain import artifacts

    art = artifacts.load("GatedProbe")
    data = art.interface.encode_deploy(art.bytecode, [gc.directory.address])
    receipt = actor("bureau").send(TxRequest(None, data))
    assert receipt.contract_address
    gc.directory.grant(actor("bureau"), cast.BY_KEY["sme"].address, "probe")
    return Contract(gc.chain, "GatedProbe", receipt.contract_address)


def test_gated_call_by_active_role_holder(probe: Contract, actor: Actor) -> None:
    receipt = probe.transact(actor("sme"), "touch")
    assert probe.events(receipt)[0]["count"] == 1


def test_gated_call_without_role_refused(probe: Contract, actor: Actor) -> None:
    with pytest.raises(MissingRole, match="PROBE_ROLE"):
        probe.transact(actor("tax"), "touch")


def test_gated_call_by_suspended_participant_refused(
    gc: GovChain, probe: Contract, actor: Actor
) -> None:
    gc.directory.suspend(actor("bureau"), cast.BY_KEY["sme"].address, "audit")
    with pytest.raises(ParticipantSuspended):
        probe.transact(actor("sme"), "touch")


def test_gated_call_by_stranger_refused(gc: GovChain, probe: Contract) -> None:
    from govchain.devnet.keys import dev_account

    stranger = gc.sender(dev_account(59))
    with pytest.raises(ParticipantNotRegistered):
        probe.transact(stranger, "touch")


def _role(name: str) -> bytes:
    from govchain.chain.roles import role_id

    return role_id(name)
