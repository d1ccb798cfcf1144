"""Zendesk reads over real HTTP: auth, tickets, paging, comments, directory, search, errors."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import httpx
import pytest

from sandbox.context import Credentials
from sandbox.server import EmbeddedSandbox
from sandbox.zendesk.auth import authorization_header
from tests.conftest import MINI_WORLD


@pytest.fixture(scope="module")
def zendesk_sandbox() -> Iterator[EmbeddedSandbox]:
    """A sandbox of this module's own: the exact result lists below must not see tickets that
    other modules' tests create in the shared one."""
    with EmbeddedSandbox(MINI_WORLD) as sb:
        yield sb


@pytest.fixture(scope="module")
def client(zendesk_sandbox: EmbeddedSandbox) -> Iterator[httpx.Client]:
    headers = {"Authorization": authorization_header(Credentials())}
    with httpx.Client(base_url=zendesk_sandbox.system_url("zendesk"), headers=headers) as c:
        yield c


def _ids(items: list[dict]) -> list[int]:
    return [item["id"] for item in items]


def _basic(raw: str) -> str:
    return "Basic " + base64.b64encode(raw.encode()).decode()


# -- auth ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "authorization",
    [
        None,
        _basic("baton@demo-bank.example/token:wrong-token"),
        _basic("someone@else.example/token:baton-demo-token"),
        _basic("baton@demo-bank.example:baton-demo-token"),  # a password login, not a token
        "Bearer wrong-token",
        "Basic not-base64!",
    ],
)
def test_bad_credentials_are_refused(
    zendesk_sandbox: EmbeddedSandbox, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = httpx.get(
        f"{zendesk_sandbox.system_url('zendesk')}/api/v2/tickets/5001.json", headers=headers
    )
    assert response.status_code == 401
    assert response.json() == {"error": "Couldn't authenticate you"}


@pytest.mark.parametrize(
    "authorization",
    [_basic("BATON@demo-bank.example/token:baton-demo-token"), "Bearer baton-demo-token"],
)
def test_token_and_bearer_auth_are_accepted(
    zendesk_sandbox: EmbeddedSandbox, authorization: str
) -> None:
    response = httpx.get(
        f"{zendesk_sandbox.system_url('zendesk')}/api/v2/tickets/5001.json",
        headers={"Authorization": authorization},
    )
    assert response.status_code == 200


# -- tickets ------------------------------------------------------------------------------------
def test_get_ticket(client: httpx.Client) -> None:
    response = client.get("/api/v2/tickets/5001.json")
    assert response.status_code == 200
    ticket = response.json()["ticket"]
    base = str(client.base_url).rstrip("/")
    assert ticket["url"] == f"{base}/api/v2/tickets/5001.json"
    assert ticket["status"] == "pending"
    assert ticket["tags"] == ["onboarding", "merchant_services", "step_kyc"]
    assert response.headers["X-Rate-Limit"] == "700"
    assert int(response.headers["X-Rate-Limit-Remaining"]) < 700


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/tickets/999999.json",
        "/api/v2/tickets/abc.json",
        "/api/v2/nothing/here",
        "/api/v2/users/1.json",
        "/api/v2/organizations/77/tickets.json",
    ],
)
def test_missing_records_and_unknown_paths_are_404(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"error": "RecordNotFound", "description": "Not found"}


def test_wrong_method_is_a_native_404(client: httpx.Client) -> None:
    response = client.delete("/api/v2/search.json")
    assert response.json() == {"error": "RecordNotFound", "description": "Not found"}


def test_ticket_list_offset_paging(client: httpx.Client) -> None:
    first = client.get("/api/v2/tickets.json", params={"per_page": 3}).json()
    assert _ids(first["tickets"]) == [5001, 5002, 5003]
    assert first["count"] >= 8
    assert first["previous_page"] is None
    second = client.get(first["next_page"]).json()
    assert _ids(second["tickets"]) == [5004, 5005, 5006]
    assert client.get(second["previous_page"]).json()["tickets"] == first["tickets"]


def test_ticket_list_cursor_paging_walks_forward_and_back(client: httpx.Client) -> None:
    page = client.get("/api/v2/tickets.json", params={"page[size]": 3}).json()
    assert _ids(page["tickets"]) == [5001, 5002, 5003]
    assert page["meta"]["has_more"] is True
    assert page["links"]["next"].startswith(str(client.base_url).rstrip("/") + "/api/v2/")
    seen = _ids(page["tickets"])
    while page["meta"]["has_more"]:
        page = client.get(page["links"]["next"]).json()
        seen += _ids(page["tickets"])
    assert seen[:8] == [5001, 5002, 5003, 5004, 5005, 5006, 5007, 5008]
    assert len(seen) == len(set(seen))
    back = client.get(
        "/api/v2/tickets.json", params={"page[size]": 2, "page[before]": _cursor_of(client, 5004)}
    ).json()
    assert _ids(back["tickets"]) == [5002, 5003]
    assert back["meta"]["has_more"] is True


