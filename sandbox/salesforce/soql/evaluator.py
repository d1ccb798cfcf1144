"""Evaluate a parsed SOQL query over records: filter, order, offset and limit.

Field values come through a ``FieldReader`` so that the evaluator knows nothing of parent
relationships or where records live. Comparison semantics follow Salesforce: text compares
case-insensitively, an empty value is ``null``, ``!=``/``NOT IN`` keep nulls, and dates are
compared as the span of time they cover.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sandbox.salesforce.soql import dates
from sandbox.salesforce.soql.dates import Span
from sandbox.salesforce.soql.nodes import (
    And,
    Comparison,
    Condition,
    DateLiteral,
    FieldPath,
    InList,
    Not,
    Operator,
    Or,
    OrderItem,
    Pattern,
    Query,
    Value,
)

Record = dict[str, Any]
FieldReader = Callable[[Record, FieldPath], object]

_ORDERINGS: dict[Operator, Callable[[Any, Any], bool]] = {
    Operator.EQ: operator.eq,
    Operator.NE: operator.ne,
    Operator.LT: operator.lt,
    Operator.LE: operator.le,
    Operator.GT: operator.gt,
    Operator.GE: operator.ge,
}
# A date-time literal is one instant; as a span it is one microsecond wide, so the span rules
# below compare it exactly.
_INSTANT = timedelta(microseconds=1)


def select(
    records: Sequence[Record], query: Query, read: FieldReader, now: datetime
) -> list[Record]:
    """The records ``query`` returns, in order, after OFFSET and LIMIT."""
    where = query.where
    kept = [r for r in records if where is None or matches(where, r, read, now)]
    ordered = sort(kept, query.order_by, read)[query.offset :]
    return ordered if query.limit is None else ordered[: query.limit]


def matches(condition: Condition, record: Record, read: FieldReader, now: datetime) -> bool:
    if isinstance(condition, And):
        return all(matches(c, record, read, now) for c in condition.operands)
    if isinstance(condition, Or):
        return any(matches(c, record, read, now) for c in condition.operands)
    if isinstance(condition, Not):
        return not matches(condition.operand, record, read, now)
    actual = read(record, condition.field)
    if isinstance(condition, Comparison):
        return compare(actual, condition.op, condition.value, now)
    if isinstance(condition, InList):
        found = any(compare(actual, Operator.EQ, v, now) for v in condition.values)
        return found != condition.negated
    return isinstance(actual, str) and like(condition.pattern)(actual) is not None


def compare(actual: object, op: Operator, expected: Value, now: datetime) -> bool:
    """``actual <op> expected`` with SOQL's null, text and date semantics."""
    if expected is None or _is_null(actual):
        both_null = expected is None and _is_null(actual)
        return both_null if op is Operator.EQ else (op is Operator.NE and not both_null)
    if isinstance(expected, DateLiteral | date):  # datetime is a date too
        instant = _instant(actual)
        if instant is None:
            return op is Operator.NE
        return _in_span(instant, op, _span(expected, now))
    pair = _comparable(actual, expected)
    if pair is None:  # a value of another type never equals the literal
        return op is Operator.NE
    return _ORDERINGS[op](*pair)


def sort(records: list[Record], order_by: Sequence[OrderItem], read: FieldReader) -> list[Record]:
    """Records in ORDER BY order; records that tie keep their stored order."""
    ordered = list(records)
    # Stable sorts from the last key to the first give the multi-key order.
    for item in reversed(order_by):
        ordered.sort(key=lambda r, i=item: _sort_key(read(r, i.field), i), reverse=item.descending)
    return ordered


@lru_cache(maxsize=256)
def like(pattern: Pattern) -> Callable[[str], re.Match[str] | None]:
    """A case-insensitive matcher for a LIKE pattern (``%`` any run, ``_`` one character)."""
    parts = []
    for index, char in enumerate(pattern.text):
        if char == "%" and index not in pattern.escaped:
            parts.append(".*")
        elif char == "_" and index not in pattern.escaped:
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL).fullmatch


def _is_null(value: object) -> bool:
    # Salesforce stores an empty text value as null.
    return value is None or value == ""


def _comparable(actual: object, expected: Value) -> tuple[Any, Any] | None:
    if isinstance(expected, bool) or isinstance(actual, bool):
        same = isinstance(expected, bool) and isinstance(actual, bool)
        return (actual, expected) if same else None
    if isinstance(expected, int | float):
        return (actual, expected) if isinstance(actual, int | float) else None
    if isinstance(expected, str) and isinstance(actual, str):
        return (actual.casefold(), expected.casefold())
    return None


def _span(expected: DateLiteral | date, now: datetime) -> Span:
    if isinstance(expected, DateLiteral):
        return dates.resolve(expected, now)
    if isinstance(expected, datetime):
        return Span(expected, expected + _INSTANT)
    return dates.day_span(expected)


def _in_span(instant: datetime, op: Operator, span: Span) -> bool:
    """How an instant compares with a span: inside is equal, before is less, after greater."""
    inside = span.start <= instant < span.end
    return {
        Operator.EQ: inside,
        Operator.NE: not inside,
        Operator.LT: instant < span.start,
        Operator.LE: instant < span.end,
        Operator.GT: instant >= span.end,
        Operator.GE: instant >= span.start,
    }[op]


def _instant(value: object) -> datetime | None:
    """A record's date (midnight UTC) or date-time value; None when it is neither."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _sort_key(value: object, item: OrderItem) -> tuple[Any, ...]:
    if _is_null(value):
        # Nulls go to whichever end of the *final* order the query asked for.
        nulls_at_high_end = item.nulls_last != item.descending
        return (1,) if nulls_at_high_end else (-1,)
    if isinstance(value, bool | int | float):
        return (0, 0, value)
    if isinstance(value, str):
        return (0, 1, value.casefold())
    return (0, 2, str(value))
