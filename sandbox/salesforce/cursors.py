"""Server-side query cursors behind ``nextRecordsUrl`` paging.

A query's whole result is rendered once and kept here; each further batch is a slice of it,
so paging sees a stable snapshot, as with Salesforce's own cursors.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from sandbox.api_errors import ApiError
from sandbox.salesforce.errors import INVALID_QUERY_LOCATOR
from sandbox.salesforce.ids import make_id

Record = dict[str, Any]

# Salesforce also caps open cursors per user and drops the oldest; this keeps memory bounded
# in a long-running sandbox.
MAX_OPEN_CURSORS = 100
_LOCATOR_PREFIX = "01g"


class QueryCursors:
    def __init__(self) -> None:
        self._results: OrderedDict[str, tuple[int, list[Record]]] = OrderedDict()
        self._opened = 0

    def page(
        self, version: str, total: int, records: list[Record], batch_size: int
    ) -> dict[str, Any]:
        """The first batch of a query's result, opening a cursor when more remain."""
        if len(records) <= batch_size:
            return {"totalSize": total, "done": True, "records": records}
        self._opened += 1
        locator = make_id(_LOCATOR_PREFIX, self._opened)
        self._results[locator] = (total, records)
        if len(self._results) > MAX_OPEN_CURSORS:
            self._results.popitem(last=False)
        return self._batch(version, locator, 0, batch_size)

    def next_page(self, version: str, cursor: str, batch_size: int) -> dict[str, Any]:
        """The batch at ``{locator}-{offset}`` from a ``nextRecordsUrl``."""
        locator, _, offset = cursor.rpartition("-")
        if locator not in self._results or not offset.isdigit():
            raise ApiError(400, "invalid query locator", code=INVALID_QUERY_LOCATOR)
        return self._batch(version, locator, int(offset), batch_size)

    def _batch(self, version: str, locator: str, offset: int, size: int) -> dict[str, Any]:
        total, records = self._results[locator]
        end = min(offset + size, len(records))
        body: dict[str, Any] = {"totalSize": total, "done": end >= len(records)}
        if not body["done"]:
            body["nextRecordsUrl"] = f"/services/data/v{version}/query/{locator}-{end}"
        body["records"] = records[offset:end]
        return body
