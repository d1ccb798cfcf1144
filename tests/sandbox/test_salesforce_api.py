"""The Salesforce emulator over real HTTP: OAuth, query paging, sObjects, limits, faults."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest

from sandbox.context import SandboxOptions
from sandbox.server import EmbeddedSandbox
from tests.conftest import MINI_WORLD

VERSION = "v62.0"
CLIENT = {"client_id": "baton-demo", "client_secret": "baton-demo-secret"}
ACME = "001000000000001AAA"
TASK_WITHOUT_WHO = "00T000000000004AAA"


def access_token(salesforce_url: str) -> str:
    """A session from the emulator's client-credentials grant."""
    response = httpx.post(
        f"{salesforce_url}/services/oauth2/token",
        data={"grant_type": "client_credentials", **CLIENT},
    )
    response.raise_for_status()
    return response.json()["access_token"]


def rest_client(sandbox: EmbeddedSandbox) -> httpx.Client:
    """An authenticated client rooted at ``/services/data/v62.0``."""
    base = sandbox.system_url("salesforce")
    return httpx.Client(
        base_url=f"{base}/services/data/{VERSION}",
        headers={"Authorization": f"Bearer {access_token(base)}"},
        timeout=5,
    )


@pytest.fixture(scope="module")
def sandbox() -> Iterator[EmbeddedSandbox]:
    """Read-only tests share this one; small batches make paging visible."""
    options = SandboxOptions(salesforce_batch_size=2, hang_s=1.0)
    with EmbeddedSandbox(MINI_WORLD, options=options) as sb:
        yield sb


@pytest.fixture(scope="module")
def api(sandbox: EmbeddedSandbox) -> Iterator[httpx.Client]:
    with rest_client(sandbox) as client:
        yield client


@pytest.fixture
def writable_api(fresh_sandbox: EmbeddedSandbox) -> Iterator[httpx.Client]:
    with rest_client(fresh_sandbox) as client:
        yield client


def query(client: httpx.Client, soql: str) -> httpx.Response:
    return client.get("/query", params={"q": soql})


def errors_of(response: httpx.Response) -> list[tuple[str, str]]:
    """``(errorCode, message)`` pairs, asserting the body is Salesforce's error array."""
    body = response.json()
    assert isinstance(body, list), body
    return [(error["errorCode"], error["message"]) for error in body]


