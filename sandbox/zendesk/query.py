"""Zendesk's search query language: a tokenizer and a parser into a ``Query``.

The subset understood::

    term                   free text: a word, matched case-insensitively as a word or word prefix
    "credit review"        a phrase: these words, in this order
    key:value              a property (``status:open``, ``tags:step_kyc``, ``group:"KYC & BSA"``)
    key<v key>v key<=v key>=v
                           comparisons, for ordered properties (status, priority) and dates
    -anything              negation of a term, phrase or property

Dates are ``2026-11-01`` (the whole UTC day), an ISO-8601 time, or relative to the frozen now
(``7days``, ``4hours``; ``created>7days`` means "created within the last 7 days").

A query this parser cannot read raises ``QueryError`` naming the problem, rather than being
guessed at: a sandbox that silently matched nothing would hide typos such as ``stauts:open``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum, StrEnum


class QueryError(ValueError):
    """A query that cannot be parsed; the message names the problem and where it is."""


class Op(StrEnum):
    EQ = ":"
    LT = "<"
    GT = ">"
    LE = "<="
    GE = ">="


class Kind(Enum):
    TYPE = "type"  # the result type
    ORDERED = "ordered"  # a vocabulary with an order (status, priority)
    REFERENCE = "reference"  # another record, by id or name/email, or ``none``
    TAGS = "tags"
    EXACT = "exact"  # a whole value, case-insensitive
    WORDS = "words"  # words of a text property
    DATE = "date"


KEYWORDS: dict[str, Kind] = {
    "type": Kind.TYPE,
    "status": Kind.ORDERED,
    "priority": Kind.ORDERED,
    "ticket_type": Kind.EXACT,
    "organization": Kind.REFERENCE,
    "group": Kind.REFERENCE,
    "assignee": Kind.REFERENCE,
    "requester": Kind.REFERENCE,
    "tags": Kind.TAGS,
    "external_id": Kind.EXACT,
    "email": Kind.EXACT,
    "role": Kind.EXACT,
    "name": Kind.WORDS,
    "subject": Kind.WORDS,
    "description": Kind.WORDS,
    "created": Kind.DATE,
    "updated": Kind.DATE,
    "due_date": Kind.DATE,
}
ALIASES = {"tag": "tags"}
ORDERS: dict[str, tuple[str, ...]] = {
    "status": ("new", "open", "pending", "hold", "solved", "closed"),
    "priority": ("low", "normal", "high", "urgent"),
}
RESULT_TYPES = ("ticket", "user", "organization")
NONE = "none"  # ``assignee:none``: the property is empty

_KEYED = re.compile(r"(?P<key>[A-Za-z_]+)(?P<op><=|>=|:|<|>)(?P<value>.*)", re.DOTALL)
_BAD_OPERATOR = re.compile(r"(?P<key>[A-Za-z_]+)(?P<op>[=!~][<>=!~:]*)")
_OPERATOR_CHARS = "<>=:!~"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_RELATIVE = re.compile(r"(?P<n>\d+)(?P<unit>minute|hour|day|week|month|year)s?", re.IGNORECASE)
# Months and years are approximated; the frozen clock makes the approximation deterministic.
_UNITS = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
    "month": timedelta(days=30),
    "year": timedelta(days=365),
}
# Timestamps have one-second resolution, so an instant covers one second.
_INSTANT = timedelta(seconds=1)


@dataclass(frozen=True)
class Token:
    text: str
    position: int


@dataclass(frozen=True)
class DateValue:
    """A date, a time or a time relative to now, as the interval [start, start + span)."""

    span: timedelta
    absolute: datetime | None = None
    ago: timedelta | None = None

    def interval(self, now: datetime) -> tuple[datetime, datetime]:
        start = self.absolute if self.absolute is not None else now - (self.ago or timedelta())
        return start, start + self.span


@dataclass(frozen=True)
class Condition:
    field: str
    op: Op
    value: str
    negated: bool = False
    date: DateValue | None = None


@dataclass(frozen=True)
class TextTerm:
    text: str
    negated: bool = False


@dataclass(frozen=True)
class Query:
    conditions: tuple[Condition, ...] = ()
    terms: tuple[TextTerm, ...] = ()

    def includes(self, result_type: str) -> bool:
        """Whether ``result_type`` can match: ``type:`` values are alternatives, ``-type:``
        excludes."""
        wanted = {c.value for c in self.conditions if c.field == "type" and not c.negated}
        excluded = {c.value for c in self.conditions if c.field == "type" and c.negated}
        return (not wanted or result_type in wanted) and result_type not in excluded


def tokenize(text: str) -> list[Token]:
    """Split on whitespace, keeping quoted stretches (``"credit review"``, ``tags:"a b"``) whole."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        while i < n and not text[i].isspace():
            if text[i] == '"':
                close = text.find('"', i + 1)
                if close < 0:
                    raise QueryError(f"unclosed quote at position {i}")
                i = close + 1
            else:
                i += 1
        tokens.append(Token(text[start:i], start))
    return tokens


