"""Request bodies of the ticket writes, as Zendesk accepts them (unknown fields are ignored)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class CommentIn(BaseModel):
    body: str | None = None
    html_body: str | None = None
    public: bool = True
    author_id: int | None = None


class RequesterIn(BaseModel):
    email: str
    name: str | None = None


class TicketFields(BaseModel):
    """Fields a create and an update both accept."""

    subject: str | None = None
    comment: CommentIn | None = None
    priority: str | None = None
    status: str | None = None
    type: str | None = None
    tags: list[str] | None = None
    requester_id: int | None = None
    assignee_id: int | None = None
    group_id: int | None = None
    organization_id: int | None = None
    external_id: str | None = None
    due_at: str | None = None
    custom_fields: list[dict[str, Any]] | None = None


class TicketCreate(TicketFields):
    description: str | None = None
    requester: RequesterIn | None = None


class TicketUpdate(TicketFields):
    safe_update: bool = False
    updated_stamp: str | None = None


class CreateBody(BaseModel):
    ticket: TicketCreate


class UpdateBody(BaseModel):
    ticket: TicketUpdate
