"""Zendesk search query parser: a table of queries and what they parse to, and the errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sandbox.zendesk.query import Condition, Op, QueryError, TextTerm, parse, tokenize

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("query", "conditions", "terms"),
    [
        ("type:ticket", [("type", ":", "ticket", False)], []),
        ("status<solved", [("status", "<", "solved", False)], []),
        ("status>=Pending", [("status", ">=", "pending", False)], []),
        ("priority<=high", [("priority", "<=", "high", False)], []),
        (
            "tags:step_kyc tag:onboarding",
            [("tags", ":", "step_kyc", False), ("tags", ":", "onboarding", False)],
            [],
        ),
        ("-tags:vip", [("tags", ":", "vip", True)], []),
        ('group:"KYC & BSA"', [("group", ":", "KYC & BSA", False)], []),
        (
            "assignee:none requester:maria@acmebakery.example",
            [
                ("assignee", ":", "none", False),
                ("requester", ":", "maria@acmebakery.example", False),
            ],
            [],
        ),
        (
            "organization:3001 external_id:KYC-1",
            [("organization", ":", "3001", False), ("external_id", ":", "KYC-1", False)],
            [],
        ),
        ("STATUS:OPEN", [("status", ":", "open", False)], []),
        ('"credit review"', [], [("credit review", False)]),
        ('-"internal note" ach', [], [("internal note", True), ("ach", False)]),
        ("E-104 10:30", [], [("E-104", False), ("10:30", False)]),
        ("  spaced   out  ", [], [("spaced", False), ("out", False)]),
        ("", [], []),
    ],
)
def test_parse_table(query: str, conditions: list[tuple], terms: list[tuple]) -> None:
    parsed = parse(query)
    assert [(c.field, c.op.value, c.value, c.negated) for c in parsed.conditions] == conditions
    assert [(t.text, t.negated) for t in parsed.terms] == terms


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        (
            "created>2026-11-01",
            datetime(2026, 11, 1, tzinfo=UTC),
            datetime(2026, 11, 2, tzinfo=UTC),
        ),
        (
            "updated<2026-11-20T10:00:00Z",
            datetime(2026, 11, 20, 10, tzinfo=UTC),
            datetime(2026, 11, 20, 10, 0, 1, tzinfo=UTC),
        ),
        ("created>7days", NOW - timedelta(days=7), NOW - timedelta(days=7, seconds=-1)),
        ("due_date<2hours", NOW - timedelta(hours=2), NOW - timedelta(hours=2, seconds=-1)),
        ("created>1week", NOW - timedelta(weeks=1), NOW - timedelta(weeks=1, seconds=-1)),
    ],
)
def test_date_values_resolve_to_intervals(query: str, start: datetime, end: datetime) -> None:
    (condition,) = parse(query).conditions
    assert condition.date is not None
    assert condition.date.interval(NOW) == (start, end)


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ('subject:"credit review', "unclosed quote at position 8"),
        ('"credit review', "unclosed quote at position 0"),
        ("status=open", "unknown operator '='"),
        ("status<>open", "unknown operator '<>'"),
        ("status=>open", "unknown operator '=>'"),
        ("status:<open", "unknown operator ':<'"),
        ("stauts:open", "unknown search keyword 'stauts'"),
        ("status:waiting", "status 'waiting' at position 0 is not one of new, open"),
        ("priority>extreme", "is not one of low, normal, high, urgent"),
        ("group<2001", "operator '<' does not apply to 'group'"),
        ("status:", "missing value after 'status:'"),
        ("created>yesterdayish", "is not a date"),
        ("type:ticket type:group", "type 'group' at position 12 is not one of"),
        ("foo - bar", "'-' at position 4 negates nothing"),
        ('""', "empty phrase"),
    ],
)
def test_unparseable_queries_name_the_problem(query: str, problem: str) -> None:
    with pytest.raises(QueryError, match=problem.replace("(", r"\(")):
        parse(query)


def test_tokenizer_keeps_quoted_stretches_whole() -> None:
    tokens = tokenize('tags:"a b" -"c d" e')
    assert [(t.text, t.position) for t in tokens] == [('tags:"a b"', 0), ('-"c d"', 11), ("e", 18)]


def test_type_conditions_select_result_types() -> None:
    assert parse("type:user type:organization").includes("user")
    assert not parse("type:user").includes("ticket")
    assert not parse("-type:ticket").includes("ticket")
    assert parse("-type:ticket").includes("organization")
    assert all(parse("acme").includes(t) for t in ("ticket", "user", "organization"))


def test_parsed_values_are_typed() -> None:
    parsed = parse("-status:closed credit")
    assert parsed.conditions == (Condition("status", Op.EQ, "closed", negated=True),)
    assert parsed.terms == (TextTerm("credit"),)
