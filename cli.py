"""The ``baton`` command.

A thin channel: each command parses its options, builds what it needs from ``config`` and hands
off to the layer that does the work. Commands that need the back office go through
``sandbox.embedded.backoffice_settings``, which runs the demo sandbox in-process when no
back-office URL is configured.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from config import DEMO_WORLD, get_settings

app = typer.Typer(
    name="baton",
    help="Baton: where is this customer, what is next, who holds it, what is blocking.",
    no_args_is_help=True,
    add_completion=False,
)


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    # httpx logs every request at INFO; Baton's transport logs calls itself.
    logging.getLogger("httpx").setLevel(logging.WARNING)


@app.callback()
def _root(
    log_level: Annotated[
        str | None, typer.Option("--log-level", help="DEBUG, INFO, WARNING… (BATON_LOG_LEVEL)")
    ] = None,
) -> None:
    _setup_logging(log_level or get_settings().log_level)


def _fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code=2)


@app.command()
def sandbox(
    world: Annotated[Path, typer.Option(help="World directory to load.")] = DEMO_WORLD,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 picks a free one).")] = 8700,
    db: Annotated[
        Path | None, typer.Option(help="SQLite file; reused across restarts for the same world.")
    ] = None,
    fault: Annotated[
        list[str] | None,
        typer.Option(help="SYSTEM:SPEC, e.g. zendesk:latency=100 (repeatable; docs/sandbox.md)."),
    ] = None,
) -> None:
    """Serve the sandbox back office: /salesforce, /zendesk, /kyc and /pos on one port."""
    from sandbox.context import SandboxOptions
    from sandbox.faults import FaultError, FaultSpec
    from sandbox.server import SYSTEMS, EmbeddedSandbox
    from sandbox.world import WorldError

    options = SandboxOptions()
    for item in fault or []:
        system, _, spec = item.partition(":")
        if system not in SYSTEMS:
            raise _fail(f"--fault {item!r}: unknown system {system!r} ({', '.join(SYSTEMS)})")
        try:
            options.faults[system] = FaultSpec.parse(spec)
        except FaultError as exc:
            raise _fail(f"--fault {item!r}: {exc}") from exc
    try:
        server = EmbeddedSandbox(world, db, options, host=host, port=port)
    except WorldError as exc:
        raise _fail(f"cannot load world {world}: {exc}") from exc
    try:
        server.start()
    except RuntimeError as exc:
        raise _fail(f"{exc} (is port {port} already in use?)") from exc
    info = server.app.state.world
    typer.echo(f"Sandbox world {info.name!r} (now = {info.now:%Y-%m-%d %H:%M}Z) on {server.url}")
    for name in SYSTEMS:
        typer.echo(f"  {name:<10} {server.system_url(name)}")
    typer.echo("Ctrl-C to stop.", err=True)
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
