"""SOQL: tokenizer, parser, binding to a schema, date literals and the evaluator."""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from sandbox.salesforce.binding import bind
from sandbox.salesforce.schema import Schema
from sandbox.salesforce.soql import SoqlError, parse, select
from sandbox.salesforce.soql.dates import resolve
from sandbox.salesforce.soql.lexer import Kind, tokenize
from sandbox.salesforce.soql.nodes import (
    And,
    Comparison,
    DateLiteral,
    FieldPath,
    InList,
    Like,
    Not,
    Operator,
    Or,
    Pattern,
)

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # a Monday


# -- tokenizer ----------------------------------------------------------------------------------
def test_tokenizer_decodes_escapes_and_marks_escaped_wildcards() -> None:
    string = tokenize(r"'O\'Brien\\s 100\% a\_b'")[0]
    assert string.kind is Kind.STRING
    assert string.value == "O'Brien\\s 100% a_b"
    assert string.escaped_wildcards == {string.value.index("%"), string.value.index("_")}


def test_tokenizer_reads_numbers_dates_and_datetimes() -> None:
    tokens = tokenize("-3 2.5 2026-11-02 2026-11-02T10:00:00Z 2026-11-02T10:00:00.000+0000")
    assert [t.value for t in tokens[:5]] == [
        -3,
        2.5,
        date(2026, 11, 2),
        datetime(2026, 11, 2, 10, tzinfo=UTC),
        datetime(2026, 11, 2, 10, tzinfo=UTC),
    ]
    assert [t.kind for t in tokens[:5]] == [
        Kind.NUMBER,
        Kind.NUMBER,
        Kind.DATE,
        Kind.DATETIME,
        Kind.DATETIME,
    ]


# -- parser -------------------------------------------------------------------------------------
def test_parser_builds_the_whole_query() -> None:
    query = parse(
        "select Id, Owner.Name from Account where Name like 'Acme%' and Amount in (1, 2) "
        "order by Name desc, Id nulls last limit 5 offset 2"
    )
    assert query.sobject.name == "Account"
    assert [f.parts for f in query.fields] == [("Id",), ("Owner", "Name")]
    assert query.where == And(
        (
            Like(FieldPath(("Name",), 41), Pattern("Acme%")),
            InList(FieldPath(("Amount",), 63), (1, 2)),
        )
    )
    first, second = query.order_by
    assert (first.field.parts, first.descending, first.nulls_last) == (("Name",), True, True)
    assert (second.field.parts, second.descending, second.nulls_last) == (("Id",), False, True)
    assert (query.limit, query.offset) == (5, 2)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("A = 1", Comparison(FieldPath(("A",), 0), Operator.EQ, 1)),
        ("A <> 'x'", Comparison(FieldPath(("A",), 0), Operator.NE, "x")),
        ("A != null", Comparison(FieldPath(("A",), 0), Operator.NE, None)),
        ("A >= TRUE", Comparison(FieldPath(("A",), 0), Operator.GE, True)),
        (
            "A < LAST_N_DAYS:7",
            Comparison(FieldPath(("A",), 0), Operator.LT, DateLiteral("LAST_N_DAYS", 7)),
        ),
        ("A = today", Comparison(FieldPath(("A",), 0), Operator.EQ, DateLiteral("TODAY"))),
        ("A NOT IN ('x', null)", InList(FieldPath(("A",), 0), ("x", None), negated=True)),
        ("NOT A = 1", Not(Comparison(FieldPath(("A",), 4), Operator.EQ, 1))),
        (
            "(A = 1 OR B = 2) AND C = 3",
            And(
                (
                    Or(
                        (
                            Comparison(FieldPath(("A",), 1), Operator.EQ, 1),
                            Comparison(FieldPath(("B",), 10), Operator.EQ, 2),
                        )
                    ),
                    Comparison(FieldPath(("C",), 21), Operator.EQ, 3),
                )
            ),
        ),
    ],
)
def test_parser_conditions(where: str, expected: object) -> None:
    prefix = "SELECT Id FROM X WHERE "
    condition = parse(prefix + where).where
    assert condition == _shift(expected, len(prefix))


