"""The Alloy-style KYC emulator over HTTP: auth, applications, documents, events, errors."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sandbox.server import EmbeddedSandbox

ACME_LLC = "001000000000001AAA"
ACME_INC = "001000000000002AAA"
NORTHWIND = "001000000000003AAA"


@pytest.fixture
def kyc(mini_sandbox: EmbeddedSandbox) -> Iterator[httpx.Client]:
    creds = mini_sandbox.ctx.options.credentials
    auth = (creds.kyc_workflow_token, creds.kyc_workflow_secret)
    with httpx.Client(base_url=mini_sandbox.system_url("kyc"), auth=auth, timeout=5) as client:
        yield client


def assert_alloy_error(response: httpx.Response, status: int, error_type: str) -> str:
    """Checks Alloy's error shape and returns the message."""
    assert response.status_code == status
    body = response.json()
    assert "detail" not in body
    assert body["status_code"] == status
    assert body["error"]["type"] == error_type
    return body["error"]["message"]


def test_application_by_token(kyc: httpx.Client) -> None:
    app = kyc.get("/v1/applications/AP-7Q2M4KX1").json()
    assert app["external_entity_id"] == ACME_LLC
    assert (app["status"], app["outcome"]) == ("completed", "Approved")


def test_applications_by_external_entity_id(kyc: httpx.Client) -> None:
    body = kyc.get("/v1/applications", params={"external_entity_id": ACME_INC}).json()
    assert body["total"] == 1
    [app] = body["applications"]
    assert (app["application_token"], app["status"]) == ("AP-9C6T1ZB8", "pending_documents")


def test_applications_of_an_unknown_entity_are_an_empty_list(kyc: httpx.Client) -> None:
    body = kyc.get("/v1/applications", params={"external_entity_id": "001999999999999AAA"})
    assert body.json() == {"applications": [], "total": 0}


def test_applications_filtered_by_status(kyc: httpx.Client) -> None:
    body = kyc.get("/v1/applications", params={"status": "waiting_review"}).json()
    assert body["total"] == 1
    [app] = body["applications"]
    assert app["external_entity_id"] == NORTHWIND
    assert "watchlist" in app["review"]["reason"].lower()


def test_offset_paging_walks_every_application_newest_first(kyc: httpx.Client) -> None:
    pages = [
        kyc.get("/v1/applications", params={"limit": 1, "offset": offset}).json()
        for offset in range(4)
    ]
    assert {page["total"] for page in pages} == {3}
    assert [len(page["applications"]) for page in pages] == [1, 1, 1, 0]
    created = [page["applications"][0]["created_at"] for page in pages[:3]]
    assert created == sorted(created, reverse=True)


def test_requested_documents(kyc: httpx.Client) -> None:
    [doc] = kyc.get("/v1/applications/AP-9C6T1ZB8/documents").json()["documents"]
    assert (doc["type"], doc["status"]) == ("certificate_of_good_standing", "requested")


def test_events_oldest_first(kyc: httpx.Client) -> None:
    events = kyc.get("/v1/applications/AP-7Q2M4KX1/events").json()["events"]
    assert [e["event_type"] for e in events] == [
        "started_application",
        "pending_documents",
        "completed_application",
    ]


@pytest.mark.parametrize("suffix", ["", "/documents", "/events"])
def test_unknown_application_is_a_native_404(kyc: httpx.Client, suffix: str) -> None:
    response = kyc.get(f"/v1/applications/AP-NOPE{suffix}")
    assert "AP-NOPE" in assert_alloy_error(response, 404, "Not Found")


def test_unknown_path_is_a_native_404(kyc: httpx.Client) -> None:
    message = assert_alloy_error(kyc.get("/v1/evaluations"), 404, "Not Found")
    assert "/v1/evaluations" in message


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"status": "approved"}, "status"),
    ],
)
def test_bad_parameters_are_a_native_400(kyc: httpx.Client, params: dict, param: str) -> None:
    response = kyc.get("/v1/applications", params=params)
    assert param in assert_alloy_error(response, 400, "Bad Request")


@pytest.mark.parametrize(
    "auth",
    [
        None,
        ("baton-demo-workflow", "wrong-secret"),
        ("wrong-workflow", "baton-demo-secret"),
    ],
    ids=["missing", "bad-secret", "bad-token"],
)
def test_requests_without_the_workflow_credentials_are_refused(
    mini_sandbox: EmbeddedSandbox, auth: tuple[str, str] | None
) -> None:
    url = f"{mini_sandbox.system_url('kyc')}/v1/applications/AP-7Q2M4KX1"
    response = httpx.get(url, auth=auth)
    assert_alloy_error(response, 401, "API Authentication Failure")
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_a_bearer_token_is_not_basic_auth(mini_sandbox: EmbeddedSandbox) -> None:
    url = f"{mini_sandbox.system_url('kyc')}/v1/applications"
    response = httpx.get(url, headers={"Authorization": "Bearer baton-demo-workflow"})
    assert_alloy_error(response, 401, "API Authentication Failure")
