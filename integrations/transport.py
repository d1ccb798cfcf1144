"""The one HTTP transport every back-office client uses.

One pooled ``httpx.AsyncClient`` per system, and around every call:

- a total time budget (``timeout_s``): retries, backoff and ``Retry-After`` waits included. A
  client method that makes several requests (paging, check-then-write) opens ``budget()`` so
  the whole method shares one deadline; budgets nest and the tightest one wins;
- retries with exponential backoff and full jitter, only for idempotent calls (GET, HEAD, PUT,
  DELETE, or a POST/PATCH the caller marks idempotent because it carries an idempotency key or
  upserts). A ``Retry-After`` is honoured up to ``max_retry_after_s``; a longer one raises
  ``RateLimited`` at once;
- a circuit breaker (``integrations.breaker``) that fails fast with ``CircuitOpen``;
- the system's limit headers, kept as a typed ``LimitSnapshot``;
- one structured log line per attempt (system, method, path, status, attempt, ms).

Product specifics (error bodies, special statuses, limit headers) come from a ``Dialect``.
"""

from __future__ import annotations

import asyncio
import base64
import contextvars
import logging
import random
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from config import TransportSettings
from integrations.breaker import CircuitBreaker
from integrations.dialect import Dialect, LimitSnapshot
from integrations.errors import (
    BadResponse,
    CircuitOpen,
    IntegrationError,
    RateLimited,
    Timeout,
    Unavailable,
)

log = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})

# The loop time by which the current call must be over. A context variable, so that a client
# method's requests (and a token fetch made on their behalf) share their caller's deadline,
# while concurrent tasks each keep their own.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "baton_call_deadline", default=None
)


class Authenticator(Protocol):
    """Supplies auth headers; ``invalidate`` drops a cached token the server said expired."""

    async def headers(self) -> Mapping[str, str]: ...

    def invalidate(self) -> None: ...


@dataclass(frozen=True)
class StaticAuth:
    """Credentials that never expire (API tokens, basic auth)."""

    values: Mapping[str, str]

    async def headers(self) -> Mapping[str, str]:
        return self.values

    def invalidate(self) -> None:
        """Nothing cached: a 401 with static credentials is final."""

    @classmethod
    def basic(cls, user: str, password: str) -> StaticAuth:
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return cls({"Authorization": f"Basic {token}"})

    @classmethod
    def bearer(cls, token: str) -> StaticAuth:
        return cls({"Authorization": f"Bearer {token}"})


@dataclass(frozen=True)
class Reply:
    """A successful answer: status, headers and the decoded JSON body (``None`` when empty)."""

    status: int
    headers: httpx.Headers
    data: Any


@dataclass
class _Call:
    method: str
    url: str
    params: Mapping[str, Any] | None = None
    json: Any = None
    data: Mapping[str, str] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        # Logged instead of the URL: query strings carry SOQL and search terms (customer names).
        return urlsplit(self.url).path