# -- OAuth --------------------------------------------------------------------------------------
def test_client_credentials_token(sandbox: EmbeddedSandbox) -> None:
    base = sandbox.system_url("salesforce")
    response = httpx.post(
        f"{base}/services/oauth2/token", data={"grant_type": "client_credentials", **CLIENT}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["instance_url"] == base
    assert body["issued_at"] == str(int(sandbox.ctx.now.timestamp() * 1000))
    expected = hmac.new(
        CLIENT["client_secret"].encode(),
        (body["id"] + body["issued_at"]).encode(),
        hashlib.sha256,
    ).digest()
    assert base64.b64decode(body["signature"]) == expected
    assert body["access_token"] != access_token(base)  # every grant opens a new session


def _assertion(**overrides: Any) -> str:
    claims = {
        "iss": "baton-demo",
        "sub": "baton@demo-bank.example",
        "aud": "https://login.salesforce.com",
        "exp": int(time.time()) + 180,
        **overrides,
    }
    # Signed with any key: the sandbox does not verify signatures.
    return jwt.encode(claims, "an-hmac-key-of-at-least-thirty-two-bytes", algorithm="HS256")


def test_jwt_bearer_token_opens_a_session(sandbox: EmbeddedSandbox) -> None:
    base = sandbox.system_url("salesforce")
    response = httpx.post(
        f"{base}/services/oauth2/token",
        data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
              "assertion": _assertion()},
    )  # fmt: skip
    assert response.status_code == 200
    token = response.json()["access_token"]
    listed = httpx.get(
        f"{base}/services/data/{VERSION}/sobjects/Account/{ACME}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert listed.status_code == 200


JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


@pytest.mark.parametrize(
    ("form", "error", "description"),
    [
        ({"grant_type": "client_credentials", "client_id": "baton-demo", "client_secret": "x"},
         "invalid_client", "invalid client credentials"),
        ({"grant_type": "client_credentials", "client_id": "other",
          "client_secret": "baton-demo-secret"}, "invalid_client", "invalid client credentials"),
        ({"grant_type": "password"}, "unsupported_grant_type", "grant type not supported"),
        ({}, "unsupported_grant_type", "grant type not supported"),
        ({"grant_type": JWT_GRANT, "assertion": _assertion(exp=int(time.time()) - 10)},
         "invalid_grant", "expired authorization code"),
        ({"grant_type": JWT_GRANT, "assertion": _assertion(iss="someone-else")},
         "invalid_client_id", "client identifier invalid"),
        ({"grant_type": JWT_GRANT, "assertion": _assertion(sub="mallory@example.com")},
         "invalid_grant", "user hasn't approved this consumer"),
        ({"grant_type": JWT_GRANT, "assertion": "not-a-jwt"},
         "invalid_grant", "invalid assertion"),
        ({"grant_type": JWT_GRANT}, "invalid_grant", "invalid assertion"),
    ],
)  # fmt: skip
def test_refused_grants_answer_in_oauth_shape(
    sandbox: EmbeddedSandbox, form: dict[str, str], error: str, description: str
) -> None:
    response = httpx.post(f"{sandbox.system_url('salesforce')}/services/oauth2/token", data=form)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == error
    assert body["error_description"].startswith(description)


# -- authentication and versions ----------------------------------------------------------------
def test_version_list_needs_no_session(sandbox: EmbeddedSandbox) -> None:
    response = httpx.get(f"{sandbox.system_url('salesforce')}/services/data/")
    assert response.status_code == 200
    assert {"label": "Winter '25", "url": "/services/data/v62.0", "version": "62.0"} in (
        response.json()
    )


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic Zm9vOmJhcg=="])
@pytest.mark.parametrize(
    "path", [f"/services/data/{VERSION}/query?q=SELECT+Id+FROM+Account",
             f"/services/data/{VERSION}/sobjects/Account/{ACME}"]
)  # fmt: skip
def test_requests_without_a_session_get_401(
    sandbox: EmbeddedSandbox, authorization: str | None, path: str
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = httpx.get(sandbox.system_url("salesforce") + path, headers=headers)
    assert response.status_code == 401
    assert response.json() == [
        {"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}
    ]


# -- query --------------------------------------------------------------------------------------
def test_query_returns_records_with_attributes_and_nested_parents(api: httpx.Client) -> None:
    response = query(
        api,
        "select id, name, OWNER.NAME, dba_name__c from account where name = 'acme bakery llc'",
    )
    assert response.status_code == 200
    assert response.json() == {
        "totalSize": 1,
        "done": True,
        "records": [
            {
                "attributes": {
                    "type": "Account",
                    "url": f"/services/data/{VERSION}/sobjects/Account/{ACME}",
                },
                "Id": ACME,
                "Name": "Acme Bakery LLC",
                "Owner": {
                    "attributes": {
                        "type": "User",
                        "url": f"/services/data/{VERSION}/sobjects/User/005000000000001AAA",
                    },
                    "Name": "Dana Whitfield",
                },
                "DBA_Name__c": "Acme Bread",
            }
        ],
    }


def test_polymorphic_parents_resolve_by_id_and_empty_ones_are_null(api: httpx.Client) -> None:
    response = query(
        api,
        "SELECT Id, What.Name, Who.Name, Owner.Email FROM Task "
        "WHERE Id IN ('00T000000000002AAA', '00T000000000004AAA') ORDER BY Id",
    )
    kickoff, follow_up = response.json()["records"]
    assert kickoff["What"]["attributes"]["type"] == "Opportunity"
    assert kickoff["What"]["Name"] == "Acme Bakery - Merchant Services"
    assert kickoff["Who"]["attributes"]["type"] == "Contact"
    assert kickoff["Who"]["Name"] == "Maria Lopez"
    assert follow_up["Id"] == TASK_WITHOUT_WHO
    assert follow_up["Who"] is None
    assert follow_up["Owner"]["Email"] == "dana.whitfield@demo-bank.example"


def test_query_filters_orders_by_parent_fields_and_counts(api: httpx.Client) -> None:
    open_tasks = query(
        api,
        "SELECT Subject, Owner.Name FROM Task WHERE Status != 'Completed' "
        "AND ActivityDate != null ORDER BY Owner.Name DESC, ActivityDate",
    ).json()
    assert open_tasks["totalSize"] == 3
    subjects = []
    while True:  # batches of two
        subjects += [r["Subject"] for r in open_tasks["records"]]
        if open_tasks["done"]:
            break
        next_url = open_tasks["nextRecordsUrl"].removeprefix(f"/services/data/{VERSION}")
        open_tasks = api.get(next_url).json()
    assert subjects == [
        "Collect signed merchant agreement and voided check",  # Raj, due 11-25
        "Configure ACH limits and positive pay",  # Raj, due 12-03
        "Follow up on pricing proposal",  # Dana
    ]
    count = query(api, "SELECT COUNT() FROM Account WHERE Name LIKE 'acme%'").json()
    assert count == {"totalSize": 2, "done": True, "records": []}


def test_query_with_apostrophe_and_date_literals(api: httpx.Client) -> None:
    obrien = query(api, r"SELECT Name FROM Account WHERE Name = 'O\'Brien\'s Hardware'").json()
    assert [r["Name"] for r in obrien["records"]] == ["O'Brien's Hardware"]
    # The world's now is 2026-11-30T15:00Z.
    today = query(api, "SELECT Name FROM Account WHERE CreatedDate = TODAY").json()
    assert [r["Name"] for r in today["records"]] == ["O'Brien's Hardware"]
    overdue = query(
        api, "SELECT Id FROM Task WHERE ActivityDate < TODAY AND Status != 'Completed'"
    ).json()
    assert [r["Id"] for r in overdue["records"]] == ["00T000000000001AAA"]


def test_paging_follows_next_records_url_from_the_instance_url(
    sandbox: EmbeddedSandbox, api: httpx.Client
) -> None:
    first = query(api, "SELECT Id FROM Account ORDER BY Name LIMIT 3").json()
    assert (first["totalSize"], first["done"], len(first["records"])) == (3, False, 2)
    next_url = first["nextRecordsUrl"]
    assert next_url.startswith(f"/services/data/{VERSION}/query/01g")
    assert next_url.endswith("-2")
    # Like the real API, the URL is relative to the instance URL the token endpoint gave.
    second = httpx.get(sandbox.system_url("salesforce") + next_url, headers=api.headers).json()
    assert (second["totalSize"], second["done"]) == (3, True)
    assert "nextRecordsUrl" not in second
    ids = [r["Id"] for r in first["records"] + second["records"]]
    assert ids == ["001000000000002AAA", ACME, "001000000000003AAA"]


def test_unknown_query_locator(api: httpx.Client) -> None:
    response = api.get("/query/01g000000000999AAA-2")
    assert response.status_code == 400
    assert errors_of(response) == [("INVALID_QUERY_LOCATOR", "invalid query locator")]


@pytest.mark.parametrize(
    ("soql", "code", "fragment"),
    [
        ("SELECT Id FROMM Account", "MALFORMED_QUERY",
         "\nSELECT Id FROMM Account\n          ^\nERROR at Row:1:Column:11\n"
         "unexpected token: 'FROMM'"),
        ("SELECT Id, Foo FROM Account", "INVALID_FIELD",
         "ERROR at Row:1:Column:12\nNo such column 'Foo' on entity 'Account'"),
        ("SELECT Id FROM Account WHERE Owner.Shoe = 'x'", "INVALID_FIELD",
         "No such column 'Shoe' on entity 'User'"),
        ("SELECT Id FROM Widget", "INVALID_TYPE", "sObject type 'Widget' is not supported"),
        ("", "MALFORMED_QUERY", "A SOQL query is required"),
    ],
)  # fmt: skip
def test_refused_queries_answer_in_salesforce_shape(
    api: httpx.Client, soql: str, code: str, fragment: str
) -> None:
    response = query(api, soql)
    assert response.status_code == 400
    [(error_code, message)] = errors_of(response)
    assert error_code == code
    assert fragment in message


# -- sObjects -----------------------------------------------------------------------------------
def test_get_record_by_id_in_either_id_form(api: httpx.Client) -> None:
    full = api.get(f"/sobjects/Account/{ACME}").json()
    assert full["attributes"] == {
        "type": "Account",
        "url": f"/services/data/{VERSION}/sobjects/Account/{ACME}",
    }
    assert full["Name"] == "Acme Bakery LLC"
    assert full["Product__c"] == "Merchant Services"
    short = api.get(f"/sobjects/account/{ACME[:15]}", params={"fields": "name,Industry"})
    assert short.json() == {"attributes": full["attributes"], "Name": "Acme Bakery LLC",
                            "Industry": "Food & Beverage"}  # fmt: skip


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/sobjects/Account/001000000000099AAA", 404, "NOT_FOUND"),
        ("/sobjects/Contact/" + ACME, 404, "NOT_FOUND"),  # an id of another type
        ("/sobjects/Widget/" + ACME, 404, "NOT_FOUND"),
        (f"/sobjects/Account/{ACME}?fields=Name,Shoe", 400, "INVALID_FIELD"),
        ("/no/such/resource", 404, "NOT_FOUND"),
    ],
)
def test_unknown_resources_answer_in_salesforce_shape(
    api: httpx.Client, path: str, status: int, code: str
) -> None:
    response = api.get(path)
    assert response.status_code == status
    assert [c for c, _ in errors_of(response)] == [code]


@pytest.mark.parametrize(
    "path", ["/services/data/v99.0/query?q=SELECT+Id+FROM+Account", "/nowhere", "/_sandbox/docs"]
)
def test_paths_outside_the_api_are_not_found(
    sandbox: EmbeddedSandbox, api: httpx.Client, path: str
) -> None:
    response = httpx.get(sandbox.system_url("salesforce") + path, headers=api.headers)
    assert response.status_code == 404
    assert [c for c, _ in errors_of(response)] == ["NOT_FOUND"]


def test_create_task_with_defaults(writable_api: httpx.Client) -> None:
    response = writable_api.post("/sobjects/Task", json={"Subject": "Call client", "WhatId": ACME})
    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], "success": True, "errors": []}
    assert len(body["id"]) == 18 and body["id"].startswith("00T")
    created = writable_api.get(f"/sobjects/Task/{body['id']}").json()
    assert created["Status"] == "Not Started"
    assert created["Priority"] == "Normal"
    assert created["CreatedDate"] == created["LastModifiedDate"] == "2026-11-30T15:00:00.000+0000"
    found = query(writable_api, f"SELECT What.Name FROM Task WHERE Id = '{body['id']}'").json()
    assert found["records"][0]["What"]["Name"] == "Acme Bakery LLC"


