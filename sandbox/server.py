"""The sandbox server: every emulator under its prefix, plus a small control API.

``create_app`` builds the ASGI app; ``EmbeddedSandbox`` runs it in a background thread on a
free loopback port (Baton's embedded mode, tests, benchmarks).

Control API (not part of any real system)::

    GET    /_sandbox/info               world name, frozen now, systems, request counts
    PUT    /_sandbox/faults/{system}    body {"spec": "latency=100"}: fault every request
    DELETE /_sandbox/faults/{system}    clear it
    POST   /_sandbox/stats/reset        zero the request counts
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import uvicorn
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from sandbox import kyc, pos, salesforce, zendesk
from sandbox.context import SandboxContext, SandboxOptions
from sandbox.faults import FaultError, FaultSpec
from sandbox.store import Store
from sandbox.world import World, load_world

log = logging.getLogger(__name__)

SYSTEMS: dict[str, Callable[[SandboxContext], FastAPI]] = {
    "salesforce": salesforce.create_app,
    "zendesk": zendesk.create_app,
    "kyc": kyc.create_app,
    "pos": pos.create_app,
}


class FaultBody(BaseModel):
    spec: str


def open_store(world: World, db_path: Path | None) -> Store:
    """Open the sandbox database, (re)loading the world unless the file already holds it.

    A database file that was loaded from the same world keeps the writes made through the APIs
    (tickets, comments, tasks) across restarts; a different or changed world starts afresh.
    """
    if db_path is None:
        db_path = Path(tempfile.mkdtemp(prefix="baton-sandbox-")) / "sandbox.db"
    fingerprint = world.fingerprint()
    store = Store(db_path)
    if store.get_meta("world_fingerprint") == fingerprint:
        log.info("sandbox: reusing %s (world %s)", db_path, world.name)
        return store
    store.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    store = Store(db_path)
    for collection, records in world.collections.items():
        store.load(collection, records)
    store.set_meta("world_fingerprint", fingerprint)
    store.set_meta("world_name", world.name)
    log.info("sandbox: loaded world %s into %s", world.name, db_path)
    return store


def create_app(
    world_dir: Path, db_path: Path | None = None, options: SandboxOptions | None = None
) -> FastAPI:
    world = load_world(world_dir)
    ctx = SandboxContext(
        store=open_store(world, db_path), now=world.now, options=options or SandboxOptions()
    )
    app = FastAPI(
        title=f"Baton sandbox — world {world.name}",
        docs_url="/_sandbox/docs",
        openapi_url="/_sandbox/openapi.json",
    )
    app.state.ctx = ctx
    app.state.world = world
    for name, factory in SYSTEMS.items():
        app.mount(f"/{name}", factory(ctx))

    @app.get("/_sandbox/info")
    def info() -> dict:
        return {
            "world": world.name,
            "now": ctx.now_iso(),
            "systems": list(SYSTEMS),
            "stats": ctx.stats,
            "faults": {k: v.model_dump() for k, v in ctx.options.faults.items()},
        }

    @app.put("/_sandbox/faults/{system}")
    def set_fault(system: str, body: FaultBody) -> dict:
        _known(system)
        try:
            ctx.options.faults[system] = FaultSpec.parse(body.spec)
        except FaultError as exc:
            raise HTTPException(400, str(exc)) from exc
        return {"system": system, "fault": ctx.options.faults[system].model_dump()}

    @app.delete("/_sandbox/faults/{system}")
    def clear_fault(system: str) -> dict:
        _known(system)
        ctx.options.faults.pop(system, None)
        return {"system": system, "fault": None}

    @app.post("/_sandbox/stats/reset")
    def reset_stats() -> dict:
        ctx.stats.clear()
        return {"stats": ctx.stats}

    return app


def _known(system: str) -> None:
    if system not in SYSTEMS:
        raise HTTPException(404, f"unknown system {system!r}; known: {', '.join(SYSTEMS)}")


class EmbeddedSandbox:
    """Run the sandbox in a daemon thread on a free loopback port.

    >>> with EmbeddedSandbox(world_dir) as sb:
    ...     sb.system_url("salesforce")   # 'http://127.0.0.1:PORT/salesforce'
    """

    def __init__(
        self,
        world_dir: Path,
        db_path: Path | None = None,
        options: SandboxOptions | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.app = create_app(world_dir, db_path, options)
        config = uvicorn.Config(
            self.app,
            host=host,
            port=port,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="baton-sandbox", daemon=True)
        self.url = ""

    @property
    def ctx(self) -> SandboxContext:
        return self.app.state.ctx

    def system_url(self, system: str) -> str:
        return f"{self.url}/{system}"

    def start(self, timeout_s: float = 10.0) -> EmbeddedSandbox:
        self._thread.start()
        deadline = time.monotonic() + timeout_s
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the sandbox server did not start")
            time.sleep(0.01)
        host, port = self._server.servers[0].sockets[0].getsockname()[:2]
        self.url = f"http://{host}:{port}"
        return self

    def wait(self) -> None:
        """Block until the server stops (the CLI's foreground mode)."""
        while self._thread.is_alive():
            self._thread.join(timeout=0.5)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)
        self.ctx.store.close()

    def __enter__(self) -> EmbeddedSandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