class Transport:
    def __init__(
        self,
        dialect: Dialect,
        base_url: str,
        settings: TransportSettings,
        *,
        auth: Authenticator | None = None,
        http_transport: httpx.AsyncBaseTransport | None = None,
        rng: random.Random | None = None,
    ) -> None:
        """``http_transport`` replaces the network (``httpx.MockTransport`` in unit tests)."""
        self._dialect = dialect
        self._settings = settings
        self._auth = auth
        self._random = rng or random.Random()
        self._client = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(settings.timeout_s, connect=settings.connect_timeout_s),
            headers={"Accept": "application/json"},
            transport=http_transport,
        )
        self.breaker = CircuitBreaker(settings.breaker_failures, settings.breaker_reset_s)
        self.limits: LimitSnapshot | None = None

    @property
    def system(self) -> str:
        return self._dialect.system

    @property
    def base_url(self) -> str:
        return str(self._client.base_url).rstrip("/")

    async def aclose(self) -> None:
        await self._client.aclose()

    @asynccontextmanager
    async def budget(self) -> AsyncIterator[float]:
        """Run the block under this system's time budget (or an enclosing, tighter one)."""
        mine = asyncio.get_running_loop().time() + self._settings.timeout_s
        outer = _deadline.get()
        deadline = mine if outer is None else min(outer, mine)
        token = _deadline.set(deadline)
        try:
            yield deadline
        finally:
            _deadline.reset(token)

    async def get(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET ``url`` and return the decoded body."""
        return (await self.request("GET", url, params=params)).data

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        authenticate: bool = True,
    ) -> Reply:
        """One call: attempts, waits and breaker bookkeeping, all within the time budget.

        ``idempotent`` defaults from the method; pass ``True`` for a POST/PATCH that is safe to
        repeat. ``authenticate=False`` sends no auth headers (token requests).
        """
        method = method.upper()
        call = _Call(method, url, params, json, data, dict(headers or {}))
        retryable = idempotent if idempotent is not None else method in IDEMPOTENT_METHODS
        if not self.breaker.allow():
            raise CircuitOpen(
                self.system,
                f"circuit open after repeated failures; next trial in "
                f"{self.breaker.retry_in_s():.1f}s",
            )
        try:
            async with self.budget() as deadline, asyncio.timeout_at(deadline):
                reply = await self._attempts(call, retryable, authenticate, deadline)
        except TimeoutError:
            self.breaker.record_failure()
            raise Timeout(
                self.system, f"{method} {call.path}: no answer within the call's time budget"
            ) from None
        except IntegrationError as error:
            if isinstance(error, Unavailable | BadResponse):
                self.breaker.record_failure()
            else:  # the system answered sensibly; it is the request that was refused
                self.breaker.record_success()
            raise
        except BaseException:
            self.breaker.record_abandoned()
            raise
        self.breaker.record_success()
        return reply

    async def _attempts(
        self, call: _Call, retryable: bool, authenticate: bool, deadline: float
    ) -> Reply:
        attempt = retries = 0
        refreshed = False
        while True:
            attempt += 1
            try:
                return await self._attempt(call, attempt, authenticate)
            except IntegrationError as error:
                auth = self._auth if authenticate and not refreshed else None
                if auth is not None and self._dialect.session_expired(error):
                    # The server rejected the token before running the request, so even a
                    # non-idempotent call may go again, once, with a fresh token; this does
                    # not use up a retry.
                    refreshed = True
                    auth.invalidate()
                    continue
                delay = self._retry_delay(error, retries, retryable, deadline)
                if delay is None:
                    raise
                log.info(
                    "%s: %s %s failed (%s); retrying in %.2fs",
                    self.system,
                    call.method,
                    call.path,
                    error.message,
                    delay,
                )
                retries += 1
                await asyncio.sleep(delay)

    def _retry_delay(
        self, error: IntegrationError, retries: int, retryable: bool, deadline: float
    ) -> float | None:
        """Seconds to wait before retry number ``retries + 1``, or ``None`` to give up."""
        settings = self._settings
        if not retryable or retries >= settings.retries:
            return None
        if isinstance(error, RateLimited):
            if error.retry_after is None or error.retry_after > settings.max_retry_after_s:
                return None
            delay = error.retry_after
        elif isinstance(error, Unavailable):
            # Full jitter: uniform over [0, capped exponential] spreads out synchronized clients.
            cap = min(settings.backoff_max_s, settings.backoff_base_s * 2**retries)
            delay = self._random.uniform(0, cap)
        else:
            return None
        # A wait that would outlive the budget only turns a meaningful error into a timeout.
        if asyncio.get_running_loop().time() + delay >= deadline:
            return None
        return delay

    async def _attempt(self, call: _Call, attempt: int, authenticate: bool) -> Reply:
        headers = dict(call.headers)
        if authenticate and self._auth is not None:
            headers.update(await self._auth.headers())
        started = time.perf_counter()
        status: int | str = "abandoned"  # cancelled, e.g. by the call's deadline
        try:
            response = await self._client.request(
                call.method,
                call.url,
                params=call.params,
                json=call.json,
                data=call.data,
                headers=headers,
            )
            status = response.status_code
        except httpx.TransportError as exc:
            # Connect/read timeouts included: each attempt may fail alone, the budget is total.
            status = type(exc).__name__
            message = f"{call.method} {call.path}: {type(exc).__name__} {exc}".strip()
            raise Unavailable(self.system, message) from exc
        finally:
            self._log(call, status, attempt, started)
        self.limits = self._dialect.limits(response.headers) or self.limits
        if not response.is_success:
            raise self._dialect.classify(response, self._dialect.error_detail(response))
        return Reply(response.status_code, response.headers, self._decode(call, response))

    def _decode(self, call: _Call, response: httpx.Response) -> Any:
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise BadResponse(
                self.system,
                f"{call.method} {call.path}: body is not JSON: {response.text[:120]!r}",
                response.status_code,
            ) from exc

    def _log(self, call: _Call, status: int | str, attempt: int, started: float) -> None:
        ms = (time.perf_counter() - started) * 1000
        # Every call at DEBUG (``--log-level DEBUG``); retries and failures are logged at INFO.
        log.debug(
            "%s %s %s -> %s (attempt %d, %.0f ms)",
            self.system,
            call.method,
            call.path,
            status,
            attempt,
            ms,
            extra={
                "system": self.system,
                "method": call.method,
                "path": call.path,
                "status": status,
                "attempt": attempt,
                "ms": round(ms, 1),
            },
        )
