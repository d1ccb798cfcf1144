"""Writing values into SOQL safely.

Every value that reaches a query goes through ``_escape``: SOQL string literals escape quotes
and backslashes (and control characters) with a backslash, and inside a ``LIKE`` pattern the
wildcards ``%`` and ``_`` too — otherwise a customer named ``100% Organic_Farms`` would match
far more than itself, and ``Acme' OR Name LIKE '%`` would rewrite the query.
Field and object names are never user input: they come from code or validated settings.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

SoqlValue = str | int | float | bool | date | datetime | None

_STRING_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_LIKE_ESCAPES = {"%": "\\%", "_": "\\_"}


def _escape(text: str, *, like: bool = False) -> str:
    escapes = _STRING_ESCAPES | _LIKE_ESCAPES if like else _STRING_ESCAPES
    return "".join(escapes.get(char, char) for char in text)


def literal(value: SoqlValue) -> str:
    """``value`` as a SOQL literal: quoted string, number, boolean, date, date-time or null."""
    if value is None:
        return "null"
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        utc = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return f"'{_escape(value)}'"


def contains(text: str) -> str:
    """A ``LIKE`` pattern matching ``text`` anywhere, with its own wildcards taken literally."""
    return f"'%{_escape(text, like=True)}%'"


def in_list(values: Iterable[SoqlValue]) -> str:
    """``('a', 'b')`` for ``IN``; callers skip the query when there are no values."""
    return "(" + ", ".join(literal(value) for value in values) + ")"
