"""Fill a playbook's plain-language templates (blocker, terminal and discrepancy details)."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

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
    if at is None:
        return None
    moment = at if isinstance(at, datetime) else datetime.combine(at, now.timetz())
    return max(0, (now - moment).days)


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