@pytest.mark.parametrize(
    ("body", "code", "fields"),
    [
        ({"Status": "Completed"}, "REQUIRED_FIELD_MISSING", ["Subject"]),
        ({"Subject": ""}, "REQUIRED_FIELD_MISSING", ["Subject"]),
        ({"Subject": "x", "Shoe": 1}, "INVALID_FIELD", ["Shoe"]),
        ({"Subject": "x", "Id": "00T000000000001AAA"}, "INVALID_FIELD_FOR_INSERT_UPDATE", ["Id"]),
        (["Subject"], "JSON_PARSER_ERROR", None),
    ],
)
def test_create_refuses_invalid_bodies(
    writable_api: httpx.Client, body: object, code: str, fields: list[str] | None
) -> None:
    response = writable_api.post("/sobjects/Task", json=body)
    assert response.status_code == 400
    [error] = response.json()
    assert error["errorCode"] == code
    assert error.get("fields") == fields


def test_create_refuses_a_body_that_is_not_json(writable_api: httpx.Client) -> None:
    response = writable_api.post("/sobjects/Task", content=b"{nope")
    assert response.status_code == 400
    assert [c for c, _ in errors_of(response)] == ["JSON_PARSER_ERROR"]


def test_update_by_id(writable_api: httpx.Client, fresh_sandbox: EmbeddedSandbox) -> None:
    task = "00T000000000004AAA"
    response = writable_api.patch(f"/sobjects/Task/{task}", json={"status": "In Progress"})
    assert response.status_code == 204
    assert response.content == b""
    stored = fresh_sandbox.ctx.store.get("salesforce.Task", task)
    assert stored is not None
    assert stored["Status"] == "In Progress"
    assert stored["Subject"] == "Follow up on pricing proposal"
    assert stored["LastModifiedDate"] == "2026-11-30T15:00:00.000+0000"
    missing = writable_api.patch("/sobjects/Task/00T000000000099AAA", json={"Status": "Deferred"})
    assert missing.status_code == 404


