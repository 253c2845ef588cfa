"""``govchain participant``: the participant directory."""

from __future__ import annotations

from pathlib import Path

import click

from govchain.chain.labels import describe, save_names
from govchain.chain.roles import known_roles, normalise
from govchain.cli.common import (
    App,
    done,
    from_option,
    json_option,
    pass_app,
    print_json,
    table,
)
from govchain.framework.directory import Kind, district_name, parse_district
from govchain.framework.roster import load_specs, seed


def _admin(app: App, signer: str | None) -> str:
    if signer:
        return signer
    if app.config.network == "local":
        return "bureau"
    raise click.UsageError("Say which administrator signs with --from.")


@click.group()
def participant() -> None:
    """Register participants, grant roles, suspend, and look them up."""


@participant.command()
@click.argument("address")
@click.option("--name", required=True, help="Display name (only its hash goes on chain).")
@click.option("--kind", required=True, type=click.Choice([k.name.lower() for k in Kind]))
@click.option("--district", required=True, help="District name (haidian) or 6-digit code.")
@click.option("--role", "roles", multiple=True, help="Role to grant (repeatable).")
@from_option(required=False)
@json_option
@pass_app
def register(
    app: App,
    address: str,
    name: str,
    kind: str,
    district: str,
    roles: tuple[str, ...],
    who: str | None,
    as_json: bool,
) -> None:
    """Register ADDRESS as a participant (administrator only)."""
    signer = app.signer(_admin(app, who))
    target = app.address(address)
    receipt = app.gc.directory.register(
        signer, target, kind=kind, name=name, district=parse_district(district), roles=roles
    )
    save_names(app.config.names_file, {target: name})
    role_text = ", ".join(normalise(r) for r in roles) or "no roles"
    done(
        f"Registered {describe(target)} as {kind} in {district} with {role_text}.", receipt, as_json
    )


@participant.command()
@click.argument("address")
@click.argument("role")
@from_option(required=False)
@json_option
@pass_app
def grant(app: App, address: str, role: str, who: str | None, as_json: bool) -> None:
    """Grant ROLE to participant ADDRESS (administrator only)."""
    target = app.address(address)
    receipt = app.gc.directory.grant(app.signer(_admin(app, who)), target, role)
    done(f"Granted {normalise(role)} to {describe(target)}.", receipt, as_json)


@participant.command()
@click.argument("address")
@click.argument("role")
@from_option(required=False)
@json_option
@pass_app
def revoke(app: App, address: str, role: str, who: str | None, as_json: bool) -> None:
    """Revoke ROLE from participant ADDRESS (administrator only)."""
    target = app.address(address)
    receipt = app.gc.directory.revoke(app.signer(_admin(app, who)), target, role)
    done(f"Revoked {normalise(role)} from {describe(target)}.", receipt, as_json)


@participant.command()
@click.argument("address")
@click.option(
    "--reason", required=True, help="Reason code from the catalogue (audit, court-order, fraud, …)."
)
@from_option(required=False)
@json_option
@pass_app
def suspend(app: App, address: str, reason: str, who: str | None, as_json: bool) -> None:
    """Suspend ADDRESS: its actions are refused everywhere until reactivated."""
    target = app.address(address)
    receipt = app.gc.directory.suspend(app.signer(_admin(app, who)), target, reason)
    done(f"Suspended {describe(target)} ({reason}).", receipt, as_json)


@participant.command()
@click.argument("address")
@from_option(required=False)
@json_option
@pass_app
def reactivate(app: App, address: str, who: str | None, as_json: bool) -> None:
    """Lift the suspension of ADDRESS."""
    target = app.address(address)
    receipt = app.gc.directory.reactivate(app.signer(_admin(app, who)), target)
    done(f"Reactivated {describe(target)}.", receipt, as_json)


@participant.command()
@click.argument("address")
@json_option
@pass_app
def show(app: App, address: str, as_json: bool) -> None:
    """Show one participant: kind, district, status and roles."""
    directory = app.gc.directory
    record = directory.get(app.address(address))
    held = directory.roles_of(record.address)
    if as_json:
        print_json({**record.as_dict(), "roles": held})
        return
    click.echo(f"{record.name or '(name not known locally)'}")
    click.echo(f"  address     {record.address}")
    click.echo(f"  kind        {record.kind.name.lower()}")
    click.echo(f"  district    {district_name(record.district)} ({record.district})")
    click.echo(f"  status      {'active' if record.active else 'SUSPENDED'}")
    click.echo(f"  registered  {record.registered_at:%Y-%m-%d %H:%M UTC}")
    click.echo(f"  roles       {', '.join(held) or '-'}")
    click.echo(f"  name hash   {record.name_hash}")


@participant.command("list")
@click.option("--kind", type=click.Choice([k.name.lower() for k in Kind]), help="Only this kind.")
@click.option("--district", help="Only this district (name or code).")
@json_option
@pass_app
def list_(app: App, kind: str | None, district: str | None, as_json: bool) -> None:
    """List every participant."""
    records = app.gc.directory.everyone()
    if kind:
        records = [r for r in records if r.kind == Kind.parse(kind)]
    if district:
        code = parse_district(district)
        records = [r for r in records if r.district == code]
    if as_json:
        print_json([r.as_dict() for r in records])
        return
    table(
        ["name", "address", "kind", "district", "status"],
        [
            [
                r.name or "?",
                r.address,
                r.kind.name.lower(),
                district_name(r.district),
                "active" if r.active else "SUSPENDED",
            ]
            for r in records
        ],
    )
    click.echo(f"{len(records)} participant(s)")


@participant.command()
@json_option
def roles(as_json: bool) -> None:
    """List the role names the contracts declare."""
    names = known_roles()
    if as_json:
        print_json(names)
        return
    for name in names:
        click.echo(name)


@participant.command("register-key")
@from_option()
@json_option
@pass_app
def register_key(app: App, who: str, as_json: bool) -> None:
    """Register the signer's public key so documents can be encrypted to it."""
    from govchain.framework.docstore import public_key_of

    signer = app.signer(who)
    receipt = signer.send(app.gc.directory.register_key_tx(public_key_of(signer.account.key)))
    done(f"Registered the encryption key of {describe(signer.address)}.", receipt, as_json)


@participant.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@from_option(required=False)
@pass_app
def apply(app: App, file: Path, who: str | None) -> None:
    """Register the participants listed in FILE (JSON) and grant their roles; idempotent."""
    specs = load_specs(file)
    result = seed(app.gc.directory, app.signer(_admin(app, who)), specs, app.config.names_file)
    click.echo(
        f"✓ {len(result.registered)} registered, {len(result.granted)} roles granted, "
        f"{result.unchanged} unchanged."
    )
