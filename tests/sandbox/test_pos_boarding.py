"""The POS emulator's Fiserv-style boarding over HTTP: lookups, submission, idempotency."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sandbox.server import EmbeddedSandbox

ACME_LLC = "001000000000001AAA"
ACME_INC = "001000000000002AAA"
UNLINKED = "001999999999999AAA"
SUBMISSION = {"external_id": ACME_INC, "merchant_name": "Acme Bakeries Inc", "mcc": "5462"}


def client_for(sandbox: EmbeddedSandbox) -> httpx.Client:
    key = sandbox.ctx.options.credentials.pos_api_key
    headers = {"Authorization": f"Bearer {key}"}
    return httpx.Client(base_url=sandbox.system_url("pos"), headers=headers)


@pytest.fixture
def pos(mini_sandbox: EmbeddedSandbox) -> Iterator[httpx.Client]:
    """Read-only use: the session's shared sandbox."""
    with client_for(mini_sandbox) as client:
        yield client


@pytest.fixture
def pos_rw(fresh_sandbox: EmbeddedSandbox) -> Iterator[httpx.Client]:
    """For submissions: a sandbox of its own, so the shared world keeps "boarding not started"."""
    with client_for(fresh_sandbox) as client:
        yield client


def applications_of(pos: httpx.Client, external_id: str) -> list[dict]:
    response = pos.get("/api/v1/applications", params={"external_id": external_id})
    return response.json()["applications"]


def test_application_by_id(pos: httpx.Client) -> None:
    app = pos.get("/api/v1/application/BA-100231").json()
    assert (app["external_id"], app["status"]) == (ACME_LLC, "SUCCESSFUL_PROCESSED")
    assert app["mid"]


@pytest.mark.parametrize(
    ("external_id", "ids"),
    [(ACME_LLC, ["BA-100231"]), (UNLINKED, ["BA-100299"]), (ACME_INC, [])],
)
def test_applications_by_external_id(pos: httpx.Client, external_id: str, ids: list) -> None:
    assert [a["applicationId"] for a in applications_of(pos, external_id)] == ids


def test_unknown_application_is_resource_missing(pos: httpx.Client) -> None:
    response = pos.get("/api/v1/application/BA-NOPE")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "type": "invalid_request_error",
        "code": "resource_missing",
        "message": "No such application: 'BA-NOPE'",
        "param": "applicationId",
    }


def test_submission_is_created_and_readable(pos_rw: httpx.Client) -> None:
    response = pos_rw.post("/api/v1/application", json=SUBMISSION)
    assert response.status_code == 201
    created = response.json()
    assert created["applicationId"].startswith("BA-")
    assert created["status"] == "SUBMITTED"
    assert created["submitted_at"] == "2026-11-30T15:00:00Z"  # the world's frozen now
    assert created["mcc"] == "5462"  # extra merchant details are kept
    assert pos_rw.get(f"/api/v1/application/{created['applicationId']}").json() == created
    assert applications_of(pos_rw, ACME_INC) == [created]


def test_client_cannot_choose_status_or_id(pos_rw: httpx.Client) -> None:
    body = {**SUBMISSION, "status": "SUCCESSFUL_PROCESSED", "applicationId": "BA-MINE"}
    created = pos_rw.post("/api/v1/application", json=body).json()
    assert created["status"] == "SUBMITTED"
    assert created["applicationId"] != "BA-MINE"


def test_idempotency_key_replays_the_first_application(pos_rw: httpx.Client) -> None:
    headers = {"Idempotency-Key": "board-acme-inc-1"}
    first = pos_rw.post("/api/v1/application", json=SUBMISSION, headers=headers)
    retry = pos_rw.post("/api/v1/application", json=SUBMISSION, headers=headers)
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert len(applications_of(pos_rw, ACME_INC)) == 1


def test_without_a_key_each_submission_creates(pos_rw: httpx.Client) -> None:
    first = pos_rw.post("/api/v1/application", json=SUBMISSION).json()
    second = pos_rw.post("/api/v1/application", json=SUBMISSION).json()
    assert first["applicationId"] != second["applicationId"]


def test_reusing_a_key_for_a_different_request_is_refused(pos_rw: httpx.Client) -> None:
    headers = {"Idempotency-Key": "board-acme-inc-2"}
    pos_rw.post("/api/v1/application", json=SUBMISSION, headers=headers)
    other = {**SUBMISSION, "merchant_name": "Someone Else LLC"}
    response = pos_rw.post("/api/v1/application", json=other, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "idempotency_error"
    assert len(applications_of(pos_rw, ACME_INC)) == 1


@pytest.mark.parametrize(
    ("body", "param", "code"),
    [
        ({"merchant_name": "Acme Bakeries Inc"}, "external_id", "parameter_missing"),
        ({"external_id": ACME_INC}, "merchant_name", "parameter_missing"),
        ({**SUBMISSION, "merchant_name": ""}, "merchant_name", "parameter_invalid_string_empty"),
    ],
)
def test_invalid_submission_is_a_stripe_400(
    pos: httpx.Client, body: dict, param: str, code: str
) -> None:
    response = pos.post("/api/v1/application", json=body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["type"], error["param"], error["code"]) == ("invalid_request_error", param, code)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "Invalid request body: not valid JSON"), (b"", "Missing request body")],
)
def test_unreadable_body_is_a_stripe_400(pos: httpx.Client, content: bytes, message: str) -> None:
    headers = {"Content-Type": "application/json"}
    response = pos.post("/api/v1/application", content=content, headers=headers)
    assert response.status_code == 400
    assert response.json() == {"error": {"type": "invalid_request_error", "message": message}}