def _cursor_of(client: httpx.Client, ticket_id: int) -> str:
    """The after_cursor of a one-ticket page ending at ``ticket_id``."""
    page = client.get("/api/v2/tickets.json", params={"page[size]": 1}).json()
    while page["tickets"][0]["id"] != ticket_id:
        page = client.get(page["links"]["next"]).json()
    return page["meta"]["after_cursor"]


@pytest.mark.parametrize(
    ("params", "attribute"),
    [
        ({"page[size]": 101}, "page[size]"),
        ({"per_page": 0}, "per_page"),
        ({"page[after]": "bogus"}, "page[after]"),
        ({"page": "x"}, "page"),
    ],
)
def test_bad_paging_parameters_are_400(client: httpx.Client, params: dict, attribute: str) -> None:
    response = client.get("/api/v2/tickets.json", params=params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["title"] == "Invalid attribute"
    assert f"the {attribute} attribute" in error["message"]


def test_show_many_and_organization_tickets(client: httpx.Client) -> None:
    many = client.get("/api/v2/tickets/show_many.json", params={"ids": "5003,5001,424242"}).json()
    assert _ids(many["tickets"]) == [5003, 5001]
    org = client.get("/api/v2/organizations/3003/tickets.json").json()
    assert _ids(org["tickets"]) == [5005, 5006, 5007]
    cursor = client.get("/api/v2/organizations/3003/tickets.json", params={"page[size]": 2}).json()
    assert _ids(cursor["tickets"]) == [5005, 5006]
    assert cursor["meta"]["has_more"] is True


# -- comments -----------------------------------------------------------------------------------
def test_comments_are_shaped_and_sorted(client: httpx.Client) -> None:
    body = client.get("/api/v2/tickets/5001/comments.json").json()
    comments = body["comments"]
    assert _ids(comments) == [90001, 90002, 90003]
    assert body["count"] == 3
    assert all("ticket_id" not in c for c in comments)
    note = comments[1]
    assert note["public"] is False
    assert note["plain_body"] == note["body"]
    assert note["html_body"].startswith('<div class="zd-comment"')
    desc = client.get("/api/v2/tickets/5001/comments.json", params={"sort_order": "desc"}).json()
    assert _ids(desc["comments"]) == [90003, 90002, 90001]


def test_comments_paging(client: httpx.Client) -> None:
    offset = client.get("/api/v2/tickets/5001/comments.json", params={"per_page": 2}).json()
    assert _ids(offset["comments"]) == [90001, 90002]
    assert _ids(client.get(offset["next_page"]).json()["comments"]) == [90003]
    cursor = client.get(
        "/api/v2/tickets/5001/comments.json", params={"page[size]": 2, "sort_order": "desc"}
    ).json()
    assert _ids(cursor["comments"]) == [90003, 90002]
    rest = client.get(cursor["links"]["next"]).json()
    assert _ids(rest["comments"]) == [90001]
    assert rest["meta"]["has_more"] is False


def test_comments_of_a_missing_ticket_are_404(client: httpx.Client) -> None:
    assert client.get("/api/v2/tickets/999999/comments.json").status_code == 404


# -- users, groups, organizations ---------------------------------------------------------------
def test_directory(client: httpx.Client) -> None:
    user = client.get("/api/v2/users/1001.json").json()["user"]
    assert user["email"] == "dana.whitfield@demo-bank.example"
    many = client.get("/api/v2/users/show_many.json", params={"ids": "1002,1001"}).json()
    assert [u["name"] for u in many["users"]] == ["Raj Patel", "Dana Whitfield"]
    assert client.get("/api/v2/users.json", params={"per_page": 2}).json()["next_page"]
    groups = client.get("/api/v2/groups.json").json()["groups"]
    assert {g["name"] for g in groups} >= {
        "KYC & BSA",
        "Credit",
        "Onboarding Operations",
        "Treasury Implementation",
        "Merchant Services",
    }
    assert client.get("/api/v2/groups/2002.json").json()["group"]["name"] == "Credit"
    org = client.get("/api/v2/organizations/3001.json").json()["organization"]
    assert org["external_id"] == "001000000000001AAA"
    assert len(client.get("/api/v2/organizations.json").json()["organizations"]) == 3


def test_organization_search_by_external_id(client: httpx.Client) -> None:
    found = client.get(
        "/api/v2/organizations/search.json", params={"external_id": "001000000000002AAA"}
    ).json()
    assert [o["name"] for o in found["organizations"]] == ["Acme Bakeries Inc"]
    none = client.get("/api/v2/organizations/search.json", params={"external_id": "nope"}).json()
    assert none["organizations"] == [] and none["count"] == 0
    assert client.get("/api/v2/organizations/search.json").status_code == 400


# -- search -------------------------------------------------------------------------------------
def _search(client: httpx.Client, query: str, **params: object) -> dict:
    response = client.get("/api/v2/search.json", params={"query": query, **params})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type:ticket organization:3001", [5001, 5002]),
        ("type:ticket tags:onboarding status<solved", [5001, 5002, 5003, 5005, 5006]),
        ("type:ticket status:pending", [5001, 5006]),
        ("type:ticket status>pending", [5002, 5004, 5007]),
        ('type:ticket group:"KYC & BSA"', [5001, 5004]),
        ("type:ticket assignee:raj.patel@demo-bank.example", [5003]),
        ("type:ticket assignee:none", [5007, 5008]),
        ("type:ticket organization:none", [5008]),
        ("type:ticket requester:1104", [5008]),
        ("type:ticket priority:urgent", [5005]),
        ("type:ticket external_id:KYC-001000000000001AAA", [5001]),
        ("type:ticket created>2026-11-15 created<2026-11-30", [5002, 5008]),
        ("type:ticket created>=2026-11-15 created<2026-11-30", [5002, 5006, 5008]),
        ("type:ticket updated>2days", [5003, 5008]),
        ("type:ticket due_date<2026-11-30", [5005]),
        ('type:ticket "credit review"', [5003]),
        ("type:ticket watchlist", [5001]),  # found in a private note's body
        ("type:ticket tags:step_kyc -status:solved", [5001]),
    ],
)
def test_search_ticket_filters(client: httpx.Client, query: str, expected: list[int]) -> None:
    body = _search(client, query)
    assert _ids(body["results"]) == expected
    assert body["count"] == len(expected)
    assert body["facets"] is None
    assert all(r["result_type"] == "ticket" for r in body["results"])


