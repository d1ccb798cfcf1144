"""Zendesk rate limiting and fault injection, over real HTTP."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from sandbox.context import Credentials, SandboxOptions
from sandbox.server import EmbeddedSandbox
from sandbox.zendesk.auth import authorization_header
from sandbox.zendesk.ratelimit import SlidingWindow
from tests.conftest import MINI_WORLD

TICKET = "/api/v2/tickets/5001.json"


def _client(sandbox: EmbeddedSandbox, timeout: float = 5.0) -> httpx.Client:
    headers = {"Authorization": authorization_header(Credentials())}
    return httpx.Client(base_url=sandbox.system_url("zendesk"), headers=headers, timeout=timeout)


def test_sliding_window_counts_the_last_minute() -> None:
    now = [1000.0]
    window = SlidingWindow(2, clock=lambda: now[0])
    assert [window.hit().remaining for _ in range(2)] == [1, 0]
    refused = window.hit()
    assert (refused.allowed, refused.retry_after) == (False, 60)
    now[0] += 59.5
    assert window.hit().retry_after == 1  # rounded up, never 0
    now[0] += 0.5
    assert window.hit().allowed  # the first hit left the window


def test_rate_limit_answers_429_with_retry_after() -> None:
    options = SandboxOptions(zendesk_rate_per_minute=3)
    with EmbeddedSandbox(MINI_WORLD, options=options) as sandbox, _client(sandbox) as client:
        answers = [client.get(TICKET) for _ in range(4)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    assert [r.headers["X-Rate-Limit-Remaining"] for r in answers] == ["2", "1", "0", "0"]
    assert all(r.headers["X-Rate-Limit"] == "3" for r in answers)
    limited = answers[-1]
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert limited.text == "Too Many Requests"


@pytest.fixture(scope="module")
def faulty() -> Iterator[EmbeddedSandbox]:
    """Its own sandbox: a short hang and no other module's requests in its counts."""
    with EmbeddedSandbox(MINI_WORLD, options=SandboxOptions(hang_s=1.0)) as sandbox:
        yield sandbox


def _faulted(sandbox: EmbeddedSandbox, spec: str, timeout: float = 5.0) -> httpx.Response:
    with _client(sandbox, timeout) as client:
        return client.get(TICKET, headers={"X-Sandbox-Fault": spec})


@pytest.mark.parametrize("status", [500, 502, 503])
def test_status_fault_has_a_native_body(faulty: EmbeddedSandbox, status: int) -> None:
    response = _faulted(faulty, f"status={status}")
    assert response.status_code == status
    assert set(response.json()) == {"error", "description"}


@pytest.mark.parametrize(
    ("spec", "retry_after"), [("rate_limit", "1"), ("rate_limit,retry_after=7", "7")]
)
def test_rate_limit_fault(faulty: EmbeddedSandbox, spec: str, retry_after: str) -> None:
    response = _faulted(faulty, spec)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == retry_after
    assert response.text == "Too Many Requests"


def test_latency_fault(faulty: EmbeddedSandbox) -> None:
    started = time.monotonic()
    response = _faulted(faulty, "latency=250")
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.25


def test_hang_fault_outlasts_the_client(faulty: EmbeddedSandbox) -> None:
    with pytest.raises(httpx.ReadTimeout):
        _faulted(faulty, "hang", timeout=0.3)


def test_malformed_fault(faulty: EmbeddedSandbox) -> None:
    response = _faulted(faulty, "malformed")
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_fault_with_zero_probability_is_not_applied(faulty: EmbeddedSandbox) -> None:
    assert _faulted(faulty, "status=500,p=0").status_code == 200


def test_bad_fault_header_is_a_native_400(faulty: EmbeddedSandbox) -> None:
    response = _faulted(faulty, "explode")
    assert response.status_code == 400
    assert "X-Sandbox-Fault" in response.json()["description"]


def test_faults_count_in_stats(faulty: EmbeddedSandbox) -> None:
    before = faulty.ctx.stats.get("zendesk", 0)
    _faulted(faulty, "status=503")
    assert faulty.ctx.stats["zendesk"] == before + 1
