"""Baton's HTTP API (FastAPI): chat, streamed chat, journeys, health — and Slack's endpoint.

The runtime (back-office clients, journey engine, knowledge base, agent graph, checkpointer) is
built once in the lifespan from a ``RuntimeFactory`` and kept on ``app.state``; with Slack
configured, the Bolt app is mounted at ``POST /slack/events`` in the same process. Every error
has one shape, ``{"error": {"code", "message"}}`` (``channels.errors``). ``docs/http-api.md``
is the reference; the OpenAPI docs are served at ``/docs``.
"""

from __future__ import annotations

import gc
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel, ConfigDict, Field
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler

from agent.answer import ToolCallRecord
from agent.citations import Citation
from bot import create_bolt_app
from channels.auth import CUSTOMER_TOKEN_HEADER, Authenticator, Caller
from channels.errors import ERROR_RESPONSES, ApiError, install_error_handlers
from channels.health import Readiness, readiness
from channels.limits import BodySizeLimit, RateLimiter
from channels.runtime import ChannelRuntime, RuntimeFactory
from channels.stream import DeltaEvent, DoneEvent, StatusEvent, stream_answer
from config import Settings
from integrations import IntegrationError
from journeys.fetch import AccountNotFound
from journeys.filters import InvalidFilter, PortfolioFilter
from journeys.portfolio import Portfolio
from journeys.templates import echo
from journeys.view import JourneyView
from tools.policy import AccessDenied, authorize, visible_view

log = logging.getLogger(__name__)

THREAD_PATTERN = r"^[A-Za-z0-9_.:-]{1,128}$"
ASK = "Where is Acme Bakery LLC in onboarding and what is blocking it?"


# --- request and response bodies -------------------------------------------------------------


class ChatRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"message": ASK}, {"message": "who holds it?", "thread_id": "f3c1d2"}]
        },
    )

    message: str = Field(min_length=1, max_length=8_000, description="The question.")
    thread_id: str | None = Field(
        None,
        pattern=THREAD_PATTERN,
        description="Continue this conversation (from an earlier answer); omit to start one.",
    )


class ChatResponse(BaseModel):
    answer: str
    citations: list[Citation]
    tool_calls: list[ToolCallRecord]
    thread_id: str = Field(description="Send it back to ask a follow-up in the same thread.")


class Health(BaseModel):
    status: str = "ok"


# --- dependencies ----------------------------------------------------------------------------

_bearer = HTTPBearer(auto_error=False, description="An API key (docs/http-api.md).")
_customer_token = APIKeyHeader(
    name=CUSTOMER_TOKEN_HEADER,
    auto_error=False,
    description="Chatbot keys only: the portal-signed token naming the customer's account.",
)


# The dependencies are coroutines although they never wait: FastAPI runs a plain function
# dependency in a worker thread, a thread hop per dependency per request.


async def _runtime(request: Request) -> ChannelRuntime:
    return request.app.state.runtime


async def _caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    customer_token: Annotated[str | None, Depends(_customer_token)],
) -> Caller:
    """Authenticate, then charge the principal's rate limit (401 / 429)."""
    authorization = f"{credentials.scheme} {credentials.credentials}" if credentials else None
    caller = request.app.state.authenticator.caller(authorization, customer_token)
    wait_s = request.app.state.limiter.acquire(caller.bucket)
    if wait_s is not None:
        raise ApiError(
            429,
            "rate_limited",
            f"Too many requests for {caller.key_name}; retry in {wait_s} s.",
            {"Retry-After": str(wait_s)},
        )
    return caller


RuntimeDep = Annotated[ChannelRuntime, Depends(_runtime)]
CallerDep = Annotated[Caller, Depends(_caller)]


def _thread(caller: Caller, thread_id: str) -> str:
    """The checkpoint thread: namespaced by principal, so a guessed id opens no one else's."""
    return f"http:{caller.bucket}:{thread_id}"