def test_search_other_types(client: httpx.Client) -> None:
    orgs = _search(client, "type:organization external_id:001000000000003AAA")["results"]
    assert [(o["result_type"], o["name"]) for o in orgs] == [
        ("organization", "Northwind Logistics Corp")
    ]
    users = _search(client, "type:user email:raj.patel@demo-bank.example")["results"]
    assert [(u["result_type"], u["id"]) for u in users] == [("user", 1002)]
    everything = _search(client, "northwind")["results"]
    assert {r["result_type"] for r in everything} == {"ticket", "user", "organization"}


def test_search_sorting_and_paging(client: httpx.Client) -> None:
    first = _search(
        client, "type:ticket tags:onboarding", sort_by="created_at", sort_order="asc", per_page=3
    )
    assert _ids(first["results"]) == [5007, 5004, 5003]
    assert first["count"] == 7
    assert first["previous_page"] is None
    second = client.get(first["next_page"]).json()
    assert _ids(second["results"]) == [5001, 5005, 5006]
    assert second["previous_page"]
    newest = _search(client, "type:ticket", sort_by="updated_at")  # sort_order defaults to desc
    assert _ids(newest["results"])[:2] == [5003, 5008]


@pytest.mark.parametrize(
    ("query", "problem"),
    [('type:ticket subject:"credit', "unclosed quote"), ("status=>open", "unknown operator '=>'")],
)
def test_unparseable_search_is_422(client: httpx.Client, query: str, problem: str) -> None:
    response = client.get("/api/v2/search.json", params={"query": query})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "InvalidQuery"
    assert problem in body["description"]


def test_search_paging_limits(client: httpx.Client) -> None:
    too_far = client.get("/api/v2/search.json", params={"query": "type:ticket", "page": 11})
    assert too_far.status_code == 422
    assert too_far.json()["error"] == "invalid"
    too_big = client.get("/api/v2/search.json", params={"query": "x", "per_page": 101})
    assert too_big.status_code == 400
    bad_sort = client.get("/api/v2/search.json", params={"query": "x", "sort_by": "color"})
    assert bad_sort.status_code == 400
    assert "sort_by" in bad_sort.json()["error"]["message"]
