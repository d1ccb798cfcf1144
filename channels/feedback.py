"""Feedback on answers (the 👍 / 👎 buttons), kept with the answer it rates.

One JSON line per vote, appended to a file (``BATON_SLACK__FEEDBACK_FILE``): the answer text,
its conversation and who voted — enough to review bad answers later or to build eval cases.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field


class FeedbackRecord(BaseModel):
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    vote: Literal["up", "down"]
    user: str = Field(description="The Slack user who voted.")
    thread_id: str = Field(description="The conversation (checkpoint thread) of the answer.")
    message_ref: str | None = Field(None, description="Slack channel/ts of the answer message.")
    answer: str = Field(description="The answer as the user saw it.")


class FeedbackLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = asyncio.Lock()

    async def record(self, record: FeedbackRecord) -> None:
        line = record.model_dump_json() + "\n"
        async with self._lock:  # whole lines only, even with votes arriving together
            await asyncio.to_thread(self._append, line)

    def _append(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(line)
