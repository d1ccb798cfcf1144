"""Slack delivers an event again when it did not see a quick 200 (``X-Slack-Retry-Num``); the
same ``event_id`` must never produce a second answer. Remembered per process for an hour, which
covers Slack's retry schedule (three retries within minutes)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

SEEN_TTL_S = 3_600.0
MAX_SEEN = 50_000


class SeenEvents:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, event_id: str) -> bool:
        """True the first time ``event_id`` is offered (and remembers it), False afterwards."""
        now = self._clock()
        while self._seen and (
            len(self._seen) >= MAX_SEEN or next(iter(self._seen.values())) < now - SEEN_TTL_S
        ):
            self._seen.popitem(last=False)
        if event_id in self._seen:
            return False
        self._seen[event_id] = now
        return True