def test_upsert_by_external_id_never_duplicates(writable_api: httpx.Client) -> None:
    path = "/sobjects/Task/Baton_Key__c/nudge-acme-1"
    first = writable_api.patch(path, json={"Subject": "Nudge Raj", "WhatId": ACME})
    assert first.status_code == 201
    created = first.json()
    assert created == {"id": created["id"], "success": True, "errors": [], "created": True}
    again = writable_api.patch(path, json={"Subject": "Nudge Raj again", "WhatId": ACME})
    assert again.status_code == 200
    assert again.json() == {"id": created["id"], "success": True, "errors": [], "created": False}
    rows = query(
        writable_api, "SELECT Id, Subject FROM Task WHERE Baton_Key__c = 'nudge-acme-1'"
    ).json()
    assert [(r["Id"], r["Subject"]) for r in rows["records"]] == [
        (created["id"], "Nudge Raj again")
    ]


def test_upsert_on_an_unknown_field_is_not_found(writable_api: httpx.Client) -> None:
    response = writable_api.patch("/sobjects/Task/Shoe__c/1", json={"Subject": "x"})
    assert response.status_code == 404
    [(code, message)] = errors_of(response)
    assert code == "NOT_FOUND"
    assert "Shoe__c" in message


# -- limits -------------------------------------------------------------------------------------
def test_every_api_request_is_counted_in_sforce_limit_info(fresh_sandbox: EmbeddedSandbox) -> None:
    with rest_client(fresh_sandbox) as client:
        first = client.get(f"/sobjects/Account/{ACME}")
        second = query(client, "SELECT Id FROM Account")
        failed = client.get("/sobjects/Account/001000000000099AAA")
    assert first.headers["Sforce-Limit-Info"] == "api-usage=1/100000"
    assert second.headers["Sforce-Limit-Info"] == "api-usage=2/100000"
    assert failed.headers["Sforce-Limit-Info"] == "api-usage=3/100000"


