"""``govchain gov``: the governance committee — propose, vote, queue, execute, status — and the
guardians' emergency pause."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from govchain.chain.labels import describe
from govchain.cli.common import App, done, from_option, json_option, pass_app, print_json, table
from govchain.errors import InputError
from govchain.framework.casebase import registry
from govchain.framework.governance.client import Action, Committee, ProposalStatus
from govchain.framework.governance.errors import ProposalState
from govchain.inputs import read_json


@click.group()
def gov() -> None:
    """The governance committee: proposals, votes, the timelock, the emergency pause."""


def _case_contract(name: str) -> str:
    """A case name (``port``) or a contract name (``PortClearance``) -> the contract name."""
    for spec in registry.cases():
        if name in (spec.name, spec.contract):
            return spec.contract
    known = ", ".join(s.name for s in registry.cases())
    raise InputError(f"'{name}' is not a case (known: {known}).")


# -- propose -----------------------------------------------------------------------------------


@gov.group()
def propose() -> None:
    """Propose a decision to the committee (a member): one action, or several from a file."""


Builder = Callable[..., Action | list[Action]]


def _proposal_command(
    name: str, help_text: str, params: list[click.Parameter]
) -> Callable[[Builder], Builder]:
    """Add ``gov propose NAME ...``: build the action(s), propose them, print the proposal."""

    def register(build: Builder) -> Builder:
        def command(app: App, who: str, description: str, as_json: bool, **kw: Any) -> None:
            committee = app.gc.governance
            built = build(app, committee, **kw)
            actions = built if isinstance(built, list) else [built]
            ref = committee.propose(app.signer(who), actions, description)
            summary = "; ".join(a.summary for a in actions)
            extra = {"proposalId": str(ref.id), "actions": [a.as_dict() for a in actions]}
            done(f"Proposal {ref.id}: {summary}.", ref.receipt, as_json, extra=extra)
            if not as_json:
                info = committee.info()
                click.echo(
                    f"  next: members vote (`govchain gov vote {ref.id} for --from …`) for "
                    f"{info.voting_period} s; {info.threshold} votes for decide"
                )

        command.__doc__ = help_text
        cmd = pass_app(json_option(from_option()(command)))
        cmd = click.option(
            "--description", "-m", required=True, help="What the committee decides, and why."
        )(cmd)
        decorated = click.command(name, help=help_text)(cmd)
        decorated.params[:0] = params
        propose.add_command(decorated)
        return build

    return register


_ACCOUNT = click.Argument(["account"])
_ROLE = click.Argument(["role"])


@_proposal_command(
    "grant", "Grant a role (administrative roles need the committee).", [_ACCOUNT, _ROLE]
)
def _grant(app: App, c: Committee, account: str, role: str) -> Action:
    return c.grant(app.address(account), role)


@_proposal_command("revoke", "Revoke a role.", [_ACCOUNT, _ROLE])
def _revoke(app: App, c: Committee, account: str, role: str) -> Action:
    return c.revoke(app.address(account), role)


@_proposal_command(
    "register-agency",
    "Register an agency (with roles).",
    [
        _ACCOUNT,
        click.Option(["--name"], required=True, help="Display name (its hash goes on chain)."),
        click.Option(["--district"], required=True, help="District name or 6-digit code."),
        click.Option(["--role", "roles"], multiple=True, help="Role to grant (repeatable)."),
    ],
)
def _register(
    app: App, c: Committee, account: str, name: str, district: str, roles: tuple[str, ...]
) -> Action:
    return c.register_agency(app.address(account), name=name, district=district, roles=roles)


@_proposal_command(
    "suspend",
    "Suspend an agency (or any participant).",
    [_ACCOUNT, click.Option(["--reason"], required=True, help="Reason code, e.g. audit.")],
)
def _suspend(app: App, c: Committee, account: str, reason: str) -> Action:
    return c.suspend(app.address(account), reason)


@_proposal_command("reactivate", "Lift a suspension.", [_ACCOUNT])
def _reactivate(app: App, c: Committee, account: str) -> Action:
    return c.reactivate(app.address(account))


@_proposal_command("define-type", "Define a certificate type.", [click.Argument(["name"])])
def _define(app: App, c: Committee, name: str) -> Action:
    return c.define_type(name)


@_proposal_command(
    "pause", "Pause a case (guardians can also pause at once).", [click.Argument(["case"])]
)
def _pause(app: App, c: Committee, case: str) -> Action:
    return c.pause(_case_contract(case))


@_proposal_command(
    "unpause", "Unpause a case (only the committee can).", [click.Argument(["case"])]
)
def _unpause(app: App, c: Committee, case: str) -> Action:
    return c.unpause(_case_contract(case))


@_proposal_command("add-member", "Give an agency a committee seat.", [_ACCOUNT])
def _add(app: App, c: Committee, account: str) -> Action:
    return c.add_member(app.address(account))


@_proposal_command("remove-member", "Take back an agency's committee seat.", [_ACCOUNT])
def _remove(app: App, c: Committee, account: str) -> Action:
    return c.remove_member(app.address(account))


@_proposal_command(
    "threshold", "Change how many 'for' votes decide.", [click.Argument(["seats"], type=int)]
)
def _threshold(app: App, c: Committee, seats: int) -> Action:
    return c.set_threshold(seats)


@_proposal_command(
    "voting-period", "Change how long a vote lasts.", [click.Argument(["seconds"], type=int)]
)
def _period(app: App, c: Committee, seconds: int) -> Action:
    return c.set_voting_period(seconds)


@_proposal_command(
    "timelock-delay", "Change the timelock delay.", [click.Argument(["seconds"], type=int)]
)
def _delay(app: App, c: Committee, seconds: int) -> Action:
    return c.set_timelock_delay(seconds)


#: `gov propose file`: the action names a file may use, with their builders' parameters.
_FILE_ACTIONS: dict[str, Builder] = {
    "grant": _grant,
    "revoke": _revoke,
    "register-agency": _register,
    "suspend": _suspend,
    "reactivate": _reactivate,
    "define-type": _define,
    "pause": _pause,
    "unpause": _unpause,
    "add-member": _add,
    "remove-member": _remove,
    "threshold": _threshold,
    "voting-period": _period,
    "timelock-delay": _delay,
}


@_proposal_command(
    "file",
    "Several actions in one proposal, from a JSON list such as "
    '[{"action": "threshold", "seats": 2}, {"action": "remove-member", "account": "finance"}].',
    [click.Argument(["path"], type=click.Path(path_type=Path))],
)
def _file(app: App, c: Committee, path: Path) -> list[Action]:
    items = read_json(path, "Actions file")
    if not isinstance(items, list) or not items:
        raise InputError(f"{path} must hold a non-empty JSON list of actions.")
    actions: list[Action] = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict) or item.get("action") not in _FILE_ACTIONS:
            raise InputError(
                f"Action {n} of {path} needs an 'action' among {', '.join(_FILE_ACTIONS)}."
            )
        args = {k.replace("-", "_"): v for k, v in item.items() if k != "action"}
        if "roles" in args:
            args["roles"] = tuple(args["roles"])
        try:
            built = _FILE_ACTIONS[item["action"]](app, c, **args)
        except TypeError:
            raise InputError(f"Action {n} of {path} has wrong fields: {sorted(args)}.") from None
        actions += built if isinstance(built, list) else [built]
    return actions


# -- vote, queue, execute, cancel --------------------------------------------------------------


@gov.command()
@click.argument("proposal_id", type=int)
@click.argument("support", type=click.Choice(["for", "against", "abstain"]))
@click.option("--reason", default="", help="Why (recorded on chain).")
@from_option()
@json_option
@pass_app
def vote(app: App, proposal_id: int, support: str, reason: str, who: str, as_json: bool) -> None:
    """Vote on a proposal (a member, while its vote is open)."""
    committee = app.gc.governance
    receipt = committee.vote(app.signer(who), proposal_id, support, reason)
    status = committee.status(proposal_id)
    done(
        f"Voted {support} on proposal {proposal_id}: {_tally(status)}.",
        receipt,
        as_json,
        extra={"proposal": status.as_dict()},
    )


def _step_command(name: str, help_text: str) -> None:
    def command(app: App, proposal_id: int, who: str, as_json: bool) -> None:
        committee = app.gc.governance
        receipt = getattr(committee, name)(app.signer(who), proposal_id)
        status = committee.status(proposal_id)
        done(
            f"Proposal {proposal_id} is {status.state.label}{_next(status)}.",
            receipt,
            as_json,
            extra={"proposal": status.as_dict()},
        )

    command.__doc__ = help_text
    decorated = pass_app(
        json_option(from_option()(click.argument("proposal_id", type=int)(command)))
    )
    gov.command(name, help=help_text)(decorated)


_step_command("queue", "Put a passed proposal into the timelock (once the vote is over).")
_step_command("execute", "Execute a queued proposal (once the timelock delay has passed).")
_step_command("cancel", "Withdraw a proposal (its proposer, before the vote opens).")


# -- the emergency pause -----------------------------------------------------------------------


@gov.command("pause")
@click.argument("case")
@from_option()
@json_option
@pass_app
def pause_now(app: App, case: str, who: str, as_json: bool) -> None:
    """Pause CASE at once (a guardian): everything is refused until the committee unpauses."""
    contract = app.gc.contract(_case_contract(case))
    receipt = app.signer(who).send(contract.tx("pause"))
    done(
        f"{case} is paused. Only the committee unpauses it: "
        f"`govchain gov propose unpause {case} -m … --from <member>`.",
        receipt,
        as_json,
    )


# -- status ------------------------------------------------------------------------------------


@gov.command()
@click.argument("proposal_id", type=int, required=False)
@json_option
@pass_app
def status(app: App, proposal_id: int | None, as_json: bool) -> None:
    """The committee, its delegated roles and its proposals; or one proposal in full."""
    committee = app.gc.governance
    if proposal_id is not None:
        one = committee.status(proposal_id)
        if as_json:
            print_json(one.as_dict())
        else:
            _print_proposal(one)
        return
    info = committee.info()
    proposals = committee.proposals()
    paused = {
        spec.name: bool(app.gc.contract(spec.contract).call("paused"))
        for spec in registry.cases()
        if spec.contract in app.gc.book.contracts
    }
    if as_json:
        print_json(
            {**info.as_dict(), "paused": paused, "proposals": [p.as_dict() for p in proposals]}
        )
        return
    click.echo(
        f"Committee: {len(info.members)} seats, {info.threshold} votes for decide; vote opens "
        f"{info.voting_delay} s after a proposal and lasts {info.voting_period} s; timelock "
        f"{info.timelock_delay} s."
    )
    click.echo(f"  members:   {', '.join(describe(m) for m in info.members) or '-'}")
    for title, role in (
        ("guardians", "GUARDIAN_ROLE"),
        ("operators", "OPERATOR_ROLE"),
        ("admin", "DEFAULT_ADMIN_ROLE"),
    ):
        click.echo(
            f"  {title + ':':<10} {', '.join(describe(a) for a in info.holders[role]) or '-'}"
        )
    handed = "yes" if info.handed_over else "NO: the deployer still holds powers"
    click.echo(f"  handed over to the committee: {handed}")
    shown = ", ".join(f"{n} {'PAUSED' if p else 'running'}" for n, p in paused.items())
    click.echo(f"  cases: {shown or '-'}")
    if not proposals:
        click.echo("No proposals yet.")
        return
    click.echo("")
    table(
        ["id", "state", "for", "against", "abstain", "description"],
        [
            (p.id, p.state.label, p.votes_for, p.votes_against, p.votes_abstain, _short(p))
            for p in proposals
        ],
    )


def _print_proposal(p: ProposalStatus) -> None:
    click.echo(f"Proposal {p.id}: {p.state.label}")
    if p.description:
        click.echo(f"  {p.description}")
    click.echo(f"  proposed by {describe(p.proposer)}")
    for n, action in enumerate(p.actions, start=1):
        click.echo(f"  {n}. {action.summary}")
    click.echo(f"  votes: {_tally(p)}")
    if p.voters:
        click.echo("  " + ", ".join(f"{describe(a)} {s}" for a, s in p.voters.items()))
    click.echo(f"  vote: {_when(p.vote_start)} → {_when(p.vote_end)}")
    if p.eta:
        click.echo(f"  executable from {_when(p.eta)}")
    hint = _next(p)
    if hint:
        click.echo(f"  next{hint}")


def _tally(p: ProposalStatus) -> str:
    return (
        f"{p.votes_for} for, {p.votes_against} against, {p.votes_abstain} abstain "
        f"({p.threshold} for needed)"
    )


def _next(p: ProposalStatus) -> str:
    hints = {
        ProposalState.PENDING: f": the vote opens at {_when(p.vote_start)}",
        ProposalState.ACTIVE: f": members vote until {_when(p.vote_end)}",
        ProposalState.SUCCEEDED: f": queue it (`govchain gov queue {p.id}`)",
        ProposalState.QUEUED: f": execute it from {_when(p.eta) if p.eta else '?'} "
        f"(`govchain gov execute {p.id}`)",
    }
    return hints.get(p.state, "")


def _when(value: Any) -> str:
    return str(value.strftime("%Y-%m-%d %H:%M:%S UTC"))


def _short(p: ProposalStatus) -> str:
    text = p.description or "; ".join(a.summary for a in p.actions)
    return text if len(text) <= 60 else text[:59] + "…"
