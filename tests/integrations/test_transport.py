"""Unit tests of the shared transport over ``httpx.MockTransport`` (no network)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from config import TransportSettings
from integrations.breaker import BreakerState
from integrations.dialect import Dialect, parse_retry_after
from integrations.errors import (
    AuthError,
    BadResponse,
    CircuitOpen,
    IntegrationError,
    InvalidRequest,
    NotFound,
    RateLimited,
    Timeout,
    Unavailable,
)
from integrations.transport import StaticAuth, Transport

Handler = Callable[[httpx.Request], Awaitable[httpx.Response]]

FAST = TransportSettings(
    timeout_s=1.0,
    connect_timeout_s=0.5,
    retries=2,
    backoff_base_s=0.01,
    backoff_max_s=0.02,
    max_retry_after_s=0.5,
    breaker_failures=3,
    breaker_reset_s=0.2,
)


class Recorder:
    """A mock server: answers with ``responses`` in turn (the last one repeats) and counts."""

    def __init__(self, *responses: httpx.Response | Exception, delay_s: float = 0.0) -> None:
        self.responses = list(responses)
        self.delay_s = delay_s
        self.requests: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        answer = self.responses[min(len(self.requests), len(self.responses)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    @property
    def calls(self) -> int:
        return len(self.requests)


MakeTransport = Callable[..., Transport]


@pytest.fixture
async def make_transport() -> AsyncIterator[MakeTransport]:
    made: list[Transport] = []

    def make(
        handler: Handler,
        settings: TransportSettings = FAST,
        dialect: Dialect | None = None,
        **kwargs: object,
    ) -> Transport:
        transport = Transport(
            dialect or Dialect(),
            "http://backoffice.test/api",
            settings,
            http_transport=httpx.MockTransport(handler),
            **kwargs,  # type: ignore[arg-type]
        )
        made.append(transport)
        return transport

    yield make
    for transport in made:
        await transport.aclose()


def ok(body: object = None) -> httpx.Response:
    return httpx.Response(200, json=body if body is not None else {"ok": True})


def status(code: int, **headers: str) -> httpx.Response:
    return httpx.Response(code, json={"message": "nope"}, headers=headers)


# -- retries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "HEAD"])
async def test_idempotent_methods_are_retried_then_unavailable(
    make_transport: MakeTransport, method: str
) -> None:
    server = Recorder(status(503))
    with pytest.raises(Unavailable) as info:
        await make_transport(server).request(method, "/thing")
    assert server.calls == FAST.retries + 1
    assert info.value.status == 503


@pytest.mark.parametrize("method", ["POST", "PATCH"])
async def test_non_idempotent_methods_are_not_retried(
    make_transport: MakeTransport, method: str
) -> None:
    server = Recorder(status(500))
    with pytest.raises(Unavailable):
        await make_transport(server).request(method, "/thing", json={})
    assert server.calls == 1


async def test_post_marked_idempotent_is_retried_and_can_succeed(
    make_transport: MakeTransport,
) -> None:
    server = Recorder(status(502), httpx.ConnectError("refused"), ok({"id": 7}))
    reply = await make_transport(server).request("POST", "/thing", json={}, idempotent=True)
    assert reply.data == {"id": 7}
    assert server.calls == 3


async def test_connect_errors_are_unavailable(make_transport: MakeTransport) -> None:
    server = Recorder(httpx.ConnectError("connection refused"))
    with pytest.raises(Unavailable, match="ConnectError"):
        await make_transport(server).get("/thing")
    assert server.calls == FAST.retries + 1


async def test_backoff_is_bounded_by_backoff_max(make_transport: MakeTransport) -> None:
    settings = FAST.model_copy(update={"retries": 4, "backoff_base_s": 0.05, "backoff_max_s": 0.06})
    server = Recorder(status(503))
    started = time.monotonic()
    with pytest.raises(Unavailable):
        await make_transport(server, settings).get("/thing")
    # Full jitter: each wait is uniform in [0, min(max, base * 2^n)] → at most 0.05 + 3 * 0.06.
    assert time.monotonic() - started < 0.05 + 3 * 0.06 + 0.15
    assert server.calls == 5


# -- Retry-After -----------------------------------------------------------------------------


async def test_retry_after_is_honoured(make_transport: MakeTransport) -> None:
    server = Recorder(status(429, **{"Retry-After": "0.2"}), ok())
    started = time.monotonic()
    await make_transport(server).get("/thing")
    assert time.monotonic() - started >= 0.2
    assert server.calls == 2


async def test_retry_after_too_long_raises_rate_limited_at_once(
    make_transport: MakeTransport,
) -> None:
    server = Recorder(status(429, **{"Retry-After": "30"}))
    started = time.monotonic()
    with pytest.raises(RateLimited) as info:
        await make_transport(server).get("/thing")
    assert info.value.retry_after == 30
    assert server.calls == 1
    assert time.monotonic() - started < 0.2


async def test_rate_limit_without_retry_after_is_not_retried(
    make_transport: MakeTransport,
) -> None:
    server = Recorder(status(429))
    with pytest.raises(RateLimited) as info:
        await make_transport(server).get("/thing")
    assert info.value.retry_after is None
    assert server.calls == 1


async def test_retry_after_beyond_the_budget_is_not_waited_for(
    make_transport: MakeTransport,
) -> None:
    settings = FAST.model_copy(update={"timeout_s": 0.3, "max_retry_after_s": 5})
    server = Recorder(status(429, **{"Retry-After": "1"}))
    started = time.monotonic()
    with pytest.raises(RateLimited):
        await make_transport(server, settings).get("/thing")
    assert time.monotonic() - started < 0.2


def test_retry_after_accepts_an_http_date() -> None:
    when = datetime.now(UTC) + timedelta(seconds=30)
    headers = httpx.Headers({"Retry-After": format_datetime(when, usegmt=True)})
    assert 28 <= (parse_retry_after(headers) or 0) <= 30
    assert parse_retry_after(httpx.Headers({"Retry-After": "soon"})) is None
    assert parse_retry_after(httpx.Headers({"Retry-After": "7"})) == 7


# -- the time budget -------------------------------------------------------------------------


async def test_a_hanging_server_times_out_within_the_budget(make_transport: MakeTransport) -> None:
    settings = FAST.model_copy(update={"timeout_s": 0.3})
    server = Recorder(ok(), delay_s=5)
    started = time.monotonic()
    with pytest.raises(Timeout):
        await make_transport(server, settings).get("/thing")
    assert time.monotonic() - started < 0.3 + 0.1


async def test_retries_never_outlive_the_budget(make_transport: MakeTransport) -> None:
    settings = FAST.model_copy(
        update={"timeout_s": 0.35, "retries": 10, "backoff_base_s": 0.1, "backoff_max_s": 0.1}
    )
    server = Recorder(status(503), delay_s=0.1)
    started = time.monotonic()
    with pytest.raises(Unavailable):
        await make_transport(server, settings).get("/thing")
    assert time.monotonic() - started < 0.35 + 0.1


async def test_a_budget_spans_every_request_inside_it(make_transport: MakeTransport) -> None:
    settings = FAST.model_copy(update={"timeout_s": 0.5})
    transport = make_transport(Recorder(ok(), delay_s=0.3), settings)
    started = time.monotonic()
    with pytest.raises(Timeout):
        async with transport.budget():
            await transport.get("/page/1")
            await transport.get("/page/2")
    assert time.monotonic() - started < 0.5 + 0.1


# -- circuit breaker -------------------------------------------------------------------------


async def _fail_until_open(transport: Transport) -> None:
    for _ in range(FAST.breaker_failures):
        with pytest.raises(Unavailable):
            await transport.get("/thing")


async def test_breaker_opens_after_consecutive_failed_calls(make_transport: MakeTransport) -> None:
    server = Recorder(status(500))
    transport = make_transport(server)
    await _fail_until_open(transport)
    calls = server.calls
    assert transport.breaker.state is BreakerState.OPEN
    with pytest.raises(CircuitOpen):
        await transport.get("/thing")
    assert server.calls == calls  # failed fast, nothing sent


async def test_half_open_trial_success_closes_the_breaker(make_transport: MakeTransport) -> None:
    server = Recorder(*[status(500)] * (FAST.breaker_failures * (FAST.retries + 1)), ok())
    transport = make_transport(server)
    await _fail_until_open(transport)
    await asyncio.sleep(FAST.breaker_reset_s)
    assert transport.breaker.state is BreakerState.HALF_OPEN
    await transport.get("/thing")
    assert transport.breaker.state is BreakerState.CLOSED


async def test_half_open_lets_one_trial_through_and_reopens_on_failure(
    make_transport: MakeTransport,
) -> None:
    server = Recorder(status(500))
    transport = make_transport(server)
    await _fail_until_open(transport)
    await asyncio.sleep(FAST.breaker_reset_s)
    server.delay_s = 0.05
    results = await asyncio.gather(
        transport.get("/trial"), transport.get("/second"), return_exceptions=True
    )
    assert isinstance(results[0], Unavailable) and not isinstance(results[0], CircuitOpen)
    assert isinstance(results[1], CircuitOpen)
    assert transport.breaker.state is BreakerState.OPEN


@pytest.mark.parametrize("code", [404, 422])
async def test_refusals_do_not_trip_the_breaker(make_transport: MakeTransport, code: int) -> None:
    transport = make_transport(Recorder(status(code)))
    for _ in range(FAST.breaker_failures + 1):
        with pytest.raises((NotFound, InvalidRequest)):
            await transport.get("/thing")
    assert transport.breaker.state is BreakerState.CLOSED


async def test_malformed_bodies_trip_the_breaker(make_transport: MakeTransport) -> None:
    transport = make_transport(Recorder(httpx.Response(200, text='{"truncated": [1, 2')))
    for _ in range(FAST.breaker_failures):
        with pytest.raises(BadResponse):
            await transport.get("/thing")
    assert transport.breaker.state is BreakerState.OPEN


# -- classification, auth, logging -----------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (400, InvalidRequest),
        (401, AuthError),
        (403, AuthError),
        (404, NotFound),
        (409, InvalidRequest),
        (422, InvalidRequest),
        (500, Unavailable),
        (504, Unavailable),
    ],
)
async def test_statuses_map_to_typed_errors(
    make_transport: MakeTransport, code: int, error: type[IntegrationError]
) -> None:
    with pytest.raises(error) as info:
        await make_transport(Recorder(status(code))).request("POST", "/thing")
    assert type(info.value) is error
    assert info.value.status == code
    assert info.value.system == "http"


async def test_a_body_that_is_not_json_is_a_bad_response(make_transport: MakeTransport) -> None:
    server = Recorder(httpx.Response(200, text="<html>maintenance</html>"))
    with pytest.raises(BadResponse, match="not JSON"):
        await make_transport(server).get("/thing")
    assert server.calls == 1


class _ExpiringSession:
    """An authenticator whose token the server rejects until it is refreshed."""

    def __init__(self) -> None:
        self.generation = 1

    async def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer token-{self.generation}"}

    def invalidate(self) -> None:
        self.generation += 1


class _SessionDialect(Dialect):
    def session_expired(self, error: IntegrationError) -> bool:
        return isinstance(error, AuthError) and error.status == 401


async def test_an_expired_session_is_refreshed_once_even_for_a_post(
    make_transport: MakeTransport,
) -> None:
    async def server(request: httpx.Request) -> httpx.Response:
        fresh = request.headers["Authorization"] == "Bearer token-2"
        return ok({"created": True}) if fresh else status(401)

    auth = _ExpiringSession()
    transport = make_transport(server, dialect=_SessionDialect(), auth=auth)
    reply = await transport.request("POST", "/thing", json={})
    assert reply.data == {"created": True}
    assert auth.generation == 2


async def test_a_session_rejected_twice_is_an_auth_error(make_transport: MakeTransport) -> None:
    server = Recorder(status(401))
    auth = _ExpiringSession()
    transport = make_transport(server, dialect=_SessionDialect(), auth=auth)
    with pytest.raises(AuthError):
        await transport.get("/thing")
    assert server.calls == 2


async def test_static_auth_headers_are_sent(make_transport: MakeTransport) -> None:
    server = Recorder(ok())
    transport = make_transport(server, auth=StaticAuth.basic("user", "secret"))
    await transport.get("/thing")
    assert server.requests[0].headers["Authorization"] == "Basic dXNlcjpzZWNyZXQ="


async def test_each_attempt_is_logged_with_structured_fields(
    make_transport: MakeTransport, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="integrations.transport")
    await make_transport(Recorder(status(503), ok())).get("/thing", params={"q": "Acme"})
    attempts = [r for r in caplog.records if hasattr(r, "attempt")]
    assert [(r.status, r.attempt) for r in attempts] == [(503, 1), (200, 2)]  # type: ignore[attr-defined]
    assert {r.path for r in attempts} == {"/thing"}  # type: ignore[attr-defined]
    assert all("Acme" not in r.getMessage() for r in caplog.records)
