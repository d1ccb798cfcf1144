"""Zendesk's per-minute request budget, with its headers and 429 answer."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from sandbox.middleware import with_headers
from sandbox.zendesk.errors import rate_limited_response

WINDOW_S = 60.0


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    retry_after: int


class SlidingWindow:
    """At most ``limit`` requests in any ``WINDOW_S`` seconds of wall-clock time.

    A sliding log rather than fixed minute buckets, so a burst straddling a minute boundary
    cannot get twice the budget (and tests do not depend on where in the minute they run).
    Only the event loop calls ``hit``, so no lock is needed.
    """

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._hits: deque[float] = deque()

    def hit(self) -> Decision:
        now = self._clock()
        while self._hits and self._hits[0] <= now - WINDOW_S:
            self._hits.popleft()
        if len(self._hits) >= self.limit:
            wait = self._hits[0] + WINDOW_S - now
            return Decision(False, 0, max(1, math.ceil(wait)))
        self._hits.append(now)
        return Decision(True, self.limit - len(self._hits), 0)


def install_rate_limit(app: FastAPI, limit: int) -> None:
    app.add_middleware(RateLimit, window=SlidingWindow(limit))


class RateLimit:
    """Pure-ASGI layer: the 429 once the window is spent, and the budget headers on every
    answer."""

    def __init__(self, app: ASGIApp, window: SlidingWindow) -> None:
        self.app = app
        self.window = window

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        decision = self.window.hit()
        headers = {
            "X-Rate-Limit": str(self.window.limit),
            "X-Rate-Limit-Remaining": str(decision.remaining),
        }
        answer = self.app if decision.allowed else rate_limited_response(decision.retry_after)
        await answer(scope, receive, with_headers(send, lambda: headers))
