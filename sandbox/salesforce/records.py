"""Records as the REST API shows them: ``attributes``, selected fields, nested parents."""

from __future__ import annotations

from typing import Any

from sandbox.salesforce.ids import id_key
from sandbox.salesforce.schema import COLLECTION_PREFIX, Schema
from sandbox.salesforce.soql.nodes import FieldPath
from sandbox.store import Store

Record = dict[str, Any]


def collection(sobject: str) -> str:
    """The store collection holding records of ``sobject``."""
    return f"{COLLECTION_PREFIX}{sobject}"


def record_url(version: str, sobject: str, record_id: str) -> str:
    return f"/services/data/v{version}/sobjects/{sobject}/{record_id}"


def attributes(version: str, sobject: str, record: Record) -> dict[str, str]:
    return {"type": sobject, "url": record_url(version, sobject, str(record.get("Id", "")))}


class RecordIndex:
    """Every record of every sObject type by id, for parent lookups and retrieval by id."""

    def __init__(self, store: Store, schema: Schema) -> None:
        self.schema = schema
        self._by_id: dict[str, tuple[str, Record]] = {}
        for sobject in schema.sobjects():
            for record in store.all(collection(sobject)):
                self._by_id[id_key(str(record.get("Id", "")))] = (sobject, record)

    @classmethod
    def of(cls, store: Store) -> RecordIndex:
        """The index of the store's current records (built once per state of the store)."""
        return store.derived(cls, lambda: cls(store, Schema.of(store)))

    def find(self, record_id: object) -> tuple[str, Record] | None:
        """``(type, record)`` of the record with that 15- or 18-character id."""
        if not isinstance(record_id, str) or len(record_id) not in (15, 18):
            return None
        return self._by_id.get(id_key(record_id))

    def parent(self, sobject: str, record: Record, relationship: str) -> tuple[str, Record] | None:
        """The record ``relationship`` (e.g. ``Owner``) points at; None when it is empty."""
        link = self.schema.relationship(sobject, relationship)
        return self.find(record.get(link.id_field)) if link else None

    def value(self, sobject: str, record: Record, path: FieldPath) -> object:
        """The value at a bound field path; None when a parent on the way is missing."""
        for relationship in path.relationships:
            found = self.parent(sobject, record, relationship)
            if found is None:
                return None
            sobject, record = found
        return record.get(path.field)

    def render(self, version: str, sobject: str, record: Record, paths: list[FieldPath]) -> Record:
        """The record as a query returns it: ``attributes``, then the selected fields in order,
        parent fields nested under their relationship (``null`` when it is empty)."""
        shown: Record = {"attributes": attributes(version, sobject, record)}
        for path in paths:
            self._place(shown, version, sobject, record, path.parts)
        return shown

    def _place(
        self, shown: Record, version: str, sobject: str, record: Record, parts: tuple[str, ...]
    ) -> None:
        head, rest = parts[0], parts[1:]
        if not rest:
            shown[head] = record.get(head)
            return
        found = self.parent(sobject, record, head)
        if found is None:
            shown[head] = None
            return
        parent_type, parent = found
        nested = shown.get(head) or {"attributes": attributes(version, parent_type, parent)}
        shown[head] = nested
        self._place(nested, version, parent_type, parent, rest)
