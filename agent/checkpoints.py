"""Where conversations are kept: SQLite by default, Postgres when a URL is configured.

Both savers are async context managers that own their connection; ``open_checkpointer`` enters
the configured one for the life of the runtime. Tests use ``InMemorySaver`` directly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite
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
    async with _sqlite(path) as saver:
        yield saver


# WAL: readers never wait for the writer, and several processes (``baton serve --workers N``)
# can share the file. synchronous=NORMAL: in WAL mode a commit survives a crash of the process
# and is fsynced at the next WAL checkpoint rather than on every commit — a power cut may lose
# the last answers' history, never corrupt the file. busy_timeout: another process holding the
# write lock is waited for instead of failing the write with "database is locked".
SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=10000")


@asynccontextmanager
async def _sqlite(path: Path) -> AsyncIterator[BaseCheckpointSaver]:
    async with aiosqlite.connect(path) as connection:
        for pragma in SQLITE_PRAGMAS:
            await connection.execute(f"PRAGMA {pragma}")
        saver = AsyncSqliteSaver(connection)
        await saver.setup()  # creates the tables once, not on the first request
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
