"""Journeys as JSON, and health / readiness."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sandbox.faults import FaultSpec
from sandbox.server import EmbeddedSandbox
from tests.api.conftest import STAFF
from tests.api.support import ACME


def test_journey_by_name_with_a_typo(client: TestClient) -> None:
    response = client.get("/v1/journeys/Acme Bakerry LLC", headers=STAFF)
    assert response.status_code == 200
    view = response.json()
    assert view["account"]["id"] == ACME
    assert view["status"] == "blocked" and view["current_step"] == "kyc"
    assert {b["type"] for b in view["blockers"]} == {"missing_documents"}


def test_unknown_and_ambiguous_customers(client: TestClient) -> None:
    unknown = client.get("/v1/journeys/Zebra Quantum Widgets", headers=STAFF)
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "customer_not_found"
    ambiguous = client.get("/v1/journeys/Acme", headers=STAFF)
    assert ambiguous.status_code == 409
    error = ambiguous.json()["error"]
    assert error["code"] == "customer_ambiguous" and "Acme Bakeries Inc" in error["message"]


def test_list_filters(client: TestClient) -> None:
    response = client.get(
        "/v1/journeys", params={"status": "blocked", "step": "kyc"}, headers=STAFF
    )
    assert response.status_code == 200
    entries = response.json()["entries"]
    assert entries and {(e["status"], e["current_step"]) for e in entries} == {("blocked", "kyc")}
    assert "Acme Bakery LLC" in {e["account"]["name"] for e in entries}

    bad_status = client.get("/v1/journeys", params={"status": "stuck"}, headers=STAFF)
    assert bad_status.status_code == 422 and "status" in bad_status.json()["error"]["message"]
    bad_product = client.get("/v1/journeys", params={"product": "mortgages"}, headers=STAFF)
    assert bad_product.status_code == 422 and "mortgages" in bad_product.json()["error"]["message"]


def test_healthz_needs_nothing(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_reports_each_dependency(
    client: TestClient, channel_sandbox: EmbeddedSandbox
) -> None:
    ready = client.get("/readyz")
    assert ready.status_code == 200
    checks = ready.json()["checks"]
    assert set(checks) == {"salesforce", "zendesk", "kyc", "pos", "checkpointer", "knowledge"}
    assert all(c["ok"] for c in checks.values())

    channel_sandbox.ctx.options.faults["kyc"] = FaultSpec.parse("status=503")
    try:
        degraded = client.get("/readyz")
    finally:
        channel_sandbox.ctx.options.faults.pop("kyc")
    assert degraded.status_code == 503
    checks = degraded.json()["checks"]
    assert not checks["kyc"]["ok"] and "503" in checks["kyc"]["detail"]
    assert checks["salesforce"]["ok"] and checks["zendesk"]["ok"]


def test_openapi_documents_auth_and_errors(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    chat = spec["paths"]["/v1/chat"]["post"]
    assert {"401", "403", "413", "422", "429"} <= set(chat["responses"])
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    assert "/slack/events" not in spec["paths"]
