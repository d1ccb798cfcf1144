"""Run a SOQL query against the store: parse, bind to the schema, evaluate, render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sandbox.api_errors import ApiError
from sandbox.salesforce.binding import bind
from sandbox.salesforce.records import RecordIndex, collection
from sandbox.salesforce.schema import Schema
from sandbox.salesforce.soql import SoqlError, parse, select
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
    index = RecordIndex(store, schema)
    rows = select(
        store.all(collection(sobject)),
        query,
        lambda record, path: index.value(sobject, record, path),
        now,
    )
    if query.is_count:
        return QueryResult(len(rows), [])
    fields = list(query.fields)
    return QueryResult(len(rows), [index.render(version, sobject, r, fields) for r in rows])
