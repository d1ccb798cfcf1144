"""Check a parsed query against the schema and spell its names the way the world does.

Salesforce resolves object, field and relationship names case-insensitively and answers with
their API spelling; an unknown object is ``INVALID_TYPE``, an unknown field or relationship
``INVALID_FIELD``, both positioned at the name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sandbox.salesforce.schema import Schema
from sandbox.salesforce.soql import INVALID_FIELD, INVALID_TYPE, SoqlError
from sandbox.salesforce.soql.nodes import (
    And,
    Comparison,
    Condition,
    FieldPath,
    InList,
    Like,
    Not,
    Or,
    Query,
)

_NAMES_HINT = "Please reference your WSDL or the describe call for the appropriate names."


def bind(query: Query, schema: Schema) -> Query:
    """``query`` with every name in the world's spelling; ``SoqlError`` for unknown names."""
    sobject = schema.sobject(query.sobject.name)
    if sobject is None:
        raise SoqlError(
            INVALID_TYPE,
            f"sObject type '{query.sobject.name}' is not supported. If you are attempting to "
            f"use a custom object, be sure to append the '__c' after the entity name. "
            f"{_NAMES_HINT}",
            query.sobject.pos,
        )

    def path(field: FieldPath) -> FieldPath:
        return bind_path(field, sobject, schema)

    return replace(
        query,
        sobject=replace(query.sobject, name=sobject),
        fields=tuple(path(f) for f in query.fields),
        where=_bind_condition(query.where, path) if query.where else None,
        order_by=tuple(replace(item, field=path(item.field)) for item in query.order_by),
    )


def bind_path(path: FieldPath, sobject: str, schema: Schema) -> FieldPath:
    """One field path of ``sobject`` in the world's spelling."""
    types: tuple[str, ...] = (sobject,)
    spelled: list[str] = []
    for index, name in enumerate(path.relationships):
        link = next(filter(None, (schema.relationship(t, name) for t in types)), None)
        if link is None:
            raise SoqlError(
                INVALID_FIELD,
                f"Didn't understand relationship '{name}' in field path. If you are attempting "
                f"to use a custom relationship, be sure to append the '__r' after the custom "
                f"relationship name. {_NAMES_HINT}",
                path.pos,
            )
        spelled.append(link.name)
        types = link.targets
        if not types:  # a custom relationship: its target's fields cannot be checked
            return replace(path, parts=(*spelled, *path.parts[index + 1 :]))
    field = next(filter(None, (schema.field(t, path.field) for t in types)), None)
    if field is None:
        raise SoqlError(
            INVALID_FIELD,
            f"No such column '{path.field}' on entity '{types[0]}'. If you are attempting to "
            f"use a custom field, be sure to append the '__c' after the custom field name. "
            f"{_NAMES_HINT}",
            path.pos,
        )
    return replace(path, parts=(*spelled, field))


def _bind_condition(condition: Condition, path: Callable[[FieldPath], FieldPath]) -> Condition:
    if isinstance(condition, Comparison | InList | Like):
        return replace(condition, field=path(condition.field))
    if isinstance(condition, Not):
        return Not(_bind_condition(condition.operand, path))
    operands = tuple(_bind_condition(c, path) for c in condition.operands)
    return And(operands) if isinstance(condition, And) else Or(operands)
