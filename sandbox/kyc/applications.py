"""Alloy-style application endpoints over the ``kyc.applications`` collection.

Applications are served in the world's native shape. Lists are newest first by
``created_at`` with offset paging (``limit``/``offset``) and ``total`` counting every match.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from sandbox.api_errors import ApiError
from sandbox.paging import newest_first
from sandbox.store import Record, Store

COLLECTION = "kyc.applications"
DEFAULT_LIMIT = 25
MAX_LIMIT = 100

ApplicationStatus = Literal[
    "running",
    "pending_documents",
    "waiting_review",
    "pending_step_up",
    "pending_action",
    "completed",
    "error",
]


def applications_router(store: Store) -> APIRouter:
    router = APIRouter(prefix="/v1/applications")

    @router.get("")
    async def list_applications(
        external_entity_id: str | None = None,
        status: ApplicationStatus | None = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        matches = [
            app
            for app in newest_first(store.all(COLLECTION), "created_at")
            if (external_entity_id is None or app.get("external_entity_id") == external_entity_id)
            and (status is None or app.get("status") == status)
        ]
        return {"applications": matches[offset : offset + limit], "total": len(matches)}

    @router.get("/{application_token}")
    async def get_application(application_token: str) -> Record:
        return _application(store, application_token)

    @router.get("/{application_token}/documents")
    async def list_documents(application_token: str) -> dict[str, Any]:
        application = _application(store, application_token)
        return {"documents": application.get("requested_documents") or []}

    @router.get("/{application_token}/events")
    async def list_events(application_token: str) -> dict[str, Any]:
        application = _application(store, application_token)
        # Oldest first, like a webhook history; the world may list them in any order.
        events = reversed(newest_first(application.get("events") or [], "timestamp"))
        return {"events": list(events)}

    return router


def _application(store: Store, token: str) -> Record:
    application = store.get(COLLECTION, token)
    if application is None:
        raise ApiError(404, f"Application {token} not found")
    return application
