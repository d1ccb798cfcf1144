"""Fiserv-style merchant boarding over the ``pos.boarding_applications`` collection.

``POST /api/v1/application`` submits an application; an ``Idempotency-Key`` header makes a
retried submission return the first application (with ``Idempotent-Replayed: true``, as Stripe
marks replays) instead of boarding the merchant twice.
"""

from __future__ import annotations

import json
import threading
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from sandbox.api_errors import ApiError
from sandbox.context import SandboxContext
from sandbox.paging import newest_first
from sandbox.store import Record, Store

COLLECTION = "pos.boarding_applications"
# Sandbox bookkeeping, not a world collection: idempotency key → first application.
IDEMPOTENCY_COLLECTION = "pos.boarding_idempotency"


class BoardingRequest(BaseModel):
    """What a submission must carry; any other merchant details are kept as sent."""

    model_config = ConfigDict(extra="allow")

    external_id: str = Field(min_length=1)
    merchant_name: str = Field(min_length=1)


def boarding_router(ctx: SandboxContext) -> APIRouter:
    router = APIRouter(prefix="/api/v1")
    store = ctx.store
    # Check-then-create must be atomic, or two concurrent retries could both create.
    create_lock = threading.Lock()

    @router.post("/application")
    async def submit_application(
        body: BoardingRequest, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        request = body.model_dump()
        with create_lock:
            if idempotency_key:
                first = _replayed(store, idempotency_key, request)
                if first is not None:
                    headers = {"Idempotent-Replayed": "true"}
                    return JSONResponse(first, status_code=201, headers=headers)
            application = _new_application(request, ctx.now_iso())
            store.put(COLLECTION, application["applicationId"], application)
            if idempotency_key:
                store.put(
                    IDEMPOTENCY_COLLECTION,
                    idempotency_key,
                    {"applicationId": application["applicationId"], "request": _digest(request)},
                )
        return JSONResponse(application, status_code=201)

    @router.get("/application/{application_id}")
    async def get_application(application_id: str) -> Record:
        application = store.get(COLLECTION, application_id)
        if application is None:
            raise ApiError(
                404,
                f"No such application: '{application_id}'",
                code="resource_missing",
                param="applicationId",
            )
        return application

    @router.get("/applications")
    async def list_applications(external_id: str | None = None) -> dict[str, Any]:
        applications = newest_first(store.all(COLLECTION), "submitted_at")
        if external_id is not None:
            applications = [a for a in applications if a.get("external_id") == external_id]
        return {"applications": applications}

    return router


def _new_application(request: dict[str, Any], now: str) -> Record:
    # Server-controlled fields come last so a client cannot set its own status or id.
    return {
        **request,
        "applicationId": f"BA-{uuid.uuid4().hex[:10].upper()}",
        "status": "SUBMITTED",
        "submitted_at": now,
        "updated_at": now,
    }


def _replayed(store: Store, key: str, request: dict[str, Any]) -> Record | None:
    """The application first created with ``key``; refuses reuse with a different request."""
    entry = store.get(IDEMPOTENCY_COLLECTION, key)
    if entry is None:
        return None
    if entry["request"] != _digest(request):
        raise ApiError(
            400,
            "Keys for idempotent requests can only be used with the same parameters they "
            f"were first used with. Try using a key other than '{key}' if you meant to "
            "execute a different request.",
            error_type="idempotency_error",
        )
    return store.get(COLLECTION, entry["applicationId"])


def _digest(request: dict[str, Any]) -> str:
    return json.dumps(request, sort_keys=True, separators=(",", ":"))
