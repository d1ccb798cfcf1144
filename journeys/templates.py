"""Fill a playbook's plain-language templates (blocker, terminal and discrepancy details)."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from journeys.facts import calendar_days
from journeys.rules import matchable_fields


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def days_since(at: datetime | date | None, now: datetime) -> int | None:
    """Calendar days from ``at`` to ``now`` (never negative), as every day count Baton shows."""
    return None if at is None else max(0, calendar_days(at, now))


def fact_context(fact: Any, now: datetime, since: datetime | date | None = None) -> dict[str, str]:
    """The names a template may use for one fact, as display text."""
    context = {name: _text(getattr(fact, name)) for name in matchable_fields(fact.kind)}
    context["ref"] = fact.source.ref
    context["record_id"] = fact.source.record_id
    context["days"] = _text(days_since(since or fact.at, now))
    return context


def _tidy(text: str) -> str:
    # Absent optional fields leave double spaces and dangling separators; remove them.
    return " ".join(text.split()).replace(" )", ")").replace("( ", "(").replace(" :", ":")


def render(template: str, fact: Any, now: datetime, since: datetime | date | None = None) -> str:
    return _tidy(template.format_map(fact_context(fact, now, since)))


def render_many(template: str, facts: dict[str, Any], now: datetime) -> str:
    """A template over several named facts: ``{ticket.record_id}``."""
    context = {alias: SimpleNamespace(**fact_context(f, now)) for alias, f in facts.items()}
    return _tidy(template.format_map(context))


def counted(n: int, noun: str) -> str:
    """``1 journey``, ``3 journeys`` (regular plurals only)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


ECHO_CHARS = 80


def clip(text: str, limit: int = ECHO_CHARS) -> str:
    """User input cut to ``limit`` characters: a message that repeats it must stay readable
    (and small) whatever was typed or pasted."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def echo(text: str, limit: int = ECHO_CHARS) -> str:
    """User input quoted back in a message, clipped."""
    return repr(clip(text, limit))
