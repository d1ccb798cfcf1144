"""The small rule language playbooks use to read evidence from facts.

A **clause** selects facts of one kind and states what must be true of them::

    fact: ticket
    where: {tags: step_credit, status: [new, open], created_at: {older_than_days: 7}}

holds when at least one ticket matches ``where``. With ``every``, it holds when the facts
matching ``where`` exist and all of them also match ``every`` (``or_none: true`` accepts none).

A field condition is a scalar (equality; for list fields such as ``tags``: contains), a list
(one of; for list fields: shares one) or a mapping of operators — ``in``, ``not``, ``present``,
``matches``/``not_matches`` (case-insensitive regular expression), ``older_than_days``, ``past``.
Which operators a field accepts depends on its type; a mistake fails when the playbook loads.

A clause over a system that could not be reached evaluates to *unknown* (``None``) unless the
facts that are there already prove it: the engine never guesses about a system it did not see.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from journeys.facts import FACT_KINDS, SYSTEM_OF_KIND, FactSet, Person, System, at_day

Scalar = str | int | float | bool


class FieldType(Enum):
    TEXT = "text"
    TEXT_LIST = "list of text"
    BOOL = "boolean"
    NUMBER = "number"
    TIME = "date/time"


_OPERATORS: dict[FieldType, frozenset[str]] = {
    FieldType.TEXT: frozenset({"eq", "in_", "not_", "present", "matches", "not_matches"}),
    FieldType.TEXT_LIST: frozenset({"eq", "in_", "not_", "present"}),
    FieldType.BOOL: frozenset({"eq", "present"}),
    FieldType.NUMBER: frozenset({"eq", "in_", "not_", "present"}),
    FieldType.TIME: frozenset({"present", "older_than_days", "past"}),
}


def _field_type(annotation: Any) -> FieldType | None:
    """The rule type of a fact field, or None when rules cannot read it (e.g. a Person)."""
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    if get_origin(annotation) is tuple:
        return FieldType.TEXT_LIST if get_args(annotation)[0] is str else None
    table: list[tuple[type, FieldType]] = [
        (bool, FieldType.BOOL),  # before int: bool is an int
        (str, FieldType.TEXT),
        (int, FieldType.NUMBER),
        (float, FieldType.NUMBER),
        (datetime, FieldType.TIME),
        (date, FieldType.TIME),
    ]
    if isinstance(annotation, type) and not issubclass(annotation, Person):
        for base, kind in table:
            if issubclass(annotation, base):
                return kind
    return None


def matchable_fields(kind: str) -> dict[str, FieldType]:
    """Fields of a fact kind that rules may name, with their rule type."""
    model = FACT_KINDS[kind]
    out = {"updated_at": FieldType.TIME}
    for name, info in model.model_fields.items():
        if name in ("kind", "source"):
            continue
        field_type = _field_type(info.annotation)
        if field_type is not None:
            out[name] = field_type
    return out


class Condition(BaseModel):
    """What one field must satisfy. Built from the YAML shorthand by ``Condition.parse``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    eq: Scalar | None = None
    in_: tuple[Scalar, ...] | None = Field(None, alias="in")
    not_: tuple[Scalar, ...] | None = Field(None, alias="not")
    present: bool | None = None
    matches: str | None = None
    not_matches: str | None = None
    older_than_days: float | None = Field(None, ge=0)
    past: bool | None = None

    @field_validator("not_", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, Scalar) else value

    @field_validator("matches", "not_matches")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression {value!r}: {exc}") from exc
        return value

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, list):
            return {"in": value}
        if value is None or isinstance(value, Scalar):
            return {"eq": value} if value is not None else {"present": False}
        return value

    def operators(self) -> set[str]:
        return {name for name in type(self).model_fields if getattr(self, name) is not None}

    def check(self, value: Any, now: datetime) -> bool:
        return all(_OPS[op](self, value, now) for op in self.operators())


