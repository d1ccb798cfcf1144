"""Fault injection on the POS and KYC emulators, each answering in its native error shape."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from sandbox.context import Credentials, SandboxOptions
from sandbox.faults import FAULT_HEADER
from sandbox.server import EmbeddedSandbox
from tests.conftest import MINI_WORLD

CREDS = Credentials()


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def _alloy_type(body: dict, status: int) -> str:
    assert body["status_code"] == status
    return body["error"]["type"]


def _stripe_type(body: dict, status: int) -> str:
    assert list(body) == ["error"]
    return body["error"]["type"]


@dataclass(frozen=True)
class Vendor:
    system: str
    path: str
    authorization: str
    # Checks the native envelope for ``status`` and returns the error's type.
    error_type: Callable[[dict, int], str]
    server_error_type: str
    rate_limit_type: str


VENDORS = [
    Vendor(
        "kyc",
        "/v1/applications",
        _basic(CREDS.kyc_workflow_token, CREDS.kyc_workflow_secret),
        _alloy_type,
        "Service Unavailable",
        "Too Many Requests",
    ),
    Vendor(
        "pos",
        "/v1/terminal/readers",
        f"Bearer {CREDS.pos_api_key}",
        _stripe_type,
        "api_error",
        "invalid_request_error",
    ),
]


@pytest.fixture(params=VENDORS, ids=lambda v: v.system)
def vendor(request: pytest.FixtureRequest) -> Vendor:
    return request.param


@pytest.fixture(scope="module")
def short_hang_sandbox() -> Iterator[EmbeddedSandbox]:
    """Its own sandbox: a short ``hang`` and faults configured for the whole system."""
    with EmbeddedSandbox(MINI_WORLD, options=SandboxOptions(hang_s=1.0)) as sb:
        yield sb


def call(
    sandbox: EmbeddedSandbox, vendor: Vendor, fault: str | None = None, timeout: float = 5.0
) -> httpx.Response:
    headers = {"Authorization": vendor.authorization}
    if fault is not None:
        headers[FAULT_HEADER] = fault
    url = f"{sandbox.system_url(vendor.system)}{vendor.path}"
    return httpx.get(url, headers=headers, timeout=timeout)


def test_no_fault_is_a_normal_answer(mini_sandbox: EmbeddedSandbox, vendor: Vendor) -> None:
    assert call(mini_sandbox, vendor).status_code == 200


def test_status_fault_has_the_native_body(mini_sandbox: EmbeddedSandbox, vendor: Vendor) -> None:
    response = call(mini_sandbox, vendor, "status=503")
    assert response.status_code == 503
    assert vendor.error_type(response.json(), 503) == vendor.server_error_type


@pytest.mark.parametrize(
    ("fault", "retry_after"), [("rate_limit", "1"), ("rate_limit,retry_after=7", "7")]
)
def test_rate_limit_is_429_with_retry_after(
    mini_sandbox: EmbeddedSandbox, vendor: Vendor, fault: str, retry_after: str
) -> None:
    response = call(mini_sandbox, vendor, fault)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == retry_after
    assert vendor.error_type(response.json(), 429) == vendor.rate_limit_type


def test_latency_delays_a_normal_answer(mini_sandbox: EmbeddedSandbox, vendor: Vendor) -> None:
    started = time.perf_counter()
    response = call(mini_sandbox, vendor, "latency=150")
    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.15


def test_malformed_is_a_200_that_is_not_json(mini_sandbox: EmbeddedSandbox, vendor: Vendor) -> None:
    response = call(mini_sandbox, vendor, "malformed")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.text)


def test_probability_zero_never_applies(mini_sandbox: EmbeddedSandbox, vendor: Vendor) -> None:
    assert call(mini_sandbox, vendor, "status=500,p=0").status_code == 200


def test_bad_fault_spec_is_a_native_400(mini_sandbox: EmbeddedSandbox, vendor: Vendor) -> None:
    response = call(mini_sandbox, vendor, "explode")
    assert response.status_code == 400
    vendor.error_type(response.json(), 400)


def test_hang_outlasts_the_client_timeout(
    short_hang_sandbox: EmbeddedSandbox, vendor: Vendor
) -> None:
    with pytest.raises(httpx.ReadTimeout):
        call(short_hang_sandbox, vendor, "hang", timeout=0.3)


def test_configured_fault_applies_to_every_request_and_is_counted(
    short_hang_sandbox: EmbeddedSandbox, vendor: Vendor
) -> None:
    control = short_hang_sandbox.url
    put = httpx.put(f"{control}/_sandbox/faults/{vendor.system}", json={"spec": "status=502"})
    assert put.status_code == 200
    try:
        before = short_hang_sandbox.ctx.stats.get(vendor.system, 0)
        assert call(short_hang_sandbox, vendor).status_code == 502
        assert short_hang_sandbox.ctx.stats[vendor.system] == before + 1
    finally:
        httpx.delete(f"{control}/_sandbox/faults/{vendor.system}")
    assert call(short_hang_sandbox, vendor).status_code == 200
