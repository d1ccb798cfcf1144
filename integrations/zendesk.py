"""Zendesk Support v2 client: tickets, comments, search, organizations, users, groups; ticket
creation (``Idempotency-Key``) and comments added safely (``safe_update`` + a reference marker).

Search queries are built from typed filters (``TicketQuery``), never from pasted text: every
free-form value is quoted, so a subject like ``"x" status:closed`` stays words to look for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, Literal, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, Field

from config import ZendeskSettings
from integrations.dialect import (
    Dialect,
    ErrorDetail,
    LimitSnapshot,
    body_snippet,
    header_int,
    json_body,
)
from integrations.errors import BadResponse, InvalidRequest, required
from integrations.records import Envelope, Record, parse
from integrations.transport import StaticAuth, Transport

SYSTEM = "zendesk"
MAX_PAGE = 100  # the largest page Zendesk serves
_SEARCH_CAP = 1000  # search answers no further than this
_SHOW_MANY = 100  # ids per show_many request
# How often add_comment starts over when the ticket changed under it (safe_update's 409).
_CONFLICT_ATTEMPTS = 3

TicketStatus = Literal["new", "open", "pending", "hold", "solved", "closed"]
Priority = Literal["urgent", "high", "normal", "low"]
TicketType = Literal["problem", "incident", "question", "task"]


# -- records ---------------------------------------------------------------------------------


class Ticket(Record):
    id: int
    link: str = Field("", description="The ticket in the agent workspace.")
    subject: str
    description: str | None = None
    status: TicketStatus
    priority: Priority | None = None
    type: TicketType | None = None
    requester_id: int | None = None
    assignee_id: int | None = None
    group_id: int | None = None
    organization_id: int | None = None
    external_id: str | None = None
    tags: list[str] = []
    custom_fields: list[dict[str, Any]] = []
    due_at: datetime | None = None
    created_at: datetime
    updated_at: datetime | None = None


class Comment(Record):
    id: int
    author_id: int | None = None
    body: str
    plain_body: str | None = None
    public: bool
    created_at: datetime


class Organization(Record):
    id: int
    name: str
    external_id: str | None = None
    tags: list[str] = []


class User(Record):
    id: int
    name: str
    email: str | None = None
    role: str
    organization_id: int | None = None
    default_group_id: int | None = None
    active: bool | None = None


class Group(Record):
    id: int
    name: str
    description: str | None = None


M = TypeVar("M", bound=Record)


class TicketQuery(BaseModel):
    """Typed search filters; ``query`` renders them in Zendesk's search syntax."""

    model_config = ConfigDict(extra="forbid")

    organization_id: int | None = None
    tags: Sequence[str] = ()
    without_tags: Sequence[str] = ()
    status: TicketStatus | None = None
    status_below: TicketStatus | None = Field(None, description="status<X: e.g. not yet solved")
    priority: Priority | None = None
    group: int | str | None = Field(None, description="Group id or name.")
    assignee: int | str | None = Field(None, description="Agent id or email.")
    requester: int | str | None = Field(None, description="User id or email.")
    external_id: str | None = None
    created_after: date | datetime | None = None
    updated_before: date | datetime | None = None
    text: str | None = Field(None, description="Words of the subject or description.")

    def query(self) -> str:
        parts = ["type:ticket"]
        if self.organization_id is not None:
            parts.append(f"organization:{self.organization_id}")
        parts += [f"tags:{_quoted(tag)}" for tag in self.tags]
        parts += [f"-tags:{_quoted(tag)}" for tag in self.without_tags]
        for key, op, value in (
            ("status", ":", self.status),
            ("status", "<", self.status_below),
            ("priority", ":", self.priority),
        ):
            if value is not None:
                parts.append(f"{key}{op}{value}")  # a Literal: safe as it is
        for key, ref in (
            ("group", self.group),
            ("assignee", self.assignee),
            ("requester", self.requester),
            ("external_id", self.external_id),
        ):
            if ref is not None:
                parts.append(f"{key}:{ref if isinstance(ref, int) else _quoted(ref)}")
        if self.created_after is not None:
            parts.append(f"created>{_utc_text(self.created_after)}")
        if self.updated_before is not None:
            parts.append(f"updated<{_utc_text(self.updated_before)}")
        if self.text and self.text.strip('" '):
            parts.append(_quoted(self.text))
        return " ".join(parts)


def _quoted(value: str) -> str:
    """A value as one quoted search term. Zendesk's syntax has no escape inside quotes, so
    quotes are dropped: the value can then neither end the phrase nor add operators."""
    return '"' + " ".join(value.replace('"', " ").split()) + '"'


def _utc_text(value: date | datetime) -> str:
    if isinstance(value, datetime):
        utc = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


# -- wire format -----------------------------------------------------------------------------


