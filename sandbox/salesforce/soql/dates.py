"""SOQL date literals (``TODAY``, ``LAST_N_DAYS:7``, ``THIS_MONTH``, …) as time spans.

Salesforce resolves them in the API user's time zone; the sandbox's user lives in UTC. Weeks
start on Sunday, as in the default (en_US) locale. Fiscal-period literals are not supported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum

from sandbox.salesforce.soql.nodes import DateLiteral


class Unit(Enum):
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"
    QUARTER = "QUARTER"
    YEAR = "YEAR"


@dataclass(frozen=True)
class Span:
    """The instants ``start <= t < end``."""

    start: datetime
    end: datetime


# Literal → (unit, offset in periods from the current one).
_PERIODS: dict[str, tuple[Unit, int]] = {
    "TODAY": (Unit.DAY, 0),
    "YESTERDAY": (Unit.DAY, -1),
    "TOMORROW": (Unit.DAY, 1),
    **{
        f"{when}_{unit.value}": (unit, offset)
        for unit in (Unit.WEEK, Unit.MONTH, Unit.QUARTER, Unit.YEAR)
        for when, offset in (("LAST", -1), ("THIS", 0), ("NEXT", 1))
    },
}
_LAST_N = {f"LAST_N_{unit.value}S": unit for unit in Unit}
_NEXT_N = {f"NEXT_N_{unit.value}S": unit for unit in Unit}
_N_AGO = {f"N_{unit.value}S_AGO": unit for unit in Unit}
_FIXED_RANGES = {"LAST_90_DAYS": ("LAST_N_DAYS", 90), "NEXT_90_DAYS": ("NEXT_N_DAYS", 90)}

WITHOUT_N = frozenset(_PERIODS) | frozenset(_FIXED_RANGES)
WITH_N = frozenset(_LAST_N) | frozenset(_NEXT_N) | frozenset(_N_AGO)


def day_span(day: date) -> Span:
    """The whole of one calendar day (how a date compares with a date-time)."""
    return Span(_midnight(day), _midnight(day + timedelta(days=1)))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def resolve(literal: DateLiteral, now: datetime) -> Span:
    """The span a date literal covers at ``now``."""
    name = literal.name.upper()
    if name in _FIXED_RANGES:
        name, n = _FIXED_RANGES[name]
    else:
        n = literal.n or 0
    today = now.astimezone(UTC).date()
    if name in _PERIODS:
        unit, offset = _PERIODS[name]
        return _periods(unit, today, offset, 1)
    if name in _N_AGO:
        return _periods(_N_AGO[name], today, -n, 1)
    if name in _NEXT_N:
        return _periods(_NEXT_N[name], today, 1, n)
    if name in _LAST_N:
        unit = _LAST_N[name]
        if unit is Unit.DAY:  # LAST_N_DAYS:n also includes today
            return Span(_midnight(today - timedelta(days=n)), _midnight(today + timedelta(days=1)))
        return _periods(unit, today, -n, n)
    raise ValueError(f"unknown date literal {literal.name!r}")


def _periods(unit: Unit, today: date, first: int, count: int) -> Span:
    """``count`` whole periods starting ``first`` periods from the one holding ``today``."""
    start = _period_start(unit, today)
    first_day, end_day = _shift(unit, start, first), _shift(unit, start, first + count)
    return Span(_midnight(first_day), _midnight(end_day))


def _period_start(unit: Unit, day: date) -> date:
    if unit is Unit.DAY:
        return day
    if unit is Unit.WEEK:
        return day - timedelta(days=(day.weekday() + 1) % 7)  # back to Sunday
    if unit is Unit.MONTH:
        return day.replace(day=1)
    if unit is Unit.QUARTER:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def _shift(unit: Unit, start: date, periods: int) -> date:
    """A period start moved by whole periods."""
    if unit is Unit.DAY:
        return start + timedelta(days=periods)
    if unit is Unit.WEEK:
        return start + timedelta(weeks=periods)
    months = periods * {Unit.MONTH: 1, Unit.QUARTER: 3, Unit.YEAR: 12}[unit]
    year, month = divmod(start.year * 12 + start.month - 1 + months, 12)
    return date(year, month + 1, 1)
