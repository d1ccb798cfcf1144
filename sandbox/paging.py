"""List ordering and paging shared by the vendor emulators.

``newest_first`` orders records the way vendor lists do (Stripe: "reverse chronological
order"); ``cursor_page`` is Stripe's ``starting_after`` / ``ending_before`` paging.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sandbox.store import Record


class CursorNotFound(LookupError):
    """A paging cursor naming an object that does not exist."""

    def __init__(self, param: str, object_id: str) -> None:
        super().__init__(f"{param}: no object {object_id!r}")
        self.param = param
        self.object_id = object_id


@dataclass(frozen=True)
class CursorPage:
    data: list[Record]
    has_more: bool


def newest_first(records: Sequence[Record], time_field: str) -> list[Record]:
    """Records by ``time_field`` descending; ties (and records without a time) keep the
    store's insertion order reversed, so the order is total and stable across requests."""
    indexed = list(enumerate(records))
    indexed.sort(key=lambda pair: (_instant(pair[1].get(time_field)), pair[0]), reverse=True)
    return [record for _, record in indexed]


def cursor_page(
    ordered: Sequence[Record],
    keep: Callable[[Record], bool],
    limit: int,
    starting_after: str | None = None,
    ending_before: str | None = None,
    id_field: str = "id",
) -> CursorPage:
    """One page of ``ordered`` (already in list order) restricted to records ``keep`` accepts.

    Cursors are located in the whole ordered collection, not only among kept records, so a
    cursor stays valid when it names an object the filter excludes (as on Stripe).
    ``ending_before`` returns the ``limit`` kept records just before the cursor, still in
    list order; ``has_more`` then says whether there are more before them.
    """
    if starting_after is not None:
        start = _position(ordered, id_field, "starting_after", starting_after) + 1
        candidates = [r for r in ordered[start:] if keep(r)]
        return CursorPage(candidates[:limit], len(candidates) > limit)
    if ending_before is not None:
        end = _position(ordered, id_field, "ending_before", ending_before)
        candidates = [r for r in ordered[:end] if keep(r)]
        return CursorPage(candidates[-limit:], len(candidates) > limit)
    candidates = [r for r in ordered if keep(r)]
    return CursorPage(candidates[:limit], len(candidates) > limit)


def _position(ordered: Sequence[Record], id_field: str, param: str, object_id: str) -> int:
    for i, record in enumerate(ordered):
        if str(record.get(id_field)) == object_id:
            return i
    raise CursorNotFound(param, object_id)


def _instant(value: object) -> tuple[bool, float]:
    """A sortable instant from a number (Unix time) or an ISO-8601 string; ``(False, 0)``
    for a missing or unreadable value, so those records sort last."""
    if isinstance(value, bool):
        return (False, 0.0)
    if isinstance(value, int | float):
        return (True, float(value))
    if isinstance(value, str):
        try:
            return (True, datetime.fromisoformat(value).timestamp())
        except ValueError:
            return (False, 0.0)
    return (False, 0.0)
