"""Run a SOQL query against the store: parse, bind to the schema, evaluate, render.

Most queries name one record's children (``WHERE AccountId = '001…'``); rather than test every
record of the type, such a query only evaluates the records that hold that value, found in an
index kept with the store's derived data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sandbox.api_errors import ApiError
from sandbox.salesforce.binding import bind
from sandbox.salesforce.records import RecordIndex, collection
from sandbox.salesforce.schema import Schema
from sandbox.salesforce.soql import SoqlError, parse, select
from sandbox.salesforce.soql.nodes import And, Comparison, Condition, Operator
from sandbox.store import Store

Record = dict[str, Any]


@dataclass(frozen=True)
class QueryResult:
    total: int
    # Rendered records; empty for ``SELECT COUNT()``.
    records: list[Record]


def run_query(text: str, store: Store, now: datetime, version: str) -> QueryResult:
    """The result of SOQL ``text``; a 400 in Salesforce's words when it cannot run."""
    schema = Schema.of(store)
    try:
        query = bind(parse(text), schema)
    except SoqlError as exc:
        raise ApiError(400, exc.describe(text), code=exc.code) from exc
    sobject = query.sobject.name
    index = RecordIndex.of(store)
    rows = select(
        _candidates(store, sobject, query.where),
        query,
        lambda record, path: index.value(sobject, record, path),
        now,
    )
    if query.is_count:
        return QueryResult(len(rows), [])
    fields = list(query.fields)
    return QueryResult(len(rows), [index.render(version, sobject, r, fields) for r in rows])


def _candidates(store: Store, sobject: str, where: Condition | None) -> list[Record]:
    """The records of ``sobject`` that can satisfy ``where``, in store order; the evaluator
    still tests the full condition on each, so narrowing cannot change the result."""
    records = store.all(collection(sobject))
    equality = _text_equality(where)
    if equality is None:
        return records
    field = equality.field.field
    by_value = store.derived(("soql.eq", sobject, field), lambda: _by_text(records, field))
    return by_value.get(str(equality.value).casefold(), [])


def _text_equality(where: Condition | None) -> Comparison | None:
    """The first ``Field = 'text'`` on the type's own fields that every match must satisfy:
    the whole condition, or one operand of a top-level AND."""
    operands = where.operands if isinstance(where, And) else (where,)
    for condition in operands:
        if (
            isinstance(condition, Comparison)
            and condition.op is Operator.EQ
            and isinstance(condition.value, str)
            and not condition.field.relationships
        ):
            return condition
    return None


def _by_text(records: list[Record], field: str) -> dict[str, list[Record]]:
    """Records by the case-folded text in ``field`` (how SOQL compares text)."""
    index: dict[str, list[Record]] = {}
    for record in records:
        value = record.get(field)
        if isinstance(value, str):
            index.setdefault(value.casefold(), []).append(record)
    return index
