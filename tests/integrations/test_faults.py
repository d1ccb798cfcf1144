"""Every sandbox fault against every client, over loopback: the typed error each must become."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from config import Settings, TransportSettings
from integrations.backoffice import BackOffice
from integrations.errors import (
    AuthError,
    BadResponse,
    CircuitOpen,
    RateLimited,
    Timeout,
    Unavailable,
)
from sandbox.server import EmbeddedSandbox
from tests.conftest import MINI_WORLD
from tests.integrations import FAST_TRANSPORT, settings_for

SYSTEMS = ("salesforce", "zendesk", "kyc", "pos")

# One read per system; each needs auth, so a Salesforce call starts with its token request.
PROBES: dict[str, Callable[[BackOffice], Awaitable[Any]]] = {
    "salesforce": lambda office: office.salesforce.account("001000000000001AAA"),
    "zendesk": lambda office: office.zendesk.ticket(5001),
    "kyc": lambda office: office.kyc.application("AP-7Q2M4KX1"),
    "pos": lambda office: office.pos.boarding_application("BA-100231"),
}
# Wrong credentials, per system.
BAD_CREDENTIALS: dict[str, dict[str, Any]] = {
    "salesforce": {"client_secret": SecretStr("wrong")},
    "zendesk": {"api_token": SecretStr("wrong")},
    "kyc": {"workflow_secret": SecretStr("wrong")},
    "pos": {"api_key": SecretStr("sk_test_wrong")},
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[EmbeddedSandbox]:
    """A sandbox of this module's own: faults are set on it system-wide."""
    with EmbeddedSandbox(MINI_WORLD) as sb:
        yield sb


@asynccontextmanager
async def faulted(
    sandbox: EmbeddedSandbox, system: str, spec: str, transport: TransportSettings = FAST_TRANSPORT
) -> AsyncIterator[BackOffice]:
    """A back office whose ``system`` answers every request with the fault ``spec``.

    The client makes one good call first, so a Salesforce fault hits the API with a cached
    token, as it usually would, rather than the token request.
    """
    settings = _with_transport(settings_for(sandbox), transport)
    async with httpx.AsyncClient(base_url=sandbox.url) as control, BackOffice(settings) as office:
        await PROBES[system](office)
        (await control.put(f"/_sandbox/faults/{system}", json={"spec": spec})).raise_for_status()
        sandbox.ctx.stats.clear()
        try:
            yield office
        finally:
            await control.delete(f"/_sandbox/faults/{system}")


def _with_transport(settings: Settings, transport: TransportSettings) -> Settings:
    for system in SYSTEMS:
        setattr(
            settings, system, getattr(settings, system).model_copy(update={"transport": transport})
        )
    return settings


def requests_to(sandbox: EmbeddedSandbox, system: str) -> int:
    return sandbox.ctx.stats.get(system, 0)


@pytest.mark.parametrize("system", SYSTEMS)
async def test_latency_within_the_budget_is_fine(sandbox: EmbeddedSandbox, system: str) -> None:
    async with faulted(sandbox, system, "latency=150") as office:
        started = time.monotonic()
        await PROBES[system](office)
        assert 0.15 <= time.monotonic() - started < FAST_TRANSPORT.timeout_s


@pytest.mark.parametrize("status", [500, 503])
@pytest.mark.parametrize("system", SYSTEMS)
async def test_server_errors_are_retried_then_unavailable(
    sandbox: EmbeddedSandbox, system: str, status: int
) -> None:
    async with faulted(sandbox, system, f"status={status}") as office:
        with pytest.raises(Unavailable) as info:
            await PROBES[system](office)
        assert info.value.status == status and info.value.system == system
        assert requests_to(sandbox, system) == FAST_TRANSPORT.retries + 1


@pytest.mark.parametrize("system", SYSTEMS)
async def test_rate_limit_is_rate_limited(sandbox: EmbeddedSandbox, system: str) -> None:
    async with faulted(sandbox, system, "rate_limit,retry_after=30") as office:
        with pytest.raises(RateLimited) as info:
            await PROBES[system](office)
    if system == "salesforce":  # the daily limit: a 403, never retried, no wait to honour
        assert (info.value.status, info.value.code) == (403, "REQUEST_LIMIT_EXCEEDED")
        assert info.value.retry_after is None
    else:  # 30 s is past max_retry_after_s: raised at once instead of waiting
        assert (info.value.status, info.value.retry_after) == (429, 30)
    assert requests_to(sandbox, system) == 1


@pytest.mark.parametrize("system", SYSTEMS)
async def test_a_short_retry_after_is_honoured(sandbox: EmbeddedSandbox, system: str) -> None:
    async with faulted(sandbox, system, "rate_limit,retry_after=0") as office:
        with pytest.raises(RateLimited):
            await PROBES[system](office)
    expected = 1 if system == "salesforce" else FAST_TRANSPORT.retries + 1
    assert requests_to(sandbox, system) == expected


@pytest.mark.parametrize("system", SYSTEMS)
async def test_hang_times_out_within_the_budget(sandbox: EmbeddedSandbox, system: str) -> None:
    budget = FAST_TRANSPORT.model_copy(update={"timeout_s": 0.4})
    async with faulted(sandbox, system, "hang", budget) as office:
        started = time.monotonic()
        with pytest.raises(Timeout):
            await PROBES[system](office)
        assert time.monotonic() - started < 0.4 + 0.15


@pytest.mark.parametrize("system", SYSTEMS)
async def test_malformed_body_is_a_bad_response(sandbox: EmbeddedSandbox, system: str) -> None:
    async with faulted(sandbox, system, "malformed") as office:
        with pytest.raises(BadResponse):
            await PROBES[system](office)
        assert requests_to(sandbox, system) == 1


@pytest.mark.parametrize("system", SYSTEMS)
async def test_bad_credentials_are_an_auth_error(sandbox: EmbeddedSandbox, system: str) -> None:
    settings = settings_for(sandbox)
    setattr(settings, system, getattr(settings, system).model_copy(update=BAD_CREDENTIALS[system]))
    async with BackOffice(settings) as office:
        with pytest.raises(AuthError) as info:
            await PROBES[system](office)
    assert info.value.system == system


@pytest.mark.parametrize("system", SYSTEMS)
async def test_the_breaker_opens_on_a_failing_system(sandbox: EmbeddedSandbox, system: str) -> None:
    tripping = FAST_TRANSPORT.model_copy(update={"retries": 0, "breaker_failures": 2})
    async with faulted(sandbox, system, "status=503", tripping) as office:
        for _ in range(2):
            with pytest.raises(Unavailable):
                await PROBES[system](office)
        with pytest.raises(CircuitOpen):
            await PROBES[system](office)
        assert requests_to(sandbox, system) == 2
