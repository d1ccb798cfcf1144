"""Conversations survive the process: SQLite by default, Postgres when configured."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from pydantic import SecretStr

from agent.checkpoints import CheckpointerUnavailable, open_checkpointer
from agent.runtime import open_agent
from config import AgentSettings
from sandbox.server import EmbeddedSandbox
from tests.agent.scripted import STAFF, ScriptedChatModel, call, demo_settings, tool_round_then_echo

POSTGRES_URL = os.environ.get(
    "BATON_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def _model() -> ScriptedChatModel:
    return ScriptedChatModel(
        script=tool_round_then_echo(call("get_journey", customer="Acme Bakery LLC"))
    )


async def _ask_in_two_sessions(sandbox: EmbeddedSandbox, **agent_settings: object) -> list[str]:
    """Ask once, close everything, reopen and follow up: the questions the model then sees."""
    settings = demo_settings(sandbox, **agent_settings)
    now = sandbox.app.state.world.now
    thread_id = f"t-{uuid.uuid4().hex}"
    async with open_agent(settings, clock=lambda: now, model=_model()) as agent:
        await agent.ask("where is acme bakery?", principal=STAFF, thread_id=thread_id)
    second = _model()
    async with open_agent(settings, clock=lambda: now, model=second) as agent:
        await agent.ask("and now?", principal=STAFF, thread_id=thread_id)
    return [m.text for m in second.conversations[0] if m.type == "human"]


async def test_sqlite_is_the_default_and_persists(demo_sandbox: EmbeddedSandbox, tmp_path: Path):
    path = tmp_path / "nested" / "checkpoints.sqlite"
    questions = await _ask_in_two_sessions(demo_sandbox, checkpoint_path=path)

    assert questions == ["where is acme bakery?", "and now?"]
    assert path.exists()


async def _postgres_reachable() -> bool:
    from psycopg import AsyncConnection, OperationalError

    try:
        connection = await AsyncConnection.connect(POSTGRES_URL, connect_timeout=2)
    except OperationalError:
        return False
    await connection.close()
    return True


async def test_postgres_when_a_url_is_configured(demo_sandbox: EmbeddedSandbox, tmp_path: Path):
    if not await _postgres_reachable():
        pytest.skip(f"no Postgres at {POSTGRES_URL}")
    sqlite_path = tmp_path / "unused.sqlite"
    questions = await _ask_in_two_sessions(
        demo_sandbox, postgres_url=SecretStr(POSTGRES_URL), checkpoint_path=sqlite_path
    )

    assert questions == ["where is acme bakery?", "and now?"]
    assert not sqlite_path.exists()


async def test_an_unreachable_postgres_is_a_clear_error():
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    settings = AgentSettings(postgres_url=SecretStr("postgresql://nobody@127.0.0.1:9/none"))
    with pytest.raises(CheckpointerUnavailable, match="Postgres"):
        async with open_checkpointer(settings):
            pass
