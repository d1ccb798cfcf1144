"""Zendesk writes over real HTTP: create, idempotency, update with comments, safe_update; and
the search cap over a store with more than 1,000 tickets."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sandbox.context import Credentials
from sandbox.server import EmbeddedSandbox
from sandbox.zendesk.auth import authorization_header
from sandbox.zendesk.records import TICKETS


@pytest.fixture
def client(fresh_sandbox: EmbeddedSandbox) -> Iterator[httpx.Client]:
    headers = {"Authorization": authorization_header(Credentials())}
    with httpx.Client(base_url=fresh_sandbox.system_url("zendesk"), headers=headers) as c:
        yield c


NEW_TICKET = {
    "subject": "Follow up: ACH limit decision",
    "comment": {"body": "Please confirm the ACH limit.\n\nThanks!", "public": False},
    "priority": "high",
    "requester": {"name": "Pat Quinn", "email": "pat.quinn@acmebakeries.example"},
    "external_id": "baton-fu-1",
    "tags": ["onboarding", "Step_Credit", "baton followup"],
    "group_id": 2002,
    "organization_id": 3002,
    "assignee_id": 1002,
}


def test_create_ticket(client: httpx.Client) -> None:
    response = client.post("/api/v2/tickets.json", json={"ticket": NEW_TICKET})
    assert response.status_code == 201, response.text
    body = response.json()
    ticket = body["ticket"]
    assert ticket["id"] > 5008
    assert response.headers["Location"] == ticket["url"]
    assert ticket["status"] == "open"  # an assigned ticket starts open
    assert ticket["tags"] == ["onboarding", "step_credit", "baton", "followup"]
    assert ticket["created_at"] == ticket["updated_at"] == "2026-11-30T15:00:01Z"
    assert ticket["description"] == NEW_TICKET["comment"]["body"]
    assert client.get(ticket["url"]).json()["ticket"] == ticket

    requester = client.get(f"/api/v2/users/{ticket['requester_id']}.json").json()["user"]
    assert (requester["email"], requester["role"]) == ("pat.quinn@acmebakeries.example", "end-user")

    audit = body["audit"]
    assert audit["ticket_id"] == ticket["id"]
    comment_event = audit["events"][0]
    assert (comment_event["type"], comment_event["public"]) == ("Comment", False)
    assert {e["field_name"] for e in audit["events"][1:]} >= {"subject", "status", "group_id"}

    (comment,) = client.get(f"/api/v2/tickets/{ticket['id']}/comments.json").json()["comments"]
    assert comment["id"] == comment_event["id"]
    assert comment["html_body"].count("<p") == 2
    found = client.get("/api/v2/search.json", params={"query": "external_id:baton-fu-1"}).json()
    assert [r["id"] for r in found["results"]] == [ticket["id"]]


def test_create_reuses_a_known_requester_and_defaults_to_new(client: httpx.Client) -> None:
    ticket = {
        "subject": "Question",
        "description": "Hello",
        "requester": {"email": "MARIA@acmebakery.example"},
    }
    created = client.post("/api/v2/tickets.json", json={"ticket": ticket}).json()["ticket"]
    assert created["requester_id"] == 1101
    assert created["organization_id"] == 3001  # the requester's organization
    assert created["status"] == "new"


@pytest.mark.parametrize(
    ("ticket", "field", "error"),
    [
        ({"subject": "No body"}, "description", "BlankValue"),
        ({"subject": "x", "comment": {"body": "  "}}, "comment", "BlankValue"),
        ({"comment": {"body": "x"}, "priority": "asap"}, "priority", "InvalidValue"),
        ({"comment": {"body": "x"}, "status": "waiting"}, "status", "InvalidValue"),
        ({"comment": {"body": "x"}, "group_id": 999}, "group_id", "InvalidValue"),
        ({"comment": {"body": "x"}, "assignee_id": 1101}, "assignee_id", "InvalidValue"),
        ({"comment": {"body": "x"}, "requester": {"email": "nobody"}}, "requester", "InvalidValue"),
        ({"comment": {"body": "x"}, "tags": "not-a-list"}, "tags", "InvalidValue"),
    ],
)
def test_create_validation_is_record_invalid(
    client: httpx.Client, ticket: dict, field: str, error: str
) -> None:
    response = client.post("/api/v2/tickets.json", json={"ticket": ticket})
    assert response.status_code == 422
    body = response.json()
    assert (body["error"], body["description"]) == ("RecordInvalid", "Record validation errors")
    assert body["details"][field][0]["error"] == error


def test_a_body_without_ticket_is_record_invalid(client: httpx.Client) -> None:
    response = client.post(
        "/api/v2/tickets.json", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"] == "RecordInvalid"


def test_idempotent_create(client: httpx.Client) -> None:
    headers = {"Idempotency-Key": "fu-7"}
    first = client.post("/api/v2/tickets.json", json={"ticket": NEW_TICKET}, headers=headers)
    again = client.post("/api/v2/tickets.json", json={"ticket": NEW_TICKET}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.headers["x-idempotency-lookup"] == "miss"
    assert again.headers["x-idempotency-lookup"] == "hit"
    assert again.json() == first.json()
    listed = client.get("/api/v2/search.json", params={"query": "external_id:baton-fu-1"}).json()
    assert listed["count"] == 1

    changed = {**NEW_TICKET, "subject": "Something else"}
    conflict = client.post("/api/v2/tickets.json", json={"ticket": changed}, headers=headers)
    assert conflict.status_code == 400
    assert conflict.json()["error"] == "IdempotentRequestError"
    other_key = client.post(
        "/api/v2/tickets.json", json={"ticket": NEW_TICKET}, headers={"Idempotency-Key": "fu-8"}
    )
    assert other_key.json()["ticket"]["id"] != first.json()["ticket"]["id"]


def test_update_with_comment_and_fields(client: httpx.Client) -> None:
    before = client.get("/api/v2/tickets/5003.json").json()["ticket"]
    update = {
        "ticket": {
            "comment": {"body": "Credit approved the $250k limit."},
            "status": "solved",
            "tags": ["onboarding", "step_credit", "approved"],
        }
    }
    response = client.put("/api/v2/tickets/5003.json", json=update)
    assert response.status_code == 200, response.text
    ticket, audit = response.json()["ticket"], response.json()["audit"]
    assert ticket["status"] == "solved"
    assert "approved" in ticket["tags"]
    assert ticket["updated_at"] > before["updated_at"]
    changes = {
        e["field_name"]: (e["previous_value"], e["value"])
        for e in audit["events"]
        if e["type"] == "Change"
    }
    assert changes["status"] == ("open", "solved")

    comments = client.get("/api/v2/tickets/5003/comments.json").json()["comments"]
    added = comments[-1]
    assert added["body"] == "Credit approved the $250k limit."
    assert added["public"] is True
    # The API user (absent from the mini world) is created once and authors every write.
    author = client.get(f"/api/v2/users/{added['author_id']}.json").json()["user"]
    assert author["email"] == Credentials().zendesk_email
    second = client.put(
        "/api/v2/tickets/5001.json",
        json={"ticket": {"comment": {"body": "Nudge", "public": False}}},
    ).json()
    assert second["audit"]["author_id"] == added["author_id"]
    assert second["ticket"]["updated_at"] > ticket["updated_at"]


def test_safe_update_detects_a_change_since_read(client: httpx.Client) -> None:
    read = client.get("/api/v2/tickets/5006.json").json()["ticket"]
    stamp = read["updated_at"]
    first = client.put(
        "/api/v2/tickets/5006.json",
        json={"ticket": {"priority": "high", "safe_update": True, "updated_stamp": stamp}},
    )
    assert first.status_code == 200
    stale = client.put(
        "/api/v2/tickets/5006.json",
        json={"ticket": {"priority": "low", "safe_update": True, "updated_stamp": stamp}},
    )
    assert stale.status_code == 409
    assert stale.json()["error"] == "UpdateConflict"
    assert client.get("/api/v2/tickets/5006.json").json()["ticket"]["priority"] == "high"
    fresh = client.put(
        "/api/v2/tickets/5006.json",
        json={
            "ticket": {
                "priority": "low",
                "safe_update": True,
                "updated_stamp": first.json()["ticket"]["updated_at"],
            }
        },
    )
    assert fresh.status_code == 200


@pytest.mark.parametrize(
    ("path", "ticket", "status"),
    [
        ("/api/v2/tickets/999999.json", {"status": "open"}, 404),
        ("/api/v2/tickets/5007.json", {"status": "open"}, 422),  # closed tickets are final
        ("/api/v2/tickets/5001.json", {"status": "nope"}, 422),
        ("/api/v2/tickets/5001.json", {"safe_update": True}, 422),  # no updated_stamp
    ],
)
def test_update_errors(client: httpx.Client, path: str, ticket: dict, status: int) -> None:
    assert client.put(path, json={"ticket": ticket}).status_code == status


def test_search_stops_at_the_1000th_result(
    fresh_sandbox: EmbeddedSandbox, client: httpx.Client
) -> None:
    bulk = [
        (
            str(tid),
            {
                "id": tid,
                "subject": f"Bulk {tid}",
                "status": "open",
                "requester_id": 1101,
                "tags": ["bulk"],
                "created_at": "2026-11-01T00:00:00Z",
            },
        )
        for tid in range(100_000, 101_050)
    ]
    fresh_sandbox.ctx.store.load(TICKETS, bulk)

    def search(**params: object) -> httpx.Response:
        return client.get("/api/v2/search.json", params={"query": "tags:bulk", **params})

    last = search(page=10, per_page=100)
    assert last.status_code == 200
    assert last.json()["count"] == 1050  # the true count, though only 1,000 can be fetched
    assert len(last.json()["results"]) == 100
    assert search(page=33, per_page=30).status_code == 200
    for params in ({"page": 11, "per_page": 100}, {"page": 34, "per_page": 30}):
        beyond = search(**params)
        assert beyond.status_code == 422
        assert beyond.json() == {
            "error": "invalid",
            "description": "Invalid search: Requested response size was greater than Search "
            "Response Limits",
        }