def test_parser_count_and_keywords_in_any_case() -> None:
    query = parse("SeLeCt CoUnT() FrOm Task")
    assert query.is_count
    assert query.sobject.name == "Task"


@pytest.mark.parametrize(
    ("soql", "problem", "column"),
    [
        ("SELECT Id FROMM Account", "unexpected token: 'FROMM'", 11),
        ("SELECT FROM Account", "unexpected token: 'FROM'", 8),
        ("SELECT Id, FROM Account", "unexpected token: 'FROM'", 12),
        ("SELECT Id FROM Account WHERE", "unexpected token: '<EOF>'", 29),
        ("SELECT Id FROM Account WHERE Name = 'x", "unterminated string literal", 37),
        ("SELECT Id FROM Account WHERE Name = 'a\\q'", "invalid escape sequence: '\\q'", 39),
        ("SELECT Id FROM Account WHERE A = 1 AND B = 2 OR C = 3", "unexpected token: 'OR'", 46),
        ("SELECT Id FROM Account LIMIT -1", "unexpected token: '-1'", 30),
        ("SELECT Id FROM Account LIMIT ten", "unexpected token: 'ten'", 30),
        ("SELECT Id FROM Task WHERE D > LAST_N_DAYS", "unexpected token: '<EOF>'", 42),
        ("SELECT Id FROM Task WHERE D > 2026-13-01", "invalid date or date-time: '2026-13-01'", 31),
        ("SELECT Id FROM Task WHERE D > 2026-11-01T10:00:00", "invalid date or date-time", 31),
        ("SELECT Id FROM Account WHERE Name # 'x'", "unexpected character: '#'", 35),
        ("SELECT Id FROM Account WHERE Name LIKE 5", "unexpected token: '5'", 40),
        ("SELECT Id FROM Account ORDER Name", "unexpected token: 'Name'", 30),
        ("SELECT Id FROM Account extra", "unexpected token: 'extra'", 24),
        ("SELECT Id FROM Account WHERE Name IN 'x'", "unexpected token: ''x''", 38),
    ],
)
def test_parser_refuses_malformed_queries(soql: str, problem: str, column: int) -> None:
    with pytest.raises(SoqlError) as caught:
        parse(soql)
    assert caught.value.code == "MALFORMED_QUERY"
    assert caught.value.problem.startswith(problem)
    assert f"ERROR at Row:1:Column:{column}\n" in caught.value.describe(soql)


def test_error_message_points_at_the_line_and_column() -> None:
    soql = "SELECT Id\nFROM Account\nWHERE Name = = 'x'"
    with pytest.raises(SoqlError) as caught:
        parse(soql)
    assert caught.value.describe(soql) == (
        "\nWHERE Name = = 'x'\n             ^\nERROR at Row:3:Column:14\nunexpected token: '='"
    )


# -- binding ------------------------------------------------------------------------------------
SCHEMA = Schema(
    {
        "Account": ["Id", "Name", "OwnerId", "DBA_Name__c", "Bank__c"],
        "User": ["Id", "Name", "Email"],
        "Task": ["Id", "Subject", "WhatId", "OwnerId"],
        "Opportunity": ["Id", "Name", "StageName"],
    }
)


def test_binding_spells_names_as_the_world_does() -> None:
    query = bind(
        parse(
            "select name, owner.NAME, dba_name__C, bank__r.Whatever from account "
            "where OWNER.email != null order by NAME"
        ),
        SCHEMA,
    )
    assert query.sobject.name == "Account"
    assert [f.parts for f in query.fields] == [
        ("Name",),
        ("Owner", "Name"),
        ("DBA_Name__c",),
        ("Bank__r", "Whatever"),  # a custom relationship's target is not known
    ]
    assert query.where.field.parts == ("Owner", "Email")  # type: ignore[union-attr]
    assert query.order_by[0].field.parts == ("Name",)


def test_binding_accepts_a_field_of_any_polymorphic_target() -> None:
    query = bind(parse("SELECT What.StageName FROM Task"), SCHEMA)
    assert query.fields[0].parts == ("What", "StageName")


