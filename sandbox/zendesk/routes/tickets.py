"""Ticket endpoints beyond plain reads: an organization's tickets, comments, create, update."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import JSONResponse

from sandbox.store import Record
from sandbox.zendesk import idempotency
from sandbox.zendesk.models import CreateBody, UpdateBody
from sandbox.zendesk.paging import Paging, paginate
from sandbox.zendesk.records import ORGANIZATIONS, TICKETS, by_id, shaped, shaped_comment
from sandbox.zendesk.state import ZendeskDep, base_url

router = APIRouter()


@router.get("/api/v2/organizations/{organization_id:int}/tickets.json")
async def organization_tickets(
    organization_id: int, request: Request, paging: Paging, zd: ZendeskDep
) -> dict[str, Any]:
    zd.records.get(ORGANIZATIONS, organization_id)  # 404 for an unknown organization
    base = base_url(request)
    tickets = [
        shaped(t, base, "tickets")
        for t in by_id(zd.records.all(TICKETS))
        if t.get("organization_id") == organization_id
    ]
    return paginate(tickets, paging, request.url, "tickets")


@router.get("/api/v2/tickets/{ticket_id:int}/comments.json")
async def ticket_comments(
    ticket_id: int,
    request: Request,
    paging: Paging,
    zd: ZendeskDep,
    sort_order: Literal["asc", "desc"] = "asc",
) -> dict[str, Any]:
    zd.records.get(TICKETS, ticket_id)
    comments = [shaped_comment(c) for c in zd.records.comments_of(ticket_id)]
    if sort_order == "desc":
        comments.reverse()
    return paginate(comments, paging, request.url, "comments")


@router.post("/api/v2/tickets.json", status_code=201)
async def create_ticket(
    body: CreateBody,
    request: Request,
    zd: ZendeskDep,
    idempotency_key: Annotated[str | None, Header(alias=idempotency.HEADER)] = None,
) -> Response:
    base = base_url(request)
    if idempotency_key is None:
        return _created(_write_answer(*zd.writer.create(body.ticket), base))
    fingerprint = idempotency.fingerprint(body.model_dump(mode="json"))
    with zd.writer.lock:
        replay = zd.idempotency.lookup(idempotency_key, fingerprint)
        if replay is not None:
            return _created(replay.body, lookup="hit", status=replay.status)
        answer = _write_answer(*zd.writer.create(body.ticket), base)
        zd.idempotency.remember(idempotency_key, fingerprint, idempotency.Remembered(201, answer))
    return _created(answer, lookup="miss")


@router.put("/api/v2/tickets/{ticket_id:int}.json")
async def update_ticket(
    ticket_id: int, body: UpdateBody, request: Request, zd: ZendeskDep
) -> dict[str, Any]:
    return _write_answer(*zd.writer.update(ticket_id, body.ticket), base_url(request))


def _write_answer(ticket: Record, audit: Record, base: str) -> dict[str, Any]:
    return {"ticket": shaped(ticket, base, "tickets"), "audit": audit}


def _created(answer: dict[str, Any], lookup: str | None = None, status: int = 201) -> Response:
    headers = {"Location": answer["ticket"]["url"]}
    if lookup is not None:
        headers[idempotency.LOOKUP_HEADER] = lookup
    return JSONResponse(answer, status_code=status, headers=headers)
