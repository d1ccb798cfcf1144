"""The auth matrix: who may call what, and the 401 / 403 / 429 answers in the one error shape."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api import create_app
from channels.auth import CUSTOMER_TOKEN_HEADER, sign_customer_token
from sandbox.server import EmbeddedSandbox
from tests.api.conftest import STAFF
from tests.api.support import (
    ACME,
    CHATBOT_KEY,
    NORTHWIND,
    TOKEN_SECRET,
    channel_settings,
    runtime_factory,
)


def customer(account_id: str = ACME, *, secret: str = TOKEN_SECRET, **kw: object) -> dict:
    token = sign_customer_token(secret, subject="portal-user-7", account_id=account_id, **kw)
    return {"Authorization": f"Bearer {CHATBOT_KEY}", CUSTOMER_TOKEN_HEADER: token}


def error_code(response) -> str:  # type: ignore[no-untyped-def]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]["code"]


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "unauthenticated"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "unauthenticated"),
        ({"Authorization": "Bearer not-a-key-at-all"}, "invalid_api_key"),
        ({"Authorization": f"Bearer {CHATBOT_KEY}"}, "customer_token_required"),
        (customer(secret="another-secret-of-at-least-32-chars!!"), "invalid_customer_token"),
        (customer(now=time.time() - 7_200), "invalid_customer_token"),  # expired an hour ago
        (customer(ttl_s=86_400), "invalid_customer_token"),  # longer than the 1 h maximum
        (
            {"Authorization": f"Bearer {CHATBOT_KEY}", CUSTOMER_TOKEN_HEADER: "abc.def.ghi"},
            "invalid_customer_token",
        ),
    ],
    ids=["none", "basic", "unknown", "no-token", "bad-signature", "expired", "too-long", "junk"],
)
def test_unauthenticated_requests_get_401(client: TestClient, headers: dict, code: str) -> None:
    response = client.post("/v1/chat", json={"message": "Acme Bakery LLC"}, headers=headers)
    assert response.status_code == 401
    assert error_code(response) == code
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_staff_key_reads_any_journey_and_lists(client: TestClient) -> None:
    assert client.get(f"/v1/journeys/{NORTHWIND}", headers=STAFF).status_code == 200
    listing = client.get("/v1/journeys", params={"status": "stalled"}, headers=STAFF)
    assert listing.status_code == 200
    assert {e["status"] for e in listing.json()["entries"]} == {"stalled"}


def test_customer_reads_only_their_own_journey_without_internal_detail(
    client: TestClient,
) -> None:
    own = client.get(f"/v1/journeys/{ACME}", headers=customer())
    assert own.status_code == 200
    view = own.json()
    assert view["account"]["id"] == ACME
    assert view["discrepancies"] == []
    assert all(event["public"] is not False for event in view["history"])

    other = client.get(f"/v1/journeys/{NORTHWIND}", headers=customer())
    assert other.status_code == 403 and error_code(other) == "forbidden"
    by_name = client.get("/v1/journeys/Northwind Traders", headers=customer())
    assert by_name.status_code == 403

    listing = client.get("/v1/journeys", headers=customer())
    assert listing.status_code == 403 and error_code(listing) == "forbidden"


def test_customer_chat_is_answered_about_their_own_account_only(client: TestClient) -> None:
    # Naming another customer is refused, never answered with their own account's journey.
    response = client.post("/v1/chat", json={"message": "Northwind Traders"}, headers=customer())
    assert response.status_code == 200
    answer = response.json()
    assert "only share information about your own account" in answer["answer"]
    assert NORTHWIND not in answer["answer"]
    assert all(NORTHWIND not in c["record_id"] for c in answer["citations"])
    own = client.post("/v1/chat", json={"message": "Acme Bakery LLC"}, headers=customer())
    assert ACME in own.json()["answer"]


def test_threads_are_private_to_their_principal(client: TestClient) -> None:
    first = client.post("/v1/chat", json={"message": "Acme Bakery LLC"}, headers=STAFF).json()
    again = {"message": "Acme Bakery LLC", "thread_id": first["thread_id"]}
    assert "(turn 2)" in client.post("/v1/chat", json=again, headers=STAFF).json()["answer"]
    # The same thread id under another principal is another conversation.
    other = client.post("/v1/chat", json=again, headers=customer()).json()
    assert "(turn 1)" in other["answer"]


@pytest.fixture
def strict_client(channel_sandbox: EmbeddedSandbox) -> Iterator[TestClient]:
    settings = channel_settings(channel_sandbox)
    settings.api.rate_burst = 2
    settings.api.rate_per_minute = 6  # one request back every 10 s
    with TestClient(create_app(settings, runtime_factory(channel_sandbox))) as test_client:
        yield test_client


def test_rate_limit_is_per_principal_with_retry_after(strict_client: TestClient) -> None:
    for _ in range(2):
        assert strict_client.get(f"/v1/journeys/{ACME}", headers=STAFF).status_code == 200
    limited = strict_client.get(f"/v1/journeys/{ACME}", headers=STAFF)
    assert limited.status_code == 429 and error_code(limited) == "rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 10
    # Another principal has a bucket of its own.
    assert strict_client.get(f"/v1/journeys/{ACME}", headers=customer()).status_code == 200
