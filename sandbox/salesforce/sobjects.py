"""sObject rows: retrieve by id, create, update, and upsert by an external id field.

Handlers call these without awaiting in between, so a check-then-write (an upsert) runs as one
step on the event loop and a retried upsert can never create a duplicate.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sandbox.api_errors import ApiError
from sandbox.salesforce.errors import (
    INVALID_FIELD_FOR_INSERT_UPDATE,
    JSON_PARSER_ERROR,
    REQUIRED_FIELD_MISSING,
    not_found,
)
from sandbox.salesforce.ids import id_key, make_id
from sandbox.salesforce.records import attributes, collection
from sandbox.salesforce.schema import ID_PREFIXES, SYSTEM_FIELDS, Schema
from sandbox.salesforce.soql import INVALID_FIELD
from sandbox.store import Store

Record = dict[str, Any]

REQUIRED_ON_CREATE: dict[str, tuple[str, ...]] = {"Task": ("Subject",)}
DEFAULTS_ON_CREATE: dict[str, Record] = {"Task": {"Status": "Not Started", "Priority": "Normal"}}


class SObjects:
    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, version: str, type_name: str, record_id: str, fields: str | None) -> Record:
        """The record with ``attributes``; only the comma-separated ``fields`` when given."""
        schema = Schema.of(self._store)
        sobject = _sobject(schema, type_name)
        record = self._find(sobject, record_id)
        if record is None:
            raise not_found()
        names = record.keys() if fields is None else _field_names(schema, sobject, fields)
        return {"attributes": attributes(version, sobject, record)} | {
            name: record.get(name) for name in names
        }

    def create(self, type_name: str, body: object, now: datetime) -> str:
        """Insert a record from a request body; its new id."""
        schema = Schema.of(self._store)
        sobject = _sobject(schema, type_name)
        return self._insert(sobject, _writable(schema, sobject, body), now)

    def update(self, type_name: str, record_id: str, body: object, now: datetime) -> None:
        schema = Schema.of(self._store)
        sobject = _sobject(schema, type_name)
        record = self._find(sobject, record_id)
        if record is None:
            raise not_found()
        self._save(sobject, record, _writable(schema, sobject, body), now)

    def upsert(
        self, type_name: str, id_field: str, value: str, body: object, now: datetime
    ) -> tuple[str, bool]:
        """Update the record whose ``id_field`` is ``value``, or create it: ``(id, created)``."""
        schema = Schema.of(self._store)
        sobject = _sobject(schema, type_name)
        field = schema.field(sobject, id_field)
        if field is None:
            raise not_found(
                f"Provided external ID field does not exist or is not accessible: {id_field}"
            )
        changes = _writable(schema, sobject, body)
        existing = next(
            (r for r in self._store.all(collection(sobject)) if str(r.get(field)) == value), None
        )
        if existing is None:
            return self._insert(sobject, {field: value, **changes}, now), True
        self._save(sobject, existing, changes, now)
        return str(existing["Id"]), False

    def _find(self, sobject: str, record_id: str) -> Record | None:
        if len(record_id) not in (15, 18):
            return None
        key = id_key(record_id)
        records = self._store.all(collection(sobject))
        return next((r for r in records if id_key(str(r.get("Id", ""))) == key), None)

    def _insert(self, sobject: str, fields: Record, now: datetime) -> str:
        missing = [f for f in REQUIRED_ON_CREATE.get(sobject, ()) if fields.get(f) in (None, "")]
        if missing:
            raise ApiError(
                400,
                f"Required fields are missing: [{', '.join(missing)}]",
                code=REQUIRED_FIELD_MISSING,
                param=missing[0],
            )
        record_id = self._new_id(sobject)
        stamp = _timestamp(now)
        record = {
            "Id": record_id,
            **DEFAULTS_ON_CREATE.get(sobject, {}),
            **fields,
            "CreatedDate": stamp,
            "LastModifiedDate": stamp,
        }
        self._store.put(collection(sobject), record_id, record)
        return record_id

    def _save(self, sobject: str, record: Record, changes: Record, now: datetime) -> None:
        updated = {**record, **changes, "LastModifiedDate": _timestamp(now)}
        self._store.put(collection(sobject), str(record["Id"]), updated)

    def _new_id(self, sobject: str) -> str:
        records = self._store.all(collection(sobject))
        prefix = ID_PREFIXES.get(sobject) or str(records[0]["Id"])[:3]
        taken = {id_key(str(r.get("Id", ""))) for r in records}
        number = len(records) + 1
        while id_key(make_id(prefix, number)) in taken:
            number += 1
        return make_id(prefix, number)


def _sobject(schema: Schema, name: str) -> str:
    sobject = schema.sobject(name)
    if sobject is None:
        raise not_found()
    return sobject


def _field_names(schema: Schema, sobject: str, fields: str) -> list[str]:
    names = []
    for name in filter(None, (f.strip() for f in fields.split(","))):
        spelled = schema.field(sobject, name)
        if spelled is None:
            raise _no_such_field(sobject, name)
        names.append(spelled)
    return names


def _writable(schema: Schema, sobject: str, body: object) -> Record:
    """A create/update body with field names in the world's spelling."""
    if not isinstance(body, dict):
        raise ApiError(400, f"Expected a JSON object of {sobject} fields", code=JSON_PARSER_ERROR)
    fields: Record = {}
    for name, value in body.items():
        spelled = schema.field(sobject, name)
        if spelled is None:
            raise _no_such_field(sobject, name)
        if spelled in SYSTEM_FIELDS:
            raise ApiError(
                400,
                f"Unable to create/update fields: {spelled}. Please check the security settings "
                f"of this field and verify that it is read/write for your profile or "
                f"permission set.",
                code=INVALID_FIELD_FOR_INSERT_UPDATE,
                param=spelled,
            )
        fields[spelled] = value
    return fields


def _no_such_field(sobject: str, name: str) -> ApiError:
    return ApiError(
        400,
        f"No such column '{name}' on sobject of type {sobject}",
        code=INVALID_FIELD,
        param=name,
    )


def _timestamp(now: datetime) -> str:
    """Salesforce's date-time form: ``2026-11-30T15:00:00.000+0000``."""
    return now.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
