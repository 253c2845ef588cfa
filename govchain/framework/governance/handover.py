"""Handing a deployment over to the governance committee.

Right after ``deploy`` the deployer is the directory's administrator, the seats' owner and the
timelock's administrator. :func:`hand_over` gives the first seats, delegates the daily roles
(operators, guardians), makes the committee's timelock the directory's administrator and the
seats' owner, lets only the governor propose and execute, and then gives up every power of the
deployer. Idempotent: run again, it sends nothing; interrupted, it resumes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from govchain.chain import labels
from govchain.chain.deploy import MUNICIPALITY
from govchain.chain.roles import ADMIN_ROLE_ID, role_id
from govchain.chain.tx import Sender, TxRequest
from govchain.errors import DeploymentError
from govchain.framework.directory import Kind, parse_address
from govchain.framework.governance.client import Committee
from govchain.framework.governance.settings import TIMELOCK_NAME
from govchain.hashing import keccak, to_checksum_address

PROPOSER = keccak(text="PROPOSER_ROLE")
EXECUTOR = keccak(text="EXECUTOR_ROLE")
CANCELLER = keccak(text="CANCELLER_ROLE")


@dataclass(frozen=True)
class Handover:
    members: Sequence[str]  # agencies that get a seat
    guardians: Sequence[str]  # may pause a case at once
    operators: Sequence[str]  # daily administration


def hand_over(committee: Committee, deployer: Sender, plan: Handover) -> list[str]:
    """Hand the deployment over to the committee; returns what was done (empty if nothing)."""
    directory, seats, timelock, governor = (
        committee.directory,
        committee.seats,
        committee.timelock,
        committee.governor,
    )
    me = deployer.address
    done: list[str] = []
    labels.add(timelock.address, TIMELOCK_NAME)
    if directory.has_role(timelock.address, "admin") and not directory.has_role(me, "admin"):
        return done  # handed over already

    # 1. the timelock becomes a participant (an agency) holding the administrator role
    txs: list[TxRequest] = []
    if not directory.is_registered(timelock.address):
        txs.append(
            directory.register_tx(
                timelock.address, kind=Kind.AGENCY, name=TIMELOCK_NAME, district=MUNICIPALITY
            )
        )
        done.append(f"registered {TIMELOCK_NAME} in the directory")
    deployer.send_many(txs)

    # 2. the delegated roles, and the administrator role for the timelock
    wanted: list[tuple[str, str]] = [(timelock.address, "DEFAULT_ADMIN_ROLE")]
    wanted += [(parse_address(a), "OPERATOR_ROLE") for a in plan.operators]
    wanted += [(parse_address(a), "GUARDIAN_ROLE") for a in plan.guardians]
    held = directory.contract.call_many([("hasRole", (role_id(r), a)) for a, r in wanted])
    grants = [(a, r) for (a, r), h in zip(wanted, held, strict=True) if h is not True]
    deployer.send_many([directory.contract.tx("grantRole", role_id(r), a) for a, r in grants])
    done += [f"granted {r} to {labels.describe(a)}" for a, r in grants]

    # 3. the first seats, while the deployer still owns them
    owner = to_checksum_address(seats.call("owner"))
    members = [parse_address(m) for m in plan.members]
    if owner == me:
        seated = seats.call_many([("isMember", (m,)) for m in members])
        new = [m for m, s in zip(members, seated, strict=True) if s is not True]
        deployer.send_many([seats.tx("addMember", m) for m in new])
        done += [f"gave {labels.describe(m)} a committee seat" for m in new]
    count = int(seats.call("seatCount"))
    threshold = int(governor.call("threshold"))
    if count < threshold:
        raise DeploymentError(
            f"The committee has {count} seats but needs {threshold} votes to decide: give at "
            "least as many seats as the threshold before handing over."
        )

    # 4. only the governor proposes, cancels and executes in the timelock
    roles = (PROPOSER, CANCELLER, EXECUTOR)
    has = timelock.call_many([("hasRole", (r, governor.address)) for r in roles])
    missing = [r for r, h in zip(roles, has, strict=True) if h is not True]
    if missing and not timelock.call("hasRole", ADMIN_ROLE_ID, me):
        raise DeploymentError("The deployer no longer administers the timelock: cannot hand over.")
    deployer.send_many([timelock.tx("grantRole", r, governor.address) for r in missing])
    if missing:
        done.append("let only the committee's governor propose, cancel and execute")

    # 5. the timelock owns the seats; the deployer gives up the timelock and the directory
    if owner == me:
        deployer.send(seats.tx("transferOwnership", timelock.address))
        done.append("the committee's timelock owns the seats")
    if timelock.call("hasRole", ADMIN_ROLE_ID, me):
        deployer.send(timelock.tx("renounceRole", ADMIN_ROLE_ID, me))
        done.append("the deployer gave up administering the timelock")
    if directory.has_role(me, "admin"):
        deployer.send(directory.contract.tx("renounceRole", ADMIN_ROLE_ID, me))
        done.append("the deployer gave up the directory's administrator role")
    return done
