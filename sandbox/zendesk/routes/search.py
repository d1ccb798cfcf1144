"""``GET /api/v2/search.json``: the unified search, with offset paging up to 1,000 results."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from sandbox.zendesk.errors import invalid_query, search_limit_exceeded
from sandbox.zendesk.matcher import SortBy, SortOrder, sort_results
from sandbox.zendesk.paging import OffsetPaging, offset_page
from sandbox.zendesk.query import QueryError, parse
from sandbox.zendesk.records import shaped
from sandbox.zendesk.state import ZendeskDep, base_url

RESULT_LIMIT = 1000
PLURALS = {"ticket": "tickets", "user": "users", "organization": "organizations"}
router = APIRouter()


@router.get("/api/v2/search.json")
async def search(
    request: Request,
    query: Annotated[str, Query()],
    paging: OffsetPaging,
    zd: ZendeskDep,
    sort_by: SortBy | None = None,
    sort_order: SortOrder = "desc",
) -> dict[str, Any]:
    # Like Zendesk, judge the requested window, not how many records happen to match.
    if paging.page * paging.per_page > RESULT_LIMIT:
        raise search_limit_exceeded()
    try:
        parsed = parse(query)
    except QueryError as exc:
        raise invalid_query(str(exc), query) from exc
    results = sort_results(zd.matcher.search(parsed), sort_by, sort_order)
    base = base_url(request)
    shown = [
        {**shaped(record, base, PLURALS[kind]), "result_type": kind} for kind, record in results
    ]
    return {**offset_page(shown, paging, request.url, "results"), "facets": None}