@pytest.mark.parametrize(
    ("soql", "code", "problem"),
    [
        ("SELECT Id FROM Foo", "INVALID_TYPE", "sObject type 'Foo' is not supported."),
        ("SELECT Foo FROM Account", "INVALID_FIELD", "No such column 'Foo' on entity 'Account'."),
        ("SELECT Owner.Foo FROM Account", "INVALID_FIELD", "No such column 'Foo' on entity 'User'"),
        ("SELECT Id FROM Account WHERE Foo = 1", "INVALID_FIELD", "No such column 'Foo'"),
        ("SELECT Id FROM Account ORDER BY Foo", "INVALID_FIELD", "No such column 'Foo'"),
        (
            "SELECT Boss.Name FROM Account",
            "INVALID_FIELD",
            "Didn't understand relationship 'Boss' in field path.",
        ),
    ],
)
def test_binding_refuses_unknown_names(soql: str, code: str, problem: str) -> None:
    with pytest.raises(SoqlError) as caught:
        bind(parse(soql), SCHEMA)
    assert caught.value.code == code
    assert caught.value.problem.startswith(problem)


# -- date literals ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("literal", "start", "end"),
    [
        (DateLiteral("TODAY"), date(2026, 11, 30), date(2026, 12, 1)),
        (DateLiteral("YESTERDAY"), date(2026, 11, 29), date(2026, 11, 30)),
        (DateLiteral("TOMORROW"), date(2026, 12, 1), date(2026, 12, 2)),
        (DateLiteral("THIS_WEEK"), date(2026, 11, 29), date(2026, 12, 6)),  # Sunday to Sunday
        (DateLiteral("LAST_WEEK"), date(2026, 11, 22), date(2026, 11, 29)),
        (DateLiteral("THIS_MONTH"), date(2026, 11, 1), date(2026, 12, 1)),
        (DateLiteral("LAST_MONTH"), date(2026, 10, 1), date(2026, 11, 1)),
        (DateLiteral("NEXT_MONTH"), date(2026, 12, 1), date(2027, 1, 1)),
        (DateLiteral("THIS_QUARTER"), date(2026, 10, 1), date(2027, 1, 1)),
        (DateLiteral("NEXT_YEAR"), date(2027, 1, 1), date(2028, 1, 1)),
        (DateLiteral("LAST_N_DAYS", 7), date(2026, 11, 23), date(2026, 12, 1)),
        (DateLiteral("NEXT_N_DAYS", 3), date(2026, 12, 1), date(2026, 12, 4)),
        (DateLiteral("LAST_90_DAYS"), date(2026, 9, 1), date(2026, 12, 1)),
        (DateLiteral("N_DAYS_AGO", 2), date(2026, 11, 28), date(2026, 11, 29)),
        (DateLiteral("LAST_N_MONTHS", 2), date(2026, 9, 1), date(2026, 11, 1)),
        (DateLiteral("NEXT_N_WEEKS", 1), date(2026, 12, 6), date(2026, 12, 13)),
        (DateLiteral("N_YEARS_AGO", 1), date(2025, 1, 1), date(2026, 1, 1)),
    ],
)
def test_date_literals_cover_their_span(literal: DateLiteral, start: date, end: date) -> None:
    span = resolve(literal, NOW)
    assert (span.start.date(), span.end.date()) == (start, end)
    assert span.start.tzinfo is UTC


# -- evaluator ----------------------------------------------------------------------------------
RECORDS: list[dict[str, Any]] = [
    {"Id": "a1", "Name": "Acme Bakery", "Amount": 10, "Won": True,
     "Close": "2026-11-30", "Created": "2026-11-30T09:00:00.000+0000"},
    {"Id": "a2", "Name": "acme bakeries", "Amount": 25.5, "Won": False,
     "Close": "2026-11-02", "Created": "2026-11-02T00:00:00.000+0000"},
    {"Id": "a3", "Name": "O'Brien's 100% Hardware", "Amount": None, "Won": False,
     "Close": "2026-12-24", "Created": "2026-10-01T12:00:00Z"},
    {"Id": "a4", "Name": "", "Amount": 7, "Close": None, "Created": None},
]  # fmt: skip