def _backoffice_down(exc: IntegrationError) -> ApiError:
    return ApiError(503, "backoffice_unavailable", f"A back-office system is unavailable: {exc}")


# --- chat ------------------------------------------------------------------------------------

chat = APIRouter(prefix="/v1", tags=["chat"], responses=ERROR_RESPONSES)


@chat.post("/chat", response_model=ChatResponse)
async def ask(body: ChatRequest, caller: CallerDep, runtime: RuntimeDep) -> ChatResponse:
    """Ask Baton; the answer cites the records it rests on."""
    thread_id = body.thread_id or uuid.uuid4().hex
    try:
        answer = await runtime.agent.ask(
            body.message, principal=caller.principal, thread_id=_thread(caller, thread_id)
        )
    except IntegrationError as exc:
        raise _backoffice_down(exc) from exc
    return ChatResponse(
        answer=answer.answer,
        citations=answer.citations,
        tool_calls=answer.tool_calls,
        thread_id=thread_id,
    )


@chat.post("/chat/stream", response_class=EventSourceResponse)
async def ask_streaming(
    body: ChatRequest, caller: CallerDep, runtime: RuntimeDep
) -> AsyncIterator[ServerSentEvent]:
    """The same answer as server-sent events: ``status`` lines while Baton works, ``delta``
    text, then ``citations`` and ``done`` (``{thread_id, tool_calls}``); ``error`` on failure."""
    thread_id = body.thread_id or uuid.uuid4().hex
    events = stream_answer(
        runtime.agent,
        body.message,
        principal=caller.principal,
        thread_id=_thread(caller, thread_id),
    )
    try:
        async for event in events:
            if isinstance(event, StatusEvent):
                yield ServerSentEvent(event="status", data={"text": event.text})
            elif isinstance(event, DeltaEvent):
                yield ServerSentEvent(event="delta", data={"text": event.text})
            elif isinstance(event, DoneEvent):
                citations = [c.model_dump() for c in event.answer.citations]
                calls = [c.model_dump() for c in event.answer.tool_calls]
                yield ServerSentEvent(event="citations", data={"citations": citations})
                yield ServerSentEvent(
                    event="done", data={"thread_id": thread_id, "tool_calls": calls}
                )
    except IntegrationError as exc:
        error = _backoffice_down(exc)
        yield ServerSentEvent(event="error", data={"code": error.code, "message": error.message})
    except Exception:
        # The response has started: the status is sent, so the failure travels as an event.
        log.exception("streamed answer failed on thread %s", thread_id)
        yield ServerSentEvent(
            event="error",
            data={"code": "internal_error", "message": "Baton failed unexpectedly."},
        )


# --- journeys --------------------------------------------------------------------------------

journeys = APIRouter(prefix="/v1/journeys", tags=["journeys"], responses=ERROR_RESPONSES)


@journeys.get("/{account}", response_model=JourneyView)
async def journey(account: str, caller: CallerDep, runtime: RuntimeDep) -> JourneyView:
    """One customer's journey. ``account`` is a CRM id; staff may also use a name (typos and
    DBA names work) or a ticket number (``#1042``). A chatbot key only reaches the account its
    customer token names."""
    principal = caller.principal
    try:
        account_id = account if principal.kind == "customer" else await _resolve(runtime, account)
        authorize(principal, "journey.read", account_id)
        view = await runtime.journeys.view(account_id)
    except AccessDenied as exc:
        raise ApiError(403, "forbidden", str(exc)) from exc
    except AccountNotFound as exc:
        raise ApiError(404, "customer_not_found", str(exc)) from exc
    except IntegrationError as exc:
        raise _backoffice_down(exc) from exc
    return visible_view(principal, view)


