"""A circuit breaker: stop calling a system that keeps failing, then probe it with one call.

closed ──(``failures`` consecutive failed calls)──▶ open ──(``reset_s`` later)──▶ half-open
half-open lets exactly one trial call through: success closes the breaker, failure reopens it.

The breaker counts *calls*, not HTTP attempts: a call that succeeds on its second attempt is a
success, a call that fails after its retries is one failure.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(
        self, failures: int, reset_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._threshold = failures
        self._reset_s = reset_s
        self._clock = clock
        self._state = BreakerState.CLOSED
        self._consecutive = 0
        self._opened_at = 0.0
        self._trial_in_flight = False

    @property
    def state(self) -> BreakerState:
        if self._state is BreakerState.OPEN and self.retry_in_s() == 0:
            return BreakerState.HALF_OPEN
        return self._state

    def retry_in_s(self) -> float:
        """Seconds until an open breaker lets a trial call through (0 when not open)."""
        if self._state is not BreakerState.OPEN:
            return 0.0
        return max(0.0, self._opened_at + self._reset_s - self._clock())

    def allow(self) -> bool:
        """May a call start now? A ``True`` must be followed by one of the ``record_*`` calls."""
        if self.state is BreakerState.OPEN:
            return False
        if self.state is BreakerState.HALF_OPEN:
            if self._trial_in_flight:
                return False
            self._state = BreakerState.HALF_OPEN
            self._trial_in_flight = True
        return True

    def record_success(self) -> None:
        self._state = BreakerState.CLOSED
        self._consecutive = 0
        self._trial_in_flight = False

    def record_failure(self) -> None:
        self._consecutive += 1
        if self._state is BreakerState.HALF_OPEN or self._consecutive >= self._threshold:
            self._state = BreakerState.OPEN
            self._opened_at = self._clock()
        self._trial_in_flight = False

    def record_abandoned(self) -> None:
        """The call ended without a verdict on the system (e.g. the caller cancelled it)."""
        self._trial_in_flight = False
