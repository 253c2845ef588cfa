"""Commands every district hub adds to its generated ones: ``catalog`` (the services),
``overdue`` (steps past their deadline) and ``certify`` (issue the service's certificate and
complete the application)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from govchain.cli.common import App, done, from_option, json_option, pass_app, print_json, table
from govchain.errors import InputError
from govchain.files import write_atomic
from govchain.framework.casebase.hub import HubClient
from govchain.inputs import read_json

FilePath = click.Path(dir_okay=False, path_type=Path)


def hub_commands(group: click.Group, case: str) -> None:
    """Add the hub's commands to ``case``'s group."""

    def client(app: App) -> HubClient:
        found = app.gc.case(case)
        assert isinstance(found, HubClient)
        return found

    @click.command("catalog")
    @json_option
    @pass_app
    def catalog(app: App, as_json: bool) -> None:
        """The district's services: departments, deadlines, prerequisites, certificate."""
        rows = client(app).catalogue()
        if as_json:
            print_json(rows)
            return
        table(
            ["service", "departments (days)", "requires", "issues", "on chain"],
            [
                [
                    r["service"],
                    ", ".join(
                        f"{d} ({n})"
                        for d, n in zip(r["departments"], r["deadlineDays"], strict=True)
                    )
                    or "automatic (the contract approves)",
                    ", ".join(r["requires"]) or "-",
                    ", ".join(r["issues"]) or "-",
                    "active" if r["active"] else ("retired" if r["onChain"] else "no"),
                ]
                for r in rows
            ],
        )

    @click.command("overdue")
    @json_option
    @pass_app
    def overdue(app: App, as_json: bool) -> None:
        """Open applications with department steps past their deadline."""
        rows = client(app).overdue()
        if as_json:
            print_json([r.as_dict() for r in rows])
            return
        spec = client(app).spec
        table(
            ["application", "service", "filed", "overdue departments"],
            [
                [
                    "0x" + r.record.id.hex()[:16] + "…",
                    spec.show("service", r.record.fields["service"]),
                    spec.show("filedOn", r.record.fields["filedOn"]),
                    ", ".join(r.departments),
                ]
                for r in rows
            ],
        )
        click.echo(f"{len(rows)} overdue application(s)")

    @click.command("certify")
    @click.argument("reference")
    @click.option("--holder", required=True, help="The applicant's credit code or ID number.")
    @click.option(
        "--fields",
        "fields_file",
        required=True,
        type=FilePath,
        help="JSON fields of the certificate (several types: an object of them by type name).",
    )
    @click.option("--out", required=True, type=FilePath, help="Where to write the certificate(s).")
    @from_option()
    @json_option
    @pass_app
    def certify(
        app: App, reference: str, holder: str, fields_file: Path, out: Path, who: str,
        as_json: bool,
    ) -> None:  # fmt: skip
        """Issue every certificate of the service together and complete REFERENCE (every
        department approved). Several certificates go to OUT-1.json, OUT-2.json, …"""
        fields = read_json(fields_file, "certificate fields")
        if not isinstance(fields, dict):
            raise InputError(f"{fields_file} must hold a JSON object of the fields.")
        hub = client(app)
        service = hub.service(int(hub.get(reference).fields["service"]))
        targets = _outputs(out, len(service.issues))
        for target in targets:
            if target.exists():
                raise InputError(f"{target} already exists: choose another --out.")
        documents = hub.complete_with_certificates(app.signer(who), reference, fields=fields,
                                                   holder=holder)  # fmt: skip
        for target, document in zip(targets, documents, strict=True):
            write_atomic(target, (json.dumps(document, indent=2) + "\n").encode())
        written = ", ".join(str(t) for t in targets)
        done(f"{reference}: completed" + (f"; certificates in {written}" if documents else ""),
             as_json=as_json, extra={"certificates": [str(t) for t in targets]})  # fmt: skip

    for command in (catalog, overdue, certify):
        group.add_command(command)


def _outputs(out: Path, count: int) -> list[Path]:
    """Where ``count`` certificates go: OUT itself for one, OUT-1.json … for several."""
    if count <= 1:
        return [out][:count]
    return [out.with_name(f"{out.stem}-{n}{out.suffix or '.json'}") for n in range(1, count + 1)]
