"""The SOQL syntax tree the parser produces and the evaluator walks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum


@dataclass(frozen=True)
class FieldPath:
    """``Name`` or a parent field such as ``Owner.Name`` / ``Account.Owner.Email``."""

    parts: tuple[str, ...]
    pos: int

    @property
    def relationships(self) -> tuple[str, ...]:
        return self.parts[:-1]

    @property
    def field(self) -> str:
        return self.parts[-1]

    def __str__(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class DateLiteral:
    """A relative date such as ``TODAY`` or ``LAST_N_DAYS:7`` (``n`` is None without one)."""

    name: str
    n: int | None = None


@dataclass(frozen=True)
class Pattern:
    """A LIKE pattern: the decoded text and which wildcards were escaped (match literally)."""

    text: str
    escaped: frozenset[int] = frozenset()


# A literal on the right-hand side of a condition.
Value = str | int | float | bool | date | datetime | DateLiteral | None


class Operator(Enum):
    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="


@dataclass(frozen=True)
class Comparison:
    field: FieldPath
    op: Operator
    value: Value


@dataclass(frozen=True)
class InList:
    field: FieldPath
    values: tuple[Value, ...]
    negated: bool = False


@dataclass(frozen=True)
class Like:
    field: FieldPath
    pattern: Pattern


@dataclass(frozen=True)
class Not:
    operand: Condition


@dataclass(frozen=True)
class And:
    operands: tuple[Condition, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Condition, ...]


Condition = Comparison | InList | Like | Not | And | Or


@dataclass(frozen=True)
class OrderItem:
    field: FieldPath
    descending: bool = False
    # SOQL default: nulls first ascending, nulls last descending.
    nulls_last: bool = False


@dataclass(frozen=True)
class SObjectName:
    name: str
    pos: int


@dataclass(frozen=True)
class Query:
    sobject: SObjectName
    # Empty for ``SELECT COUNT() ...``.
    fields: tuple[FieldPath, ...] = ()
    where: Condition | None = None
    order_by: tuple[OrderItem, ...] = ()
    limit: int | None = None
    offset: int = 0

    @property
    def is_count(self) -> bool:
        return not self.fields
