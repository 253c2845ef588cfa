"""``govchain web``: serve the public verification page (read-only; no key)."""

from __future__ import annotations

import errno
import socket

import click

from govchain.cli.common import App, pass_app
from govchain.errors import InputError


@click.command("web")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8700, show_default=True, type=click.IntRange(1, 65535), help="Port."
)
@click.option(
    "--timeline/--no-timeline",
    default=True,
    show_default=True,
    help="Offer case items' timelines (to whoever knows an item's reference).",
)
@pass_app
def web(app: App, host: str, port: int, timeline: bool) -> None:
    """Serve the verification page: anyone drops a certificate, licence or bill and sees each
    check, or follows a case item's steps. Reads the chain only (point --rpc-url at a read-only
    endpoint); never asks for a key. Ctrl-C stops it."""
    from govchain.client import GovChain

    GovChain.connect(app.config)  # the chain and address book answer before anyone is told
    _check_free(host, port)

    import uvicorn

    from govchain.web.app import Backend, create_app

    backend = Backend(lambda: GovChain.connect(app.config), timeline=timeline)
    click.echo(
        f"Verification page on http://{host}:{port}/ (chain {app.config.rpc_url}, read only). "
        "Ctrl-C stops it.",
        err=True,
    )
    uvicorn.run(create_app(backend), host=host, port=port, log_level="warning", access_log=False)


def _check_free(host: str, port: int) -> None:
    """Refuse in one line a port another program holds (uvicorn would log a traceback)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise InputError(f"Cannot listen on '{host}': not an address of this machine.") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise InputError(
                    f"Port {port} is in use on {host}: choose another with --port."
                ) from None
            raise InputError(f"Cannot listen on {host}:{port}: {exc.strerror}.") from None
