"""Evaluate a parsed search ``Query`` over tickets, users and organizations, and sort results.

Combination rules, as Zendesk applies them: conditions on different properties must all hold;
several positive ``:`` conditions on the same property are alternatives (``status:open
status:pending`` finds either — zenpy's list arguments rely on this), while comparisons narrow
(``created>a created<b`` is a range, as zenpy's ``*_between`` writes it); negated conditions
and free-text terms must all hold.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Literal

from sandbox.store import Record
from sandbox.zendesk.query import (
    KEYWORDS,
    NONE,
    ORDERS,
    RESULT_TYPES,
    Condition,
    Kind,
    Op,
    Query,
    TextTerm,
)
from sandbox.zendesk.records import COMMENTS, GROUPS, ORGANIZATIONS, TICKETS, USERS, Records

Predicate = Callable[[Record], bool]
Result = tuple[str, Record]  # (result_type, record)
SortBy = Literal["created_at", "updated_at", "priority", "status", "ticket_type"]
SortOrder = Literal["asc", "desc"]

COLLECTIONS = {"ticket": TICKETS, "user": USERS, "organization": ORGANIZATIONS}
# Search keyword → record attribute, per result type; a keyword a type lacks matches nothing.
ATTRIBUTES: dict[str, dict[str, str]] = {
    "ticket": {
        "status": "status",
        "priority": "priority",
        "ticket_type": "type",
        "organization": "organization_id",
        "group": "group_id",
        "assignee": "assignee_id",
        "requester": "requester_id",
        "tags": "tags",
        "external_id": "external_id",
        "subject": "subject",
        "description": "description",
        "created": "created_at",
        "updated": "updated_at",
        "due_date": "due_at",
    },
    "user": {
        "name": "name",
        "email": "email",
        "role": "role",
        "external_id": "external_id",
        "organization": "organization_id",
        "tags": "tags",
        "created": "created_at",
        "updated": "updated_at",
    },
    "organization": {
        "name": "name",
        "external_id": "external_id",
        "tags": "tags",
        "created": "created_at",
        "updated": "updated_at",
    },
}
# What free text is matched against (tickets also match their comments' bodies).
TEXT_ATTRIBUTES = {
    "ticket": ("subject", "description"),
    "user": ("name", "email", "external_id"),
    "organization": ("name", "external_id"),
}
# Which collection, and which of its attributes besides the id, a reference value may name.
REFERENCES = {
    "organization": (ORGANIZATIONS, ("name",)),
    "group": (GROUPS, ("name",)),
    "assignee": (USERS, ("email", "name")),
    "requester": (USERS, ("email", "name")),
}


class Matcher:
    """Runs queries against the store, with ``now`` for relative dates."""

    def __init__(self, records: Records, now: datetime) -> None:
        self.records = records
        self.now = now

    def search(self, query: Query) -> list[Result]:
        results: list[Result] = []
        for result_type in RESULT_TYPES:
            if not query.includes(result_type):
                continue
            matches = self._compile(query, result_type)
            records = self.records.all(COLLECTIONS[result_type])
            results.extend((result_type, r) for r in records if matches(r))
        return results

    def _compile(self, query: Query, result_type: str) -> Predicate:
        checks: list[Predicate] = []
        alternatives: dict[str, list[Predicate]] = {}
        for condition in query.conditions:
            if condition.field == "type":
                continue  # decided by Query.includes
            test = self._condition(condition, result_type)
            if condition.negated:
                checks.append(_negate(test))
            elif condition.op is Op.EQ:
                alternatives.setdefault(condition.field, []).append(test)
            else:
                checks.append(test)  # comparisons narrow: created>a created<b is a range
        checks.extend(_any(tests) for tests in alternatives.values())
        if query.terms:
            text_of = self._text_source(result_type)
            checks.extend(_text_check(term, text_of) for term in query.terms)
        return lambda record: all(check(record) for check in checks)

    def _condition(self, condition: Condition, result_type: str) -> Predicate:
        attribute = ATTRIBUTES[result_type].get(condition.field)
        if attribute is None:
            return lambda _: False
        kind = KEYWORDS[condition.field]
        value = condition.value
        if kind is Kind.ORDERED:
            order = ORDERS[condition.field]
            return _ordered(attribute, order, condition.op, order.index(value))
        if kind is Kind.DATE:
            assert condition.date is not None  # the parser sets it for every date keyword
            start, end = condition.date.interval(self.now)
            return _dated(attribute, condition.op, start, end)
        if value.lower() == NONE:
            return lambda r: not r.get(attribute)
        if kind is Kind.REFERENCE:
            ids = self._referenced_ids(condition.field, value)
            return lambda r: str(r.get(attribute)) in ids
        if kind is Kind.TAGS:
            tag = value.lower()
            return lambda r: tag in (str(t).lower() for t in r.get(attribute) or ())
        if kind is Kind.WORDS:
            pattern = _words_pattern(value)
            return lambda r: bool(pattern.search(str(r.get(attribute) or "")))
        wanted = value.lower()
        return lambda r: str(r.get(attribute) or "").lower() == wanted

    def _referenced_ids(self, field: str, value: str) -> set[str]:
        """Ids named by ``value``: an id itself, or records whose name/email equals it."""
        if value.isdigit():
            return {value}
        collection, attributes = REFERENCES[field]
        wanted = value.lower()
        return {
            str(record["id"])
            for record in self.records.all(collection)
            if any(str(record.get(a) or "").lower() == wanted for a in attributes)
        }

    def _text_source(self, result_type: str) -> Callable[[Record], str]:
        attributes = TEXT_ATTRIBUTES[result_type]
        if result_type != "ticket":
            return lambda r: _joined(r.get(a) for a in attributes)
        bodies: dict[Any, list[str]] = {}
        for comment in self.records.all(COMMENTS):
            bodies.setdefault(comment.get("ticket_id"), []).append(str(comment.get("body") or ""))
        return lambda r: _joined([*(r.get(a) for a in attributes), *bodies.get(r["id"], ())])


def sort_results(results: list[Result], sort_by: SortBy | None, order: SortOrder) -> list[Result]:
    """Order by ``sort_by`` (records without the value first when ascending); without it,
    keep the matcher's order, which stands in for Zendesk's relevance."""
    if sort_by is None:
        return results
    key = _SORT_KEYS[sort_by]
    return sorted(results, key=lambda result: key(result[1]), reverse=order == "desc")


def _rank(field: str) -> Callable[[Record], int]:
    order = ORDERS[field]
    return lambda r: order.index(r[field]) if r.get(field) in order else -1


def _time_key(attribute: str) -> Callable[[Record], datetime]:
    return lambda r: _timestamp(r.get(attribute)) or datetime.min.replace(tzinfo=UTC)


_SORT_KEYS: dict[str, Callable[[Record], Any]] = {
    "created_at": _time_key("created_at"),
    "updated_at": _time_key("updated_at"),
    "priority": _rank("priority"),
    "status": _rank("status"),
    "ticket_type": lambda r: str(r.get("type") or ""),
}


def _ordered(attribute: str, order: tuple[str, ...], op: Op, rank: int) -> Predicate:
    def test(record: Record) -> bool:
        value = record.get(attribute)
        return value in order and _COMPARE[op](order.index(value), rank)

    return test


_COMPARE: dict[Op, Callable[[int, int], bool]] = {
    Op.EQ: operator.eq,
    Op.LT: operator.lt,
    Op.GT: operator.gt,
    Op.LE: operator.le,
    Op.GE: operator.ge,
}


def _dated(attribute: str, op: Op, start: datetime, end: datetime) -> Predicate:
    """Compare a timestamp with the interval [start, end) a date value stands for."""

    def test(record: Record) -> bool:
        moment = _timestamp(record.get(attribute))
        if moment is None:
            return False
        return {
            Op.EQ: start <= moment < end,
            Op.LT: moment < start,
            Op.LE: moment < end,
            Op.GT: moment >= end,
            Op.GE: moment >= start,
        }[op]

    return test


def _timestamp(value: object) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _words_pattern(text: str) -> re.Pattern[str]:
    """Zendesk matches a word where it is a whole word or a word's prefix, never mid-word."""
    words = (re.escape(word) for word in text.split())
    return re.compile(r"(?<!\w)" + r"\W+".join(words), re.IGNORECASE)


def _text_check(term: TextTerm, text_of: Callable[[Record], str]) -> Predicate:
    pattern = _words_pattern(term.text)

    def test(record: Record) -> bool:
        return bool(pattern.search(text_of(record)))

    return _negate(test) if term.negated else test


def _joined(parts: Iterable[object]) -> str:
    return "\n".join(str(p) for p in parts if p)


def _negate(test: Predicate) -> Predicate:
    return lambda r: not test(r)


def _any(tests: list[Predicate]) -> Predicate:
    return lambda r: any(test(r) for test in tests)