def as_time(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else at_day(value)


def _values(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def _eq(c: Condition, value: Any, _: datetime) -> bool:
    return c.eq in _values(value)


def _in(c: Condition, value: Any, _: datetime) -> bool:
    return any(v in (c.in_ or ()) for v in _values(value))


def _not(c: Condition, value: Any, _: datetime) -> bool:
    return not any(v in (c.not_ or ()) for v in _values(value))


def _present(c: Condition, value: Any, _: datetime) -> bool:
    return bool(_values(value)) == c.present


def _matches(c: Condition, value: Any, _: datetime) -> bool:
    return value is not None and re.search(c.matches or "", value, re.IGNORECASE) is not None


def _not_matches(c: Condition, value: Any, _: datetime) -> bool:
    return value is None or re.search(c.not_matches or "", value, re.IGNORECASE) is None


def _older(c: Condition, value: Any, now: datetime) -> bool:
    days = c.older_than_days or 0
    return value is not None and as_time(value) <= now - timedelta(days=days)


def _past(c: Condition, value: Any, now: datetime) -> bool:
    return value is not None and (as_time(value) < now) == c.past


_OPS = {
    "eq": _eq,
    "in_": _in,
    "not_": _not,
    "present": _present,
    "matches": _matches,
    "not_matches": _not_matches,
    "older_than_days": _older,
    "past": _past,
}

_YAML_NAME = {"in_": "in", "not_": "not"}


def check_conditions(kind: str, where: dict[str, Condition]) -> None:
    """Fail with a precise message when ``where`` names a field or operator ``kind`` lacks."""
    fields = matchable_fields(kind)
    for name, condition in where.items():
        if name not in fields:
            raise ValueError(
                f"{name!r} is not a field of {kind} facts; fields: {', '.join(sorted(fields))}"
            )
        allowed = _OPERATORS[fields[name]]
        for op in condition.operators() - allowed:
            names = ", ".join(sorted(_YAML_NAME.get(a, a) for a in allowed))
            raise ValueError(
                f"field {name!r} ({fields[name].value}) does not take "
                f"{_YAML_NAME.get(op, op)!r}; it takes: {names}"
            )


def _recency(fact: Any) -> datetime:
    return fact.at or datetime.min.replace(tzinfo=UTC)


def matches(fact: Any, where: dict[str, Condition], now: datetime) -> bool:
    return all(cond.check(getattr(fact, name), now) for name, cond in where.items())


@dataclass(frozen=True)
class ClauseResult:
    holds: bool | None  # None: unknown, the fact's system was unreachable
    evidence: tuple[Any, ...]  # facts that prove it (or, for a failed ``every``, that disprove)
    at: datetime | None = None  # when it became true (the latest evidence time)


class Clause(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fact: str
    where: dict[str, Condition] = Field(default_factory=dict)
    every: dict[str, Condition] | None = None
    or_none: bool = False
    # Only the most recent fact of the kind counts: a re-submitted application supersedes
    # the failed one before it.
    latest: bool = False
    # The field saying when the clause became true (``account_opened_date``); default: the
    # fact's own evidence time.
    at: str | None = None
    _scope: dict[str, Condition] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _known_fields(self) -> Clause:
        if self.fact not in FACT_KINDS:
            raise ValueError(
                f"unknown fact kind {self.fact!r}; kinds: {', '.join(sorted(FACT_KINDS))}"
            )
        check_conditions(self.fact, self.where)
        check_conditions(self.fact, self.every or {})
        if self.or_none and self.every is None:
            raise ValueError("'or_none' only applies together with 'every'")
        if self.at is not None and matchable_fields(self.fact).get(self.at) is not FieldType.TIME:
            raise ValueError(f"at: {self.at!r} is not a date/time field of {self.fact} facts")
        return self

    def evidence_time(self, fact: Any) -> datetime | None:
        value = getattr(fact, self.at) if self.at else fact.at
        return as_time(value) if value is not None else None

    @property
    def system(self) -> System:
        return SYSTEM_OF_KIND[self.fact]

    def select(self, facts: FactSet, now: datetime) -> list[Any]:
        candidates = [f for f in facts.of_kind(self.fact) if matches(f, self._scope, now)]
        if self.latest and candidates:
            candidates = [max(candidates, key=_recency)]
        return [f for f in candidates if matches(f, self.where, now)]

    def scoped(self, scope: dict[str, Condition]) -> Clause:
        """This clause restricted to the facts ``scope`` selects (a step's own tickets).

        Kept apart from ``where`` so both may constrain the same field (``tags``)."""
        clause = self.model_copy()
        clause._scope = {**self._scope, **scope}
        return clause

    def evaluate(self, facts: FactSet, now: datetime) -> ClauseResult:
        selected = self.select(facts, now)
        blind = self.system in facts.unavailable
        if self.every is None:
            # Facts that are present prove existence even when their system is partly down.
            if selected:
                return ClauseResult(True, tuple(selected), self._latest_time(selected))
            return ClauseResult(None if blind else False, ())
        if blind:
            return ClauseResult(None, ())
        failing = tuple(f for f in selected if not matches(f, self.every, now))
        if failing:
            return ClauseResult(False, failing)
        return ClauseResult(
            bool(selected) or self.or_none, tuple(selected), self._latest_time(selected)
        )

    def _latest_time(self, facts: list[Any]) -> datetime | None:
        times = [t for f in facts if (t := self.evidence_time(f)) is not None]
        return max(times, default=None)
