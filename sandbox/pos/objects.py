"""Stripe-style list and retrieve endpoints: terminal hardware orders, readers and charges.

Lists are newest first by ``created`` (records without it, such as readers, keep the store's
order reversed, i.e. the latest added first).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from sandbox.api_errors import ApiError
from sandbox.paging import CursorNotFound, cursor_page, newest_first
from sandbox.pos.stripe_list import ListParams, list_object, list_params, stripe_object
from sandbox.store import Record, Store


@dataclass(frozen=True)
class StripeResource:
    collection: str  # store collection
    path: str  # list path; one object at ``{path}/{id}``
    object_name: str  # Stripe's ``object`` value
    noun: str  # as Stripe names it in "No such <noun>: '<id>'"


RESOURCES = (
    StripeResource(
        "pos.hardware_orders",
        "/v1/terminal/hardware_orders",
        "terminal.hardware_order",
        "hardware_order",
    ),
    StripeResource("pos.readers", "/v1/terminal/readers", "terminal.reader", "reader"),
    StripeResource("pos.charges", "/v1/charges", "charge", "charge"),
)


def objects_router(store: Store) -> APIRouter:
    router = APIRouter()
    for resource in RESOURCES:
        _add_routes(router, store, resource)
    return router


def _add_routes(router: APIRouter, store: Store, resource: StripeResource) -> None:
    async def list_objects(params: Annotated[ListParams, Depends(list_params)]) -> dict[str, Any]:
        ordered = newest_first(store.all(resource.collection), "created")
        try:
            page = cursor_page(
                ordered, params.matches, params.limit, params.starting_after, params.ending_before
            )
        except CursorNotFound as exc:
            raise _no_such(resource, exc.object_id, exc.param, status=400) from exc
        return list_object(resource.path, page, resource.object_name)

    async def retrieve_object(object_id: str) -> Record:
        record = store.get(resource.collection, object_id)
        if record is None:
            raise _no_such(resource, object_id, "id", status=404)
        return stripe_object(record, resource.object_name)

    router.add_api_route(resource.path, list_objects, name=f"list {resource.noun}")
    router.add_api_route(
        f"{resource.path}/{{object_id}}", retrieve_object, name=f"retrieve {resource.noun}"
    )


def _no_such(resource: StripeResource, object_id: str, param: str, status: int) -> ApiError:
    # Stripe answers 404 for the object in the path, 400 for one named by a parameter.
    message = f"No such {resource.noun}: '{object_id}'"
    return ApiError(status, message, code="resource_missing", param=param)
