"""The HTTP surface: the OAuth token endpoint and the versioned REST resources."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from sandbox.api_errors import ApiError
from sandbox.context import SandboxContext
from sandbox.salesforce.auth import OAuthError, Sessions, check_grant, token_response
from sandbox.salesforce.cursors import QueryCursors
from sandbox.salesforce.errors import JSON_PARSER_ERROR
from sandbox.salesforce.query import run_query
from sandbox.salesforce.sobjects import SObjects
from sandbox.salesforce.soql import MALFORMED_QUERY
from sandbox.salesforce.usage import ApiUsage
from sandbox.salesforce.versions import parse_version, version_list

# The ``vNN.N`` path segment, checked, as ``NN.N``.
ApiVersion = Annotated[str, Depends(parse_version)]


def oauth_router(ctx: SandboxContext, sessions: Sessions) -> APIRouter:
    router = APIRouter()

    @router.post("/services/oauth2/token")
    async def token(request: Request) -> Response:
        form = {key: str(value) for key, value in (await request.form()).items()}
        try:
            check_grant(form, ctx.options.credentials)
        except OAuthError as exc:
            return exc.response()
        issued_at_ms = int(ctx.now.timestamp() * 1000)
        body = token_response(
            sessions.open(), instance_url(request), issued_at_ms, ctx.options.credentials
        )
        return JSONResponse(body.model_dump())

    return router


def data_router(ctx: SandboxContext, sessions: Sessions, usage: ApiUsage) -> APIRouter:
    """``/services/data/``, free and open, and the authenticated ``/services/data/vNN.N/``."""
    cursors = QueryCursors()
    sobjects = SObjects(ctx.store)
    router = APIRouter()

    @router.get("/services/data")
    async def versions() -> list[dict[str, str]]:
        return version_list()

    # async, so that counting runs on the event loop and never races another request.
    async def authorize(request: Request) -> None:
        sessions.require(request.headers.get("Authorization"))
        usage.spend()

    api = APIRouter(prefix="/services/data/{version}", dependencies=[Depends(authorize)])

    @api.get("/query")
    async def query(version: ApiVersion, request: Request) -> dict[str, Any]:
        text = request.query_params.get("q")
        if not text:
            raise ApiError(400, "A SOQL query is required in parameter 'q'", code=MALFORMED_QUERY)
        result = run_query(text, ctx.store, ctx.now, version)
        return cursors.page(version, result.total, result.records, _batch_size(ctx))

    @api.get("/query/{cursor}")
    async def query_more(version: ApiVersion, cursor: str) -> dict[str, Any]:
        return cursors.next_page(version, cursor, _batch_size(ctx))

    @api.get("/sobjects/{sobject}/{record_id}")
    async def get_record(
        version: ApiVersion, sobject: str, record_id: str, request: Request
    ) -> dict[str, Any]:
        fields = request.query_params.get("fields")
        return sobjects.get(version, sobject, record_id, fields)

    @api.post("/sobjects/{sobject}", status_code=201)
    async def create(version: ApiVersion, sobject: str, request: Request) -> dict[str, Any]:
        body = await _json_body(request)
        return _saved(sobjects.create(sobject, body, ctx.now))

    @api.patch("/sobjects/{sobject}/{record_id}", status_code=204)
    async def update(
        version: ApiVersion, sobject: str, record_id: str, request: Request
    ) -> Response:
        body = await _json_body(request)
        sobjects.update(sobject, record_id, body, ctx.now)
        return Response(status_code=204)

    @api.patch("/sobjects/{sobject}/{field}/{value}")
    async def upsert(
        version: ApiVersion, sobject: str, field: str, value: str, request: Request
    ) -> JSONResponse:
        body = await _json_body(request)
        record_id, created = sobjects.upsert(sobject, field, value, body, ctx.now)
        return JSONResponse(
            _saved(record_id) | {"created": created}, status_code=201 if created else 200
        )

    router.include_router(api)
    return router


def instance_url(request: Request) -> str:
    """The base URL this request came in on, including the mount's prefix (``/salesforce``)."""
    return str(request.url.replace(path=request.scope.get("root_path", ""), query=""))


def _batch_size(ctx: SandboxContext) -> int:
    return ctx.options.salesforce_batch_size


def _saved(record_id: str) -> dict[str, Any]:
    return {"id": record_id, "success": True, "errors": []}


async def _json_body(request: Request) -> object:
    try:
        return json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"Invalid JSON body: {exc}", code=JSON_PARSER_ERROR) from exc
