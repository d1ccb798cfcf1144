"""Chat over HTTP: JSON and server-sent events, threads, and bad input."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.api.conftest import STAFF
from tests.api.support import ACME, sse_events


def test_chat_answers_with_citations_tool_calls_and_a_thread(client: TestClient) -> None:
    response = client.post("/v1/chat", json={"message": "Acme Bakery LLC"}, headers=STAFF)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"answer", "citations", "tool_calls", "thread_id"}
    assert body["answer"].startswith("Acme Bakery LLC")
    assert body["tool_calls"] == [{"name": "get_journey", "args": {"customer": "Acme Bakery LLC"}}]
    acme = [c for c in body["citations"] if c["record_id"] == ACME]
    assert acme and acme[0]["system"] == "salesforce" and acme[0]["link"]


def test_follow_ups_in_a_thread_keep_the_conversation(client: TestClient) -> None:
    first = client.post("/v1/chat", json={"message": "Acme Bakery LLC"}, headers=STAFF).json()
    follow = {"message": "Northwind Traders", "thread_id": first["thread_id"]}
    second = client.post("/v1/chat", json=follow, headers=STAFF).json()
    assert second["thread_id"] == first["thread_id"]
    assert second["answer"].endswith("(turn 2)")


def test_stream_sends_status_delta_citations_done(client: TestClient) -> None:
    response = client.post("/v1/chat/stream", json={"message": "Acme Bakery LLC"}, headers=STAFF)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = [(name, json.loads(data)) for name, data in sse_events(response.text)]
    names = [name for name, _ in events]
    assert names[0] == "status" and names[-2:] == ["citations", "done"]
    assert "delta" in names and "error" not in names
    data = dict(events)
    assert data["status"]["text"].startswith("Checking")
    text = "".join(d["text"] for name, d in events if name == "delta")
    assert text.startswith("Acme Bakery LLC")
    assert any(c["record_id"] == ACME for c in data["citations"]["citations"])
    assert data["done"]["tool_calls"][0]["name"] == "get_journey"

    # The streamed turn is in the thread like any other.
    follow = {"message": "Acme Bakery LLC", "thread_id": data["done"]["thread_id"]}
    assert client.post("/v1/chat", json=follow, headers=STAFF).json()["answer"].endswith("(turn 2)")


def test_malformed_json_is_a_422_with_a_clear_message(client: TestClient) -> None:
    response = client.post(
        "/v1/chat",
        content=b'{"message": "Acme',
        headers={**STAFF, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert "not valid JSON" in error["message"]


def test_invalid_fields_are_named_in_the_422(client: TestClient) -> None:
    response = client.post(
        "/v1/chat", json={"message": "", "thread_id": "has spaces", "extra": 1}, headers=STAFF
    )
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "message:" in message and "thread_id:" in message and "extra:" in message


def test_oversized_bodies_are_413_declared_or_streamed(client: TestClient) -> None:
    big = json.dumps({"message": "x" * 40_000}).encode()
    declared = client.post(
        "/v1/chat", content=big, headers={**STAFF, "Content-Type": "application/json"}
    )
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "payload_too_large"

    def chunks():  # no Content-Length: sent chunked
        for start in range(0, len(big), 8_192):
            yield big[start : start + 8_192]

    streamed = client.post(
        "/v1/chat", content=chunks(), headers={**STAFF, "Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert streamed.json()["error"]["code"] == "payload_too_large"


def test_unknown_routes_use_the_error_shape(client: TestClient) -> None:
    response = client.get("/v1/nothing-here", headers=STAFF)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