def _ids(soql: str) -> list[str]:
    rows = select(RECORDS, parse(soql), lambda record, path: record.get(path.field), NOW)
    return [r["Id"] for r in rows]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("Name = 'ACME BAKERY'", ["a1"]),  # text compares case-insensitively
        ("Name != 'acme bakery'", ["a2", "a3", "a4"]),
        ("Name = null", ["a4"]),  # an empty value is null
        ("Amount = null", ["a3"]),
        ("Amount != null", ["a1", "a2", "a4"]),
        ("Amount > 9", ["a1", "a2"]),
        ("Amount <= 10", ["a1", "a4"]),
        ("Amount IN (7, 25.5)", ["a2", "a4"]),
        ("Amount NOT IN (7, 10)", ["a2", "a3"]),
        ("Amount = '10'", []),  # another type never equals
        ("Won = true", ["a1"]),
        ("Won = false", ["a2", "a3"]),
        ("Name LIKE 'acme%'", ["a1", "a2"]),
        ("Name LIKE 'acme bakery'", ["a1"]),
        ("Name LIKE 'Acme Baker_'", ["a1"]),
        ("Name LIKE '%100\\%%'", ["a3"]),
        ("Name LIKE '%1000\\%%'", []),
        ("Name LIKE '%O\\'Brien%'", ["a3"]),
        ("Name = 'O\\'Brien\\'s 100% Hardware'", ["a3"]),
        ("NOT Name LIKE 'acme%'", ["a3", "a4"]),
        ("(Amount > 9 OR Won = false) AND Name LIKE 'acme%'", ["a1", "a2"]),
        ("Close = TODAY", ["a1"]),
        ("Close > TODAY", ["a3"]),
        ("Close < 2026-11-30", ["a2"]),
        ("Close <= 2026-11-30", ["a1", "a2"]),
        ("Close = NEXT_MONTH", ["a3"]),
        ("Created = TODAY", ["a1"]),
        ("Created = LAST_N_DAYS:30", ["a1", "a2"]),
        ("Created >= 2026-11-02T00:00:00Z", ["a1", "a2"]),
        ("Created > 2026-11-02T00:00:00Z", ["a1"]),
        ("Created < LAST_MONTH", []),
        ("Created = THIS_QUARTER", ["a1", "a2", "a3"]),
        ("Created != null", ["a1", "a2", "a3"]),
    ],
)
def test_evaluator_filters(where: str, expected: list[str]) -> None:
    assert _ids(f"SELECT Id FROM X WHERE {where}") == expected


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("Amount", ["a3", "a4", "a1", "a2"]),  # ascending: nulls first
        ("Amount DESC", ["a2", "a1", "a4", "a3"]),  # descending: nulls last
        ("Amount ASC NULLS LAST", ["a4", "a1", "a2", "a3"]),
        ("Amount DESC NULLS FIRST", ["a3", "a2", "a1", "a4"]),
        ("Name", ["a4", "a2", "a1", "a3"]),  # case-insensitive: "acme bakeries" < "Acme Bakery"
        ("Won DESC, Name DESC", ["a1", "a3", "a2", "a4"]),
    ],
)
def test_evaluator_orders(order: str, expected: list[str]) -> None:
    assert _ids(f"SELECT Id FROM X ORDER BY {order}") == expected


def test_evaluator_applies_offset_then_limit() -> None:
    assert _ids("SELECT Id FROM X ORDER BY Id DESC LIMIT 2 OFFSET 1") == ["a3", "a2"]
    assert _ids("SELECT Id FROM X LIMIT 0") == []


def _shift(node: Any, offset: int) -> Any:
    """``node`` with every field position moved by ``offset`` (conditions parsed in context)."""
    if isinstance(node, FieldPath):
        return replace(node, pos=node.pos + offset)
    if isinstance(node, tuple):
        return tuple(_shift(item, offset) for item in node)
    if is_dataclass(node) and not isinstance(node, type):
        changes = {f.name: _shift(getattr(node, f.name), offset) for f in fields(node)}
        return replace(node, **changes)
    return node
