"""Serving at scale: one checkpoint write per turn, a SQLite store several processes can share,
and ``baton serve --workers 2`` end to end (the demo sandbox in the parent, threads that carry
on whichever worker answers)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver

from agent.checkpoints import open_checkpointer
from api import create_app
from channels.runtime import ChannelRuntime, open_runtime
from config import AgentSettings, Settings
from sandbox.server import EmbeddedSandbox
from tests.api.conftest import STAFF
from tests.api.support import ScriptedModel, channel_settings, sse_events

REPO = Path(__file__).resolve().parents[2]
STARTUP_S = 90.0  # two workers import the agent on two busy cores


class CountingSaver(InMemorySaver):
    """Counts checkpoint writes (``put``) and pending-write batches (``put_writes``)."""

    def __init__(self) -> None:
        super().__init__()
        self.puts = 0
        self.write_batches = 0

    async def aput(self, config: RunnableConfig, *args: Any, **kwargs: Any) -> RunnableConfig:
        self.puts += 1
        return await super().aput(config, *args, **kwargs)

    async def aput_writes(self, config: RunnableConfig, *args: Any, **kwargs: Any) -> None:
        self.write_batches += 1
        await super().aput_writes(config, *args, **kwargs)


@pytest.fixture
def counted(channel_sandbox: EmbeddedSandbox) -> Iterator[tuple[TestClient, CountingSaver]]:
    saver = CountingSaver()

    @asynccontextmanager
    async def factory(settings: Settings) -> AsyncIterator[ChannelRuntime]:
        async with open_runtime(
            settings,
            clock=lambda: channel_sandbox.ctx.now,
            checkpointer=saver,
            model=ScriptedModel(),
        ) as runtime:
            yield runtime

    with TestClient(create_app(channel_settings(channel_sandbox), factory)) as client:
        yield client, saver


def test_a_turn_is_checkpointed_once_and_the_thread_remembers_it(
    counted: tuple[TestClient, CountingSaver],
) -> None:
    client, saver = counted
    first = client.post("/v1/chat", json={"message": "Acme Bakery LLC"}, headers=STAFF).json()
    assert (saver.puts, saver.write_batches) == (1, 0)  # a tool round, written once at the end

    follow = {"message": "Northwind Traders", "thread_id": first["thread_id"]}
    streamed = client.post("/v1/chat/stream", json=follow, headers=STAFF)
    done = [data for name, data in sse_events(streamed.text) if name == "done"]
    assert done and saver.puts == 2
    again = client.post("/v1/chat", json=follow, headers=STAFF).json()
    assert again["answer"].endswith("(turn 3)")  # both earlier turns are in the thread


async def test_the_sqlite_store_is_ready_for_several_processes(tmp_path: Path) -> None:
    settings = AgentSettings(checkpoint_path=tmp_path / "checkpoints.sqlite")
    async with open_checkpointer(settings) as saver:
        pragmas = {}
        for name in ("journal_mode", "synchronous", "busy_timeout"):
            async with saver.conn.execute(f"PRAGMA {name}") as cursor:  # type: ignore[attr-defined]
                pragmas[name] = (await cursor.fetchone())[0]
    assert pragmas == {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 10_000}


# --- baton serve --workers 2 -----------------------------------------------------------------


def _serve_env(tmp_path: Path) -> dict[str, str]:
    """No back office configured (embedded demo), conversations in ``tmp_path``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BATON_")}
    env.update(
        BATON_AGENT__CHECKPOINT_PATH=str(tmp_path / "checkpoints.sqlite"),
        BATON_AGENT__KNOWLEDGE="false",
        BATON_LOG_LEVEL="INFO",
    )
    return env


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _workers(pid: int) -> list[int]:
    """The serving processes uvicorn spawned (multiprocessing also starts a resource tracker)."""
    return [
        c
        for c in _children(pid)
        if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()
        and b"resource_tracker" not in Path(f"/proc/{c}/cmdline").read_bytes()
    ]


def _url_from_banner(proc: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + STARTUP_S
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            pytest.fail(f"baton serve exited with {proc.wait()} before serving")
        if line.startswith("Baton is serving on "):
            return line.split()[4]
    pytest.fail(f"baton serve did not start within {STARTUP_S} s")


def _ask(url: str, message: str, thread_id: str | None = None) -> dict[str, Any]:
    # A connection per request: the kernel hands each one to whichever worker accepts it.
    body = {"message": message, **({"thread_id": thread_id} if thread_id else {})}
    headers = {"Authorization": "Bearer baton-demo-staff-key"}
    response = httpx.post(f"{url}/v1/chat", json=body, headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def _stop(proc: subprocess.Popen[str], workers: Sequence[int]) -> None:
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0
    assert not [w for w in workers if Path(f"/proc/{w}").exists()], "workers outlived the parent"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_serve_with_two_workers_shares_threads_and_one_sandbox(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--port", "0", "--workers", "2"],
        cwd=REPO,
        env=_serve_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
    )
    workers: list[int] = []
    try:
        url = _url_from_banner(proc)
        workers = _workers(proc.pid)
        assert len(workers) == 2

        first = _ask(url, "Where is Acme Bakery LLC in onboarding?")
        assert "Acme Bakery LLC" in first["answer"]
        for _ in range(4):  # each follow-up needs the thread, wherever it was written
            follow = _ask(url, "who holds it?", first["thread_id"])
            assert "Acme Bakery LLC" in follow["answer"], follow["answer"]

        assert httpx.get(f"{url}/readyz", timeout=30).json()["ready"]
        _stop(proc, workers)
        # Logged at INFO by whichever process starts a sandbox: the parent, and only it.
        assert log.read_text().count("No back-office URLs configured") == 1
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