async def _resolve(runtime: ChannelRuntime, query: str) -> str:
    """The CRM id ``query`` names: 404 when none does, 409 (with candidates) when several."""
    resolution = await runtime.journeys.resolve(query)
    if resolution.outcome == "resolved" and resolution.account is not None:
        return resolution.account.id
    ambiguous = resolution.outcome == "ambiguous"
    raise ApiError(
        409 if ambiguous else 404,
        "customer_ambiguous" if ambiguous else "customer_not_found",
        resolution.message,
    )


async def _one_known_value_each(request: Request) -> None:
    """A filter the API does not know, or given twice, is refused: silently ignoring it or
    keeping the last value would answer a different question than the one asked."""
    known = list(PortfolioFilter.model_fields)
    given = [key for key, _ in request.query_params.multi_items()]
    unknown = sorted(set(given) - set(known))
    if unknown:
        names = ", ".join(echo(name) for name in unknown)
        raise ApiError(
            422, "invalid_request", f"unknown filter {names}; filters: {', '.join(known)}"
        )
    repeated = sorted({key for key in given if given.count(key) > 1})
    if repeated:
        raise ApiError(
            422, "invalid_request", f"give each filter once; repeated: {', '.join(repeated)}"
        )


@journeys.get("", response_model=Portfolio, dependencies=[Depends(_one_known_value_each)])
async def journey_list(
    filters: Annotated[PortfolioFilter, Query()], caller: CallerDep, runtime: RuntimeDep
) -> Portfolio:
    """Journeys filtered by status, current step (id or title), owner (RM or next-step holder),
    team, product, blocker type, a stale CRM stage or an overdue step — e.g.
    ``?status=stalled&owner=Dana Whitfield``, ``?blocker=vendor_dependency&overdue=true``.
    Staff keys only."""
    try:
        authorize(caller.principal, "journey.list")
        return await runtime.journeys.portfolio(filters)
    except AccessDenied as exc:
        raise ApiError(403, "forbidden", str(exc)) from exc
    except InvalidFilter as exc:
        raise ApiError(422, "invalid_request", str(exc)) from exc
    except IntegrationError as exc:
        raise _backoffice_down(exc) from exc


# --- health ----------------------------------------------------------------------------------

health = APIRouter(tags=["health"])


@health.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up (no dependency is called)."""
    return Health()


@health.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
async def readyz(runtime: RuntimeDep, response: Response) -> Readiness:
    """Checkpointer, knowledge base and each back-office system, with per-system detail;
    503 when any of them fails."""
    report = await readiness(runtime.probes)
    if not report.ready:
        response.status_code = 503
    return report


# --- the app ---------------------------------------------------------------------------------


def create_app(settings: Settings, runtime_factory: RuntimeFactory) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with runtime_factory(settings) as runtime:
            app.state.runtime = runtime
            app.state.slack = _slack_handler(settings, runtime)
            # Imports and the runtime leave a few hundred thousand long-lived objects: out of
            # the collector's sight, a full collection takes ~2 ms instead of ~150 ms (a stall
            # for every request in flight).
            gc.freeze()
            try:
                yield
            finally:
                gc.unfreeze()

    app = FastAPI(
        title="Baton API",
        version="1",
        summary="Where is this customer, what is next, who holds it, what is blocking.",
        lifespan=lifespan,
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.api.max_body_bytes)
    limits = settings.api
    app.state.authenticator = Authenticator(limits.keys, limits.customer_token_max_ttl_s)
    app.state.limiter = RateLimiter(limits.rate_per_minute, limits.rate_burst)
    install_error_handlers(app)
    for router in (chat, journeys, health):
        app.include_router(router)

    @app.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        if request.app.state.slack is None:
            raise ApiError(404, "slack_disabled", "Slack is not configured on this server.")
        return await request.app.state.slack.handle(request)

    return app


def _slack_handler(settings: Settings, runtime: ChannelRuntime) -> AsyncSlackRequestHandler | None:
    if not settings.slack.enabled:
        return None
    return AsyncSlackRequestHandler(create_bolt_app(settings.slack, runtime))
