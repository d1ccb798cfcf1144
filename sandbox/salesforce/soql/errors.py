"""SOQL errors, worded and positioned the way Salesforce reports them."""

from __future__ import annotations

MALFORMED_QUERY = "MALFORMED_QUERY"
INVALID_FIELD = "INVALID_FIELD"
INVALID_TYPE = "INVALID_TYPE"


class SoqlError(ValueError):
    """A query Salesforce would refuse: its ``errorCode``, the problem and where it is."""

    def __init__(self, code: str, problem: str, pos: int) -> None:
        super().__init__(problem)
        self.code = code
        self.problem = problem
        self.pos = pos

    def describe(self, query: str) -> str:
        """Salesforce's message: the offending line, a caret under the spot, row and column.

        e.g. ``"\\nSELECT Id FROMM Account\\n          ^\\nERROR at Row:1:Column:11\\n..."``
        """
        before = query[: self.pos]
        row = before.count("\n") + 1
        column = self.pos - (before.rfind("\n") + 1) + 1
        line = query.splitlines()[row - 1] if query.strip() else ""
        caret = " " * (column - 1) + "^"
        return f"\n{line}\n{caret}\nERROR at Row:{row}:Column:{column}\n{self.problem}"
