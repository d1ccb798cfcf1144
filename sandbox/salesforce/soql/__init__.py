"""SOQL: tokenizer, recursive-descent parser, date literals and an evaluator over records."""

from sandbox.salesforce.soql.errors import INVALID_FIELD, INVALID_TYPE, MALFORMED_QUERY, SoqlError
from sandbox.salesforce.soql.evaluator import select
from sandbox.salesforce.soql.parser import parse

__all__ = [
    "INVALID_FIELD",
    "INVALID_TYPE",
    "MALFORMED_QUERY",
    "SoqlError",
    "parse",
    "select",
]