def parse(text: str) -> Query:
    conditions: list[Condition] = []
    terms: list[TextTerm] = []
    for token in tokenize(text):
        part = _parse_token(token)
        if isinstance(part, Condition):
            conditions.append(part)
        else:
            terms.append(part)
    return Query(tuple(conditions), tuple(terms))


def _parse_token(token: Token) -> Condition | TextTerm:
    raw, negated = token.text, token.text.startswith("-")
    if negated:
        raw = raw[1:]
        if not raw:
            raise QueryError(f"'-' at position {token.position} negates nothing")
    keyed = _KEYED.fullmatch(raw)
    if keyed:
        return _condition(keyed["key"].lower(), keyed["op"], keyed["value"], negated, token)
    bad = _BAD_OPERATOR.match(raw)
    if bad and _keyword(bad["key"].lower()):
        raise QueryError(
            f"unknown operator {bad['op']!r} after {bad['key']!r} at position {token.position}"
            f"; use one of : < > <= >="
        )
    words = raw.replace('"', " ").strip()
    if not words:
        raise QueryError(f"empty phrase at position {token.position}")
    return TextTerm(" ".join(words.split()), negated)


def _keyword(key: str) -> str | None:
    key = ALIASES.get(key, key)
    return key if key in KEYWORDS else None


def _condition(key: str, op: str, value: str, negated: bool, token: Token) -> Condition:
    field = _keyword(key)
    where = f"at position {token.position}"
    if field is None:
        raise QueryError(f"unknown search keyword {key!r} {where}")
    extra = value[: len(value) - len(value.lstrip(_OPERATOR_CHARS))]
    if extra:
        raise QueryError(f"unknown operator {op + extra!r} after {key!r} {where}")
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        value = value[1:-1]
    value = value.strip()
    if not value:
        raise QueryError(f"missing value after {key + op!r} {where}")
    kind = KEYWORDS[field]
    if op != Op.EQ and kind not in (Kind.ORDERED, Kind.DATE):
        raise QueryError(f"operator {op!r} does not apply to {key!r} {where}; use ':'")
    if kind is Kind.DATE:
        return Condition(field, Op(op), value, negated, _parse_date(value, key, where))
    if kind is Kind.ORDERED:
        value = value.lower()
        if value not in ORDERS[field]:
            raise QueryError(f"{field} {value!r} {where} is not one of {', '.join(ORDERS[field])}")
    if kind is Kind.TYPE:
        value = value.lower()
        if value not in RESULT_TYPES:
            raise QueryError(f"type {value!r} {where} is not one of {', '.join(RESULT_TYPES)}")
    return Condition(field, Op(op), value, negated)


def _parse_date(value: str, key: str, where: str) -> DateValue:
    relative = _RELATIVE.fullmatch(value)
    if relative:
        ago = int(relative["n"]) * _UNITS[relative["unit"].lower()]
        return DateValue(span=_INSTANT, ago=ago)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise QueryError(
            f"{key} value {value!r} {where} is not a date (2026-11-01), an ISO-8601 time "
            f"or a relative time (7days)"
        ) from None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    span = timedelta(days=1) if _DAY.fullmatch(value) else _INSTANT
    return DateValue(span=span, absolute=moment)