def test_spent_daily_limit_answers_403(fresh_sandbox: EmbeddedSandbox) -> None:
    fresh_sandbox.ctx.options.salesforce_daily_limit = 2
    with rest_client(fresh_sandbox) as client:
        allowed = [client.get(f"/sobjects/Account/{ACME}").status_code for _ in range(2)]
        refused = client.get(f"/sobjects/Account/{ACME}")
    assert allowed == [200, 200]
    assert refused.status_code == 403
    assert refused.json() == [
        {"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}
    ]
    assert refused.headers["Sforce-Limit-Info"] == "api-usage=2/2"
    # The version list is free of limits.
    listing = httpx.get(f"{fresh_sandbox.system_url('salesforce')}/services/data/")
    assert listing.status_code == 200


# -- faults -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fault", "status", "code"),
    [
        ("status=500", 500, "UNKNOWN_EXCEPTION"),
        ("status=503", 503, "SERVER_UNAVAILABLE"),
        ("rate_limit", 403, "REQUEST_LIMIT_EXCEEDED"),
        ("rate_limit,retry_after=5", 403, "REQUEST_LIMIT_EXCEEDED"),
        ("bogus", 400, "BAD_REQUEST"),
    ],
)
def test_injected_errors_are_native(api: httpx.Client, fault: str, status: int, code: str) -> None:
    response = api.get(f"/sobjects/Account/{ACME}", headers={"X-Sandbox-Fault": fault})
    assert response.status_code == status
    assert [c for c, _ in errors_of(response)] == [code]
    assert "Retry-After" not in response.headers  # Salesforce never sends one
    assert response.headers["Sforce-Limit-Info"].startswith("api-usage=")


def test_injected_malformed_body(api: httpx.Client) -> None:
    response = api.get(f"/sobjects/Account/{ACME}", headers={"X-Sandbox-Fault": "malformed"})
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_injected_latency_delays_a_normal_answer(api: httpx.Client) -> None:
    started = time.monotonic()
    response = api.get(f"/sobjects/Account/{ACME}", headers={"X-Sandbox-Fault": "latency=150"})
    assert time.monotonic() - started >= 0.15
    assert response.json()["Id"] == ACME


def test_injected_hang_times_the_client_out(api: httpx.Client) -> None:
    with pytest.raises(httpx.ReadTimeout):
        api.get(f"/sobjects/Account/{ACME}", headers={"X-Sandbox-Fault": "hang"}, timeout=0.2)


def test_a_fault_with_zero_probability_never_fires(api: httpx.Client) -> None:
    response = api.get(f"/sobjects/Account/{ACME}", headers={"X-Sandbox-Fault": "status=500,p=0"})
    assert response.status_code == 200