class ZendeskDialect(Dialect):
    system = SYSTEM

    def error_detail(self, response: httpx.Response) -> ErrorDetail:
        body = json_body(response)
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):  # {"error": {"title", "message"}}
            return ErrorDetail(str(error.get("message", "")), error.get("title"))
        if isinstance(error, str):
            # {"error": "RecordInvalid", "description", "details"}; a 401 has only a sentence.
            description = body.get("description")
            if not description:
                return ErrorDetail(error)
            return ErrorDetail(_with_details(str(description), body.get("details")), error)
        return ErrorDetail(body_snippet(response))  # e.g. a text/plain 429

    def limits(self, headers: httpx.Headers) -> LimitSnapshot | None:
        limit = header_int(headers, "X-Rate-Limit")
        remaining = header_int(headers, "X-Rate-Limit-Remaining")
        if limit is None and remaining is None:
            return None
        used = limit - remaining if limit is not None and remaining is not None else None
        return LimitSnapshot(
            system=SYSTEM,
            limit=limit,
            remaining=remaining,
            used=used,
            observed_at=datetime.now(UTC),
        )


def _with_details(description: str, details: Any) -> str:
    """``Record validation errors`` plus what each field's problem was."""
    if not isinstance(details, dict):
        return description
    problems = [
        str(problem.get("description", problem)) if isinstance(problem, dict) else str(problem)
        for entries in details.values()
        for problem in (entries if isinstance(entries, list) else [entries])
    ]
    return f"{description}: {'; '.join(problems)}" if problems else description


class _CursorMeta(Envelope):
    has_more: bool
    after_cursor: str | None = None


class _CursorPage(Envelope):
    meta: _CursorMeta


class _SearchPage(Envelope):
    results: list[dict[str, Any]]
    next_page: str | None = None


class _TicketAnswer(Envelope):
    ticket: dict[str, Any]


class _OrganizationAnswer(Envelope):
    organization: Organization


class _Organizations(Envelope):
    organizations: list[Organization]


class _Users(Envelope):
    users: list[User]


# -- the client ------------------------------------------------------------------------------


