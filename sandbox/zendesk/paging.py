"""Zendesk's two list paging styles: offset (``page``/``per_page``) and cursor (``page[size]``).

A list is answered with cursor paging as soon as any ``page[...]`` parameter is present, and
with offset paging otherwise, as Zendesk does for endpoints that support both.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query
from starlette.datastructures import URL

from sandbox.zendesk.errors import invalid_attribute

Record = dict[str, Any]
MAX_PAGE_SIZE = 100
_CURSOR_PARAMS = ("page[after]", "page[before]")


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    per_page: int = MAX_PAGE_SIZE
    size: int | None = None
    after: str | None = None
    before: str | None = None

    @property
    def is_cursor(self) -> bool:
        return self.size is not None or self.after is not None or self.before is not None


async def offset_params(
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = MAX_PAGE_SIZE,
) -> PageRequest:
    """Dependency for endpoints with offset paging only (search)."""
    return PageRequest(page=page, per_page=per_page)


async def page_params(
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = MAX_PAGE_SIZE,
    size: Annotated[int | None, Query(alias="page[size]", ge=1, le=MAX_PAGE_SIZE)] = None,
    after: Annotated[str | None, Query(alias="page[after]")] = None,
    before: Annotated[str | None, Query(alias="page[before]")] = None,
) -> PageRequest:
    """Dependency for list endpoints that page both ways."""
    return PageRequest(page=page, per_page=per_page, size=size, after=after, before=before)


OffsetPaging = Annotated[PageRequest, Depends(offset_params)]
Paging = Annotated[PageRequest, Depends(page_params)]


def paginate(items: Sequence[Record], req: PageRequest, url: URL, key: str) -> dict[str, Any]:
    """One page of ``items`` (already filtered and sorted) under ``key``."""
    if req.is_cursor:
        return cursor_page(items, req, url, key)
    return offset_page(items, req, url, key)


def offset_page(items: Sequence[Record], req: PageRequest, url: URL, key: str) -> dict[str, Any]:
    start = (req.page - 1) * req.per_page
    end = start + req.per_page
    return {
        key: list(items[start:end]),
        "next_page": str(url.include_query_params(page=req.page + 1)) if end < len(items) else None,
        "previous_page": str(url.include_query_params(page=req.page - 1)) if req.page > 1 else None,
        "count": len(items),
    }


def cursor_page(items: Sequence[Record], req: PageRequest, url: URL, key: str) -> dict[str, Any]:
    size = req.size or MAX_PAGE_SIZE
    if req.before is not None:
        end = _position(items, req.before, "page[before]")
        start = max(0, end - size)
        has_more = start > 0
    else:
        start = _position(items, req.after, "page[after]") + 1 if req.after is not None else 0
        end = start + size
        has_more = end < len(items)
    page = list(items[start:end])
    after_cursor = encode_cursor(page[-1]["id"]) if page else None
    before_cursor = encode_cursor(page[0]["id"]) if page else None
    return {
        key: page,
        "meta": {
            "has_more": has_more,
            "after_cursor": after_cursor,
            "before_cursor": before_cursor,
        },
        "links": {
            "next": _cursor_link(url, "page[after]", after_cursor),
            "prev": _cursor_link(url, "page[before]", before_cursor),
        },
    }


# Cursors name the record at the page's edge rather than an offset, so records added to the
# list between two calls neither repeat nor vanish from the following page.
def encode_cursor(record_id: object) -> str:
    return base64.urlsafe_b64encode(f"id:{record_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, param: str) -> str:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        text = ""
    if not text.startswith("id:"):
        raise invalid_attribute(param, f"Invalid parameter: {param} is not a valid cursor")
    return text.removeprefix("id:")


def _position(items: Sequence[Record], cursor: str, param: str) -> int:
    wanted = _decode_cursor(cursor, param)
    for index, item in enumerate(items):
        if str(item["id"]) == wanted:
            return index
    raise invalid_attribute(param, f"Invalid parameter: {param} names no record of this list")


def _cursor_link(url: URL, param: str, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    return str(url.remove_query_params(_CURSOR_PARAMS).include_query_params(**{param: cursor}))
