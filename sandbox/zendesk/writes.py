"""Ticket creation and update: validation, comments, audits and the write clock."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta
from typing import Any

from sandbox.context import SandboxContext
from sandbox.store import Record
from sandbox.zendesk.errors import Details, ZendeskError, field_error, record_invalid
from sandbox.zendesk.models import CommentIn, TicketCreate, TicketFields, TicketUpdate
from sandbox.zendesk.query import ORDERS
from sandbox.zendesk.records import (
    AUDITS,
    COMMENTS,
    GROUPS,
    ORGANIZATIONS,
    TICKETS,
    USERS,
    Records,
    shaped_comment,
)

TICKET_TYPES = ("problem", "incident", "question", "task")
VIA_API = {"channel": "api", "source": {"from": {}, "to": {}, "rel": None}}
AGENT_ROLES = ("agent", "admin")
# Fields that a create reports as "Create" events in its audit.
AUDITED_FIELDS = (
    "subject",
    "status",
    "priority",
    "type",
    "requester_id",
    "assignee_id",
    "group_id",
    "organization_id",
    "tags",
)
# Fields an update takes as they are (the comment and safe-update flags are handled apart).
UPDATE_CONTROL = {"comment", "safe_update", "updated_stamp"}
_REFERENCES = (
    ("requester_id", USERS),
    ("assignee_id", USERS),
    ("group_id", GROUPS),
    ("organization_id", ORGANIZATIONS),
)
_VOCABULARIES = (
    ("priority", ORDERS["priority"]),
    ("status", ORDERS["status"]),
    ("type", TICKET_TYPES),
)
_WRITE_SEQ = "zendesk.write_seq"
_NEXT_EVENT_ID = "zendesk.next_event_id"
_TAG = re.compile(r"<[^>]+>")


class TicketWriter:
    """Creates and updates tickets; one lock serialises every Zendesk write."""

    def __init__(self, ctx: SandboxContext, records: Records) -> None:
        self.ctx = ctx
        self.records = records
        self.store = ctx.store
        # Re-entrant so a caller (the idempotent create) can hold it around a whole create.
        self.lock = threading.RLock()

    def create(self, ticket: TicketCreate) -> tuple[Record, Record]:
        """Store a new ticket with its first comment; returns (ticket, audit)."""
        with self.lock:
            details = self._validate(ticket)
            first = ticket.comment or CommentIn(body=ticket.description)
            if not _comment_body(first):
                _add(details, "description", "cannot be blank", "BlankValue")
            if ticket.requester is not None and "@" not in ticket.requester.email:
                _add(details, "requester", f"{ticket.requester.email!r} is not an email address")
            if details:
                raise record_invalid(details)
            agent = self._agent()
            stamp = self._next_stamp()
            requester = self._requester(ticket, agent, stamp)
            ticket_id = self.store.next_int_id(TICKETS)
            body = _comment_body(first)
            record: Record = {
                "id": ticket_id,
                "external_id": ticket.external_id,
                "type": ticket.type,
                "subject": ticket.subject,
                "raw_subject": ticket.subject,
                "description": body,
                "priority": ticket.priority,
                # Zendesk opens a ticket that already has an assignee.
                "status": ticket.status or ("open" if ticket.assignee_id else "new"),
                "requester_id": requester["id"],
                "submitter_id": agent["id"],
                "assignee_id": ticket.assignee_id,
                "organization_id": ticket.organization_id or requester.get("organization_id"),
                "group_id": ticket.group_id,
                "collaborator_ids": [],
                "follower_ids": [],
                "email_cc_ids": [],
                "has_incidents": False,
                "is_public": first.public,
                "due_at": ticket.due_at,
                "tags": _normalized_tags(ticket.tags or []),
                "custom_fields": ticket.custom_fields or [],
                "via": VIA_API,
                "created_at": stamp,
                "updated_at": stamp,
            }
            comment = self._add_comment(ticket_id, first, agent, stamp)
            events = [
                _comment_event(comment),
                *(
                    {
                        "id": self._next_event_id(),
                        "type": "Create",
                        "field_name": field,
                        "value": record[field],
                    }
                    for field in AUDITED_FIELDS
                    if record[field] not in (None, [])
                ),
            ]
            self.store.put(TICKETS, ticket_id, record)
            return record, self._audit(ticket_id, agent, stamp, events)

    def update(self, ticket_id: int, ticket: TicketUpdate) -> tuple[Record, Record]:
        """Apply the given fields and optional comment; returns (ticket, audit)."""
        with self.lock:
            current = self.records.get(TICKETS, ticket_id)
            if ticket.safe_update:
                _check_stamp(current, ticket.updated_stamp)
            if current.get("status") == "closed":
                raise record_invalid(
                    {
                        "status": [
                            field_error(
                                "status", "closed prevents ticket update", "ClosedPreventsUpdate"
                            )
                        ]
                    }
                )
            details = self._validate(ticket)
            if details:
                raise record_invalid(details)
            changes = ticket.model_dump(exclude_unset=True, exclude=UPDATE_CONTROL)
            if "tags" in changes:
                changes["tags"] = _normalized_tags(changes["tags"] or [])
            agent = self._agent()
            stamp = self._next_stamp()
            events: list[dict[str, Any]] = []
            if ticket.comment is not None:
                comment = self._add_comment(ticket_id, ticket.comment, agent, stamp)
                events.append(_comment_event(comment))
            events.extend(
                {
                    "id": self._next_event_id(),
                    "type": "Change",
                    "field_name": field,
                    "value": value,
                    "previous_value": current.get(field),
                }
                for field, value in changes.items()
                if current.get(field) != value
            )
            record = {**current, **changes, "updated_at": stamp}
            self.store.put(TICKETS, ticket_id, record)
            return record, self._audit(ticket_id, agent, stamp, events)

    # -- validation ---------------------------------------------------------------------------
    def _validate(self, ticket: TicketFields) -> Details:
        """Vocabulary and reference errors, keyed by field as Zendesk reports them."""
        details: Details = {}
        for field, allowed in _VOCABULARIES:
            value = getattr(ticket, field)
            if value is not None and value not in allowed:
                _add(details, field, f"{value!r} is not one of {', '.join(allowed)}")
        for field, collection in _REFERENCES:
            value = getattr(ticket, field)
            if value is not None and self.records.find(collection, value) is None:
                _add(details, field, f"there is no record with id {value}")
        assignee = self.records.find(USERS, ticket.assignee_id)
        if assignee is not None and assignee.get("role") not in AGENT_ROLES:
            _add(details, "assignee_id", f"user {ticket.assignee_id} is not an agent")
        if ticket.due_at is not None and _parse_time(ticket.due_at) is None:
            _add(details, "due_at", f"{ticket.due_at!r} is not an ISO-8601 time")
        if ticket.comment is not None and not _comment_body(ticket.comment):
            _add(details, "comment", "cannot be blank", "BlankValue")
        return details

    # -- records ------------------------------------------------------------------------------
    def _agent(self) -> Record:
        """The authenticated user: the users record with the API email, created on first use."""
        email = self.ctx.options.credentials.zendesk_email
        user = self.records.user_by_email(email)
        if user is None:
            user = {
                "id": self.store.next_int_id(USERS),
                "name": "Sandbox API",
                "email": email,
                "role": "admin",
                "active": True,
                "created_at": self.ctx.now_iso(),
            }
            self.store.put(USERS, user["id"], user)
        return user

    def _requester(self, ticket: TicketCreate, agent: Record, stamp: str) -> Record:
        """``requester_id``, else the user with ``requester.email`` (a new end-user when there is
        none), else the authenticated agent, as Zendesk defaults it."""
        if ticket.requester_id is not None:
            return self.records.get(USERS, ticket.requester_id)
        if ticket.requester is None:
            return agent
        existing = self.records.user_by_email(ticket.requester.email)
        if existing is not None:
            return existing
        email = ticket.requester.email.strip()
        user = {
            "id": self.store.next_int_id(USERS),
            "name": ticket.requester.name or email.split("@")[0],
            "email": email,
            "role": "end-user",
            "active": True,
            "created_at": stamp,
            "updated_at": stamp,
        }
        self.store.put(USERS, user["id"], user)
        return user

    def _add_comment(self, ticket_id: int, comment: CommentIn, agent: Record, stamp: str) -> Record:
        record: Record = {
            "id": self._next_event_id(),
            "type": "Comment",
            "author_id": comment.author_id or agent["id"],
            "body": _comment_body(comment),
            "public": comment.public,
            "created_at": stamp,
            "via": VIA_API,
            "ticket_id": ticket_id,
        }
        if comment.html_body:
            record["html_body"] = comment.html_body
        self.store.put(COMMENTS, record["id"], record)
        return record

    def _audit(
        self, ticket_id: int, agent: Record, stamp: str, events: list[dict[str, Any]]
    ) -> Record:
        audit = {
            "id": self.store.next_int_id(AUDITS),
            "ticket_id": ticket_id,
            "created_at": stamp,
            "author_id": agent["id"],
            "metadata": {"system": {}, "custom": {}},
            "via": VIA_API,
            "events": events,
        }
        self.store.put(AUDITS, audit["id"], audit)
        return audit

    # -- clocks and counters ------------------------------------------------------------------
    def _next_stamp(self) -> str:
        """The time of the next write: the frozen now plus one second per write so far.

        The world's clock is frozen, but ``safe_update`` compares ``updated_at`` to tell whether
        a ticket changed since it was read; so every write lands one second after the previous
        one and ``updated_at`` strictly increases. The count lives in the store with the writes.
        """
        seq = int(self.store.get_meta(_WRITE_SEQ) or 0) + 1
        self.store.set_meta(_WRITE_SEQ, str(seq))
        return _iso(self.ctx.now + timedelta(seconds=seq))

    def _next_event_id(self) -> int:
        """Comment ids are audit event ids in Zendesk, so both come from one counter, which
        starts above every comment id of the world."""
        floor = self.store.next_int_id(COMMENTS)
        event_id = max(int(self.store.get_meta(_NEXT_EVENT_ID) or 0), floor)
        self.store.set_meta(_NEXT_EVENT_ID, str(event_id + 1))
        return event_id


def _check_stamp(current: Record, updated_stamp: str | None) -> None:
    if updated_stamp is None:
        raise record_invalid(
            {
                "updated_stamp": [
                    field_error("updated_stamp", "is required with safe_update", "BlankValue")
                ]
            }
        )
    if _parse_time(updated_stamp) != _parse_time(str(current.get("updated_at"))):
        raise ZendeskError(
            409,
            {
                "error": "UpdateConflict",
                "description": "Safe Update prevented the update due to outdated ticket data. "
                "Please fetch the latest ticket data and try again.",
            },
        )


def _comment_event(comment: Record) -> dict[str, Any]:
    shown = shaped_comment(comment)
    return {
        key: shown[key]
        for key in (
            "id",
            "type",
            "author_id",
            "body",
            "html_body",
            "plain_body",
            "public",
            "attachments",
        )
    }


def _comment_body(comment: CommentIn) -> str:
    return (comment.body or _TAG.sub("", comment.html_body or "")).strip()


def _normalized_tags(tags: list[str]) -> list[str]:
    """Zendesk tags are lower-case single words; a tag with spaces becomes several tags."""
    return list(dict.fromkeys(word for tag in tags for word in tag.lower().split()))


def _add(details: Details, field: str, message: str, error: str = "InvalidValue") -> None:
    details.setdefault(field, []).append(field_error(field, message, error))


def _parse_time(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
