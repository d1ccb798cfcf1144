"""Search matcher over a small store: each filter kind, combination rules, text and sorting."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sandbox.store import Store
from sandbox.zendesk.matcher import Matcher, sort_results
from sandbox.zendesk.query import parse
from sandbox.zendesk.records import COMMENTS, GROUPS, ORGANIZATIONS, TICKETS, USERS, Records

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def _ticket(tid: int, **fields: object) -> dict:
    return {
        "id": tid,
        "subject": f"Ticket {tid}",
        "status": "open",
        "requester_id": 11,
        "created_at": "2026-11-01T00:00:00Z",
        "updated_at": "2026-11-01T00:00:00Z",
        **fields,
    }


@pytest.fixture
def matcher(tmp_path: Path) -> Iterator[Matcher]:
    store = Store(tmp_path / "z.db")
    store.load(
        USERS,
        [
            (str(u["id"]), u)
            for u in [
                {"id": 11, "name": "Dana Whitfield", "email": "dana@bank.example", "role": "agent"},
                {
                    "id": 12,
                    "name": "Maria Gomez",
                    "email": "maria@acme.example",
                    "role": "end-user",
                    "organization_id": 31,
                    "external_id": "C-12",
                },
            ]
        ],
    )
    store.load(
        GROUPS, [("21", {"id": 21, "name": "KYC & BSA"}), ("22", {"id": 22, "name": "Credit"})]
    )
    store.load(
        ORGANIZATIONS,
        [
            (str(o["id"]), o)
            for o in [
                {"id": 31, "name": "Acme Bakery LLC", "external_id": "001A"},
                {"id": 32, "name": "Northwind Logistics", "external_id": "001B"},
            ]
        ],
    )
    store.load(
        TICKETS,
        [
            (str(t["id"]), t)
            for t in [
                _ticket(
                    1,
                    subject="KYC review for Acme",
                    status="pending",
                    priority="high",
                    organization_id=31,
                    group_id=21,
                    assignee_id=11,
                    tags=["onboarding", "step_kyc"],
                    created_at="2026-11-20T10:00:00Z",
                    updated_at="2026-11-29T09:00:00Z",
                ),
                _ticket(
                    2,
                    subject="Credit review",
                    status="hold",
                    priority="urgent",
                    organization_id=32,
                    group_id=22,
                    assignee_id=11,
                    requester_id=12,
                    tags=["onboarding", "step_credit"],
                    due_at="2026-11-26T17:00:00Z",
                    created_at="2026-10-01T00:00:00Z",
                ),
                _ticket(
                    3,
                    subject="Terminal offline",
                    status="solved",
                    priority="low",
                    tags=[],
                    external_id="EXT-3",
                    created_at="2026-11-29T12:00:00Z",
                    updated_at="2026-11-30T12:00:00Z",
                ),
                _ticket(4, subject="Closed one", status="closed", type="question"),
            ]
        ],
    )
    store.load(COMMENTS, [("9", {"id": 9, "ticket_id": 3, "body": "Reader shows E-104 on boot"})])
    yield Matcher(Records(store), NOW)
    store.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status:open", []),
        ("status<solved", [1, 2]),
        ("status>hold", [3, 4]),
        ("status>=hold", [2, 3, 4]),
        ("status<=pending", [1]),
        ("priority>normal", [1, 2]),
        ("status:pending status:hold", [1, 2]),  # same property: alternatives
        ("status<solved priority:urgent", [2]),  # different properties: all must hold
        ("-status:closed -status:solved", [1, 2]),
        ("tags:step_kyc", [1]),
        ("tag:onboarding -tags:step_credit", [1]),
        ("tags:none", [3, 4]),
        ("organization:31", [1]),
        ('organization:"Northwind Logistics"', [2]),
        ("organization:none", [3, 4]),
        ("group:21", [1]),
        ('group:"kyc & bsa"', [1]),
        ("group:Credit", [2]),
        ("assignee:dana@bank.example", [1, 2]),
        ('assignee:"Dana Whitfield"', [1, 2]),
        ("assignee:none", [3, 4]),
        ("requester:12", [2]),
        ("requester:maria@acme.example", [2]),
        ("external_id:ext-3", [3]),
        ("ticket_type:question", [4]),
        ("created>2026-11-20", [3]),
        ("created>=2026-11-20", [1, 3]),
        ("created:2026-11-20", [1]),
        ("created<2026-11-01", [2]),
        ("created<=2026-11-01", [2, 4]),
        ("created>2026-11-01 created<2026-11-25", [1]),  # comparisons narrow: a range
        ("updated>2026-11-29T09:00:00Z", [3]),
        ("created>2days", [3]),
        ("due_date<2026-11-27", [2]),
        ("review", [1, 2]),
        ('"credit review"', [2]),
        ("revi", [1, 2]),  # a word prefix matches
        ("eview", []),  # mid-word does not
        ("e-104", [3]),  # comment bodies are searched
        ("-review", [3, 4]),
        ("acme status<solved", [1]),
    ],
)
def test_ticket_filters(matcher: Matcher, query: str, expected: list[int]) -> None:
    results = matcher.search(parse(f"type:ticket {query}"))
    assert [record["id"] for _, record in results] == expected


def test_users_and_organizations_by_name_email_and_external_id(matcher: Matcher) -> None:
    def ids(query: str) -> list[tuple[str, int]]:
        return [(kind, record["id"]) for kind, record in matcher.search(parse(query))]

    assert ids("type:organization external_id:001B") == [("organization", 32)]
    assert ids("type:organization acme") == [("organization", 31)]
    assert ids('type:organization name:"acme bakery"') == [("organization", 31)]
    assert ids("type:user email:maria@acme.example") == [("user", 12)]
    assert ids("type:user external_id:C-12") == [("user", 12)]
    assert ids("type:user organization:31") == [("user", 12)]
    assert ids("type:user role:agent") == [("user", 11)]
    # Without type: every result type, tickets first.
    assert ids("acme") == [("ticket", 1), ("user", 12), ("organization", 31)]
    # A property a type does not have matches none of its records.
    assert ids("type:organization status:open") == []


def test_sorting(matcher: Matcher) -> None:
    results = matcher.search(parse("type:ticket"))

    def order(sort_by: str | None, sort_order: str) -> list[int]:
        return [r["id"] for _, r in sort_results(results, sort_by, sort_order)]  # type: ignore[arg-type]

    assert order(None, "desc") == [1, 2, 3, 4]
    assert order("created_at", "asc") == [2, 4, 1, 3]
    assert order("created_at", "desc") == [3, 1, 4, 2]
    assert order("updated_at", "desc")[0] == 3
    assert order("priority", "desc") == [2, 1, 3, 4]  # urgent, high, low, none
    assert order("status", "asc") == [1, 2, 3, 4]
    assert order("ticket_type", "desc")[0] == 4
