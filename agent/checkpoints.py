"""Where conversations are kept: SQLite by default, Postgres when a URL is configured.

Both savers are async context managers that own their connection; ``open_checkpointer`` enters
the configured one for the life of the runtime. Tests use ``InMemorySaver`` directly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from config import AgentSettings


class CheckpointerUnavailable(RuntimeError):
    """The configured conversation store cannot be opened."""


@asynccontextmanager
async def open_checkpointer(settings: AgentSettings) -> AsyncIterator[BaseCheckpointSaver]:
    if settings.postgres_url is not None:
        async with _postgres(settings.postgres_url.get_secret_value()) as saver:
            yield saver
        return
    path = settings.checkpoint_path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CheckpointerUnavailable(f"cannot create {path.parent}: {exc}") from exc
    async with AsyncSqliteSaver.from_conn_string(str(path)) as saver:
        yield saver


@asynccontextmanager
async def _postgres(url: str) -> AsyncIterator[BaseCheckpointSaver]:
    # Imported here: psycopg is only needed when Postgres is configured.
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    from psycopg import OperationalError

    try:
        async with AsyncPostgresSaver.from_conn_string(url) as saver:
            await saver.setup()  # creates or migrates the checkpoint tables; idempotent
            yield saver
    except OperationalError as exc:
        raise CheckpointerUnavailable(f"cannot use the Postgres checkpointer: {exc}") from exc