class ZendeskClient:
    def __init__(
        self,
        settings: ZendeskSettings,
        *,
        http_transport: httpx.AsyncBaseTransport | None = None,
        page_size: int = MAX_PAGE,
    ) -> None:
        self._page_size = min(page_size, MAX_PAGE)
        email = required(settings.email, "BATON_ZENDESK__EMAIL")
        self._base = required(settings.url, "BATON_ZENDESK__URL").rstrip("/")
        self.transport = Transport(
            ZendeskDialect(),
            self._base,
            settings.transport,
            # API token auth: basic auth as "{email}/token" with the token as password.
            auth=StaticAuth.basic(
                f"{email}/token", required(settings.api_token, "BATON_ZENDESK__API_TOKEN")
            ),
            http_transport=http_transport,
        )

    async def aclose(self) -> None:
        await self.transport.aclose()

    def link(self, ticket_id: int) -> str:
        return f"{self._base}/agent/tickets/{ticket_id}"

    # -- tickets -----------------------------------------------------------------------------

    async def ticket(self, ticket_id: int) -> Ticket:
        data = await self.transport.get(f"/api/v2/tickets/{int(ticket_id)}.json")
        return self._ticket(parse(SYSTEM, _TicketAnswer, data).ticket)

    async def tickets_for_organization(self, organization_id: int) -> list[Ticket]:
        path = f"/api/v2/organizations/{int(organization_id)}/tickets.json"
        return [self._ticket(record) for record in await self._cursor_list(path, "tickets")]

    async def comments(self, ticket_id: int) -> list[Comment]:
        """The ticket's comments, oldest first (the first is the description)."""
        path = f"/api/v2/tickets/{int(ticket_id)}/comments.json"
        return [
            parse(SYSTEM, Comment, record) for record in await self._cursor_list(path, "comments")
        ]

    async def search_tickets(self, limit: int = _SEARCH_CAP, **filters: Any) -> list[Ticket]:
        """Tickets matching every filter of ``TicketQuery`` (at most 1,000: Zendesk's cap)."""
        query = TicketQuery(**filters).query()
        found: list[Ticket] = []
        async with self.transport.budget():
            for page in range(1, _SEARCH_CAP // self._page_size + 1):
                params = {"query": query, "page": page, "per_page": self._page_size}
                answer = parse(
                    SYSTEM, _SearchPage, await self.transport.get("/api/v2/search.json", params)
                )
                found.extend(self._ticket(record) for record in answer.results)
                if answer.next_page is None or len(found) >= limit:
                    break
        return found[:limit]

    # -- organizations, users, groups --------------------------------------------------------

    async def organization(self, organization_id: int) -> Organization:
        data = await self.transport.get(f"/api/v2/organizations/{int(organization_id)}.json")
        return parse(SYSTEM, _OrganizationAnswer, data).organization

    async def organization_by_external_id(self, account_id: str) -> Organization | None:
        """The organization linked to a Salesforce Account, if there is one."""
        params = {"external_id": account_id}
        data = await self.transport.get("/api/v2/organizations/search.json", params)
        found = parse(SYSTEM, _Organizations, data).organizations
        return found[0] if found else None

    async def organizations(self) -> list[Organization]:
        records = await self._cursor_list("/api/v2/organizations.json", "organizations")
        return [parse(SYSTEM, Organization, record) for record in records]

    async def users(self, ids: Sequence[int]) -> list[User]:
        users: list[User] = []
        async with self.transport.budget():
            for start in range(0, len(ids), _SHOW_MANY):
                chunk = ",".join(str(int(i)) for i in ids[start : start + _SHOW_MANY])
                data = await self.transport.get("/api/v2/users/show_many.json", {"ids": chunk})
                users.extend(parse(SYSTEM, _Users, data).users)
        return users

    async def groups(self) -> list[Group]:
        records = await self._cursor_list("/api/v2/groups.json", "groups")
        return [parse(SYSTEM, Group, record) for record in records]

    # -- writes ------------------------------------------------------------------------------

    async def create_ticket(
        self,
        *,
        subject: str,
        body: str,
        idempotency_key: str,
        public: bool = True,
        requester_id: int | None = None,
        organization_id: int | None = None,
        group_id: int | None = None,
        assignee_id: int | None = None,
        priority: Priority | None = None,
        type: TicketType | None = None,
        tags: Sequence[str] = (),
        external_id: str | None = None,
    ) -> Ticket:
        """Create a ticket once per ``idempotency_key`` (Zendesk replays the first create for a
        repeated key, so the POST is safe to retry)."""
        fields = {
            "subject": subject,
            "comment": {"body": body, "public": public},
            "requester_id": requester_id,
            "organization_id": organization_id,
            "group_id": group_id,
            "assignee_id": assignee_id,
            "priority": priority,
            "type": type,
            "tags": list(tags) or None,
            "external_id": external_id,
        }
        ticket = {key: value for key, value in fields.items() if value is not None}
        reply = await self.transport.request(
            "POST",
            "/api/v2/tickets.json",
            json={"ticket": ticket},
            headers={"Idempotency-Key": idempotency_key},
            idempotent=True,
        )
        return self._ticket(parse(SYSTEM, _TicketAnswer, reply.data).ticket)

    async def add_comment(
        self, ticket_id: int, body: str, *, public: bool, idempotency_key: str
    ) -> Comment:
        """Add a comment once per ``idempotency_key``, safe to retry.

        Zendesk has no idempotency key for updates, so the comment carries a reference derived
        from the key and every write is conditional (``safe_update`` with the ``updated_stamp``
        read just before). Each round reads the stamp, *then* looks for the reference: a write
        of ours that landed earlier shows up in that look, and one still in flight when we
        read the stamp changes the ticket, so our conditional write gets 409 and the next
        round finds it. Hence at most one comment per key, whatever timed out or was retried
        (by the transport or by the caller with the same key).
        """
        reference = _reference(idempotency_key)
        text = f"{body}\n\n{reference}"
        path = f"/api/v2/tickets/{int(ticket_id)}.json"
        async with self.transport.budget():
            for _ in range(_CONFLICT_ATTEMPTS):
                ticket = await self.ticket(ticket_id)
                landed = await self._comment_with(ticket_id, reference)
                if landed is not None:
                    return landed
                update = {
                    "comment": {"body": text, "public": public},
                    "safe_update": True,
                    "updated_stamp": _utc_text(ticket.updated_at or ticket.created_at),
                }
                try:
                    await self.transport.request("PUT", path, json={"ticket": update})
                except InvalidRequest as error:
                    if error.status != 409:
                        raise
                    continue  # changed since we read it, perhaps by our own earlier write
                landed = await self._comment_with(ticket_id, reference)
                if landed is None:
                    raise BadResponse(SYSTEM, f"ticket {ticket_id}: the comment was not saved")
                return landed
        raise InvalidRequest(
            SYSTEM, f"ticket {ticket_id} kept changing; comment not added", 409, "UpdateConflict"
        )

    # -- helpers -----------------------------------------------------------------------------

    def _ticket(self, record: dict[str, Any]) -> Ticket:
        return parse(SYSTEM, Ticket, {**record, "link": self.link(record.get("id", 0))})

    async def _comment_with(self, ticket_id: int, reference: str) -> Comment | None:
        for comment in await self.comments(ticket_id):
            if reference in comment.body:
                return comment
        return None

    async def _cursor_list(self, path: str, key: str) -> list[dict[str, Any]]:
        """Every item of a list endpoint, with cursor paging (``page[size]``/``page[after]``)."""
        items: list[dict[str, Any]] = []
        params: dict[str, Any] = {"page[size]": self._page_size}
        async with self.transport.budget():
            while True:
                data = await self.transport.get(path, params)
                items.extend(_items(data, key))
                meta = parse(SYSTEM, _CursorPage, data).meta
                if not meta.has_more or meta.after_cursor is None:
                    return items
                params["page[after]"] = meta.after_cursor


def _items(data: Any, key: str) -> list[dict[str, Any]]:
    """The records of a list answer (``{"tickets": [...], "meta": ...}``)."""
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise BadResponse(SYSTEM, f"expected a list of records under {key!r}")
    return items


def _reference(idempotency_key: str) -> str:
    """The marker a comment carries: short, stable per key, and not the key itself."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:12]
    return f"Ref: baton-{digest}"
