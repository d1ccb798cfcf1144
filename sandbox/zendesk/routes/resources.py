"""Read endpoints every resource has: list, get one, show many; and organization search."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from sandbox.zendesk.errors import invalid_attribute
from sandbox.zendesk.paging import Paging, paginate
from sandbox.zendesk.records import ORGANIZATIONS, RESOURCES, by_id, shaped
from sandbox.zendesk.state import ZendeskDep, base_url

SHOW_MANY_MAX = 100
router = APIRouter()


def add_resource_routes(plural: str, singular: str, *, show_many: bool) -> None:
    """Register ``GET /api/v2/{plural}.json``, ``/{plural}/{id}.json`` and, when the real API
    has it, ``/{plural}/show_many.json?ids=``."""
    collection = RESOURCES[plural]

    async def list_all(request: Request, paging: Paging, zd: ZendeskDep) -> dict[str, Any]:
        base = base_url(request)
        items = [shaped(r, base, plural) for r in by_id(zd.records.all(collection))]
        return paginate(items, paging, request.url, plural)

    async def get_one(record_id: int, request: Request, zd: ZendeskDep) -> dict[str, Any]:
        record = zd.records.get(collection, record_id)
        return {singular: shaped(record, base_url(request), plural)}

    async def get_many(
        request: Request, ids: Annotated[str, Query()], zd: ZendeskDep
    ) -> dict[str, Any]:
        base = base_url(request)
        found = (zd.records.find(collection, record_id) for record_id in parse_ids(ids))
        return {plural: [shaped(r, base, plural) for r in found if r is not None]}

    router.add_api_route(f"/api/v2/{plural}.json", list_all, name=f"list_{plural}")
    if show_many:
        router.add_api_route(
            f"/api/v2/{plural}/show_many.json", get_many, name=f"show_many_{plural}"
        )
    router.add_api_route(
        f"/api/v2/{plural}/{{record_id:int}}.json", get_one, name=f"get_{singular}"
    )


def parse_ids(ids: str) -> list[int]:
    parts = [p.strip() for p in ids.split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts) or len(parts) > SHOW_MANY_MAX:
        raise invalid_attribute(
            "ids", f"Invalid parameter: ids must be 1 to {SHOW_MANY_MAX} comma-separated ids"
        )
    return [int(p) for p in parts]


@router.get("/api/v2/organizations/search.json")
async def search_organizations(
    request: Request,
    zd: ZendeskDep,
    external_id: str | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """Exact lookup by ``external_id`` (how Baton finds a CRM account's organization) or name."""
    if external_id is None and name is None:
        raise invalid_attribute("external_id", "Invalid parameter: give external_id or name")
    field, value = ("external_id", external_id) if external_id is not None else ("name", name)
    wanted = str(value).lower()
    base = base_url(request)
    matches = [
        shaped(r, base, "organizations")
        for r in by_id(zd.records.all(ORGANIZATIONS))
        if str(r.get(field) or "").lower() == wanted
    ]
    return {
        "organizations": matches,
        "next_page": None,
        "previous_page": None,
        "count": len(matches),
    }


for _plural, _singular, _show_many in (
    ("tickets", "ticket", True),
    ("users", "user", True),
    ("organizations", "organization", True),
    ("groups", "group", False),
):
    add_resource_routes(_plural, _singular, show_many=_show_many)
