"""Serving the HTTP API with uvicorn: in this process, or in N worker processes.

API workers are stateless (DESIGN §7): with ``workers > 1`` the parent binds the listening
socket and uvicorn's ``Multiprocess`` supervisor spawns N processes that accept on it (and
replaces one that dies). Each worker builds its own runtime — back-office clients, journey
caches, agent graph, its own connection to the conversation store — from an ``AppFactory``,
which reaches the worker pickled: the settings the parent resolved (in embedded mode: pointed
at the demo sandbox that the parent runs once) travel through the multiprocessing pipe, never
through the environment or the command line.

What stays per process: rate-limit buckets, the Slack retry de-duplication and the journey
caches (docs/http-api.md, "Several workers").
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

import httpx
import uvicorn
from uvicorn.supervisors import Multiprocess

from config import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

READY_POLL_S = 0.05


@dataclass(frozen=True)
class AppFactory:
    """Builds the API in the process that serves it (uvicorn's ``factory=True``)."""

    settings: Settings
    # The sandbox world's frozen "now" that journeys are judged by; None: the wall clock.
    now: datetime | None = None
    # Run first in each worker, e.g. the CLI's logging set-up: a spawned process starts bare.
    # Must pickle (a module-level function, or a partial of one).
    prepare: Callable[[], None] | None = None

    def __call__(self) -> FastAPI:
        if self.prepare is not None:
            self.prepare()
        # Imported here, not at the top: a worker unpickles this class before uvicorn's
        # liveness pings are answered, and the agent's imports take seconds on a busy machine.
        from api import create_app
        from channels.runtime import open_runtime
        from journeys.service import clock_at

        return create_app(self.settings, partial(open_runtime, clock=clock_at(self.now)))


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before serving so that ``port=0`` can be reported."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


class ApiServer:
    """uvicorn on a bound socket with one worker (this process) or several (subprocesses)."""

    def __init__(self, app: AppFactory, sock: socket.socket, workers: int = 1) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        host, port = sock.getsockname()[:2]
        self.url = f"http://{f'[{host}]' if ':' in host else host}:{port}"
        self.workers = workers
        self._sock = sock
        self._config = uvicorn.Config(app, factory=True, workers=workers, log_level="warning")
        self._server = uvicorn.Server(self._config)
        self._supervisor: Multiprocess | None = None
        self._stopped = threading.Event()

    def run(self) -> None:
        """Serve until stopped (Ctrl-C, SIGTERM or ``stop``); call from the main thread, where
        uvicorn installs its signal handlers."""
        try:
            if self.workers == 1:
                self._server.run(sockets=[self._sock])
            else:
                self._supervisor = Multiprocess(self._config, sockets=[self._sock])
                self._supervisor.run()
        finally:
            self._stopped.set()

    def stop(self) -> None:
        self._server.should_exit = True
        if self._supervisor is not None:
            self._supervisor.should_exit.set()

    def wait_ready(self, timeout_s: float = 120.0) -> bool:
        """True once ``/healthz`` answers (the lifespan has built a runtime); False if the
        server stopped or ``timeout_s`` passed first."""
        deadline = time.monotonic() + timeout_s
        with httpx.Client(base_url=self.url, timeout=1.0) as client:
            while not self._stopped.is_set() and time.monotonic() < deadline:
                try:
                    if client.get("/healthz").status_code == 200:
                        return True
                except httpx.TransportError:
                    pass  # not accepting yet
                time.sleep(READY_POLL_S)
        return False
