"""Read access to the Zendesk collections, and the shapes the API serves them in."""

from __future__ import annotations

import html
from typing import Any

from sandbox.store import Record, Store
from sandbox.zendesk.errors import not_found

USERS = "zendesk.users"
GROUPS = "zendesk.groups"
ORGANIZATIONS = "zendesk.organizations"
TICKETS = "zendesk.tickets"
COMMENTS = "zendesk.comments"
AUDITS = "zendesk.audits"

# The collection of each resource, by the plural used in its URL path.
RESOURCES = {"users": USERS, "groups": GROUPS, "organizations": ORGANIZATIONS, "tickets": TICKETS}


class Records:
    """Lookups over the store; every ``get`` answers 404 for a missing record."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def all(self, collection: str) -> list[Record]:
        return self.store.all(collection)

    def get(self, collection: str, record_id: int) -> Record:
        record = self.store.get(collection, record_id)
        if record is None:
            raise not_found()
        return record

    def find(self, collection: str, record_id: object) -> Record | None:
        return self.store.get(collection, str(record_id)) if record_id is not None else None

    def user_by_email(self, email: str) -> Record | None:
        wanted = email.strip().lower()
        return next((u for u in self.all(USERS) if str(u.get("email", "")).lower() == wanted), None)

    def comments_of(self, ticket_id: int) -> list[Record]:
        """A ticket's comments, oldest first (the first one is the description)."""
        by_ticket = self.store.derived((COMMENTS, "by ticket"), self._comments_by_ticket)
        return by_ticket.get(ticket_id, [])

    def _comments_by_ticket(self) -> dict[object, list[Record]]:
        by_ticket: dict[object, list[Record]] = {}
        for comment in self.all(COMMENTS):
            by_ticket.setdefault(comment.get("ticket_id"), []).append(comment)
        for comments in by_ticket.values():
            comments.sort(key=lambda c: (str(c.get("created_at", "")), c["id"]))
        return by_ticket


def by_id(records: list[Record]) -> list[Record]:
    """Zendesk lists in id order, whatever order the world file had."""
    return sorted(records, key=lambda r: int(r["id"]))


def resource_url(base: str, plural: str, record_id: object) -> str:
    return f"{base}/api/v2/{plural}/{record_id}.json"


def shaped(record: Record, base: str, plural: str) -> dict[str, Any]:
    """A user, group, organization or ticket as the API returns it (with its ``url``)."""
    return {"url": resource_url(base, plural, record["id"]), **record}


def shaped_comment(comment: Record) -> dict[str, Any]:
    """A comment without the loader's ``ticket_id``, with the bodies Zendesk always returns."""
    out = {key: value for key, value in comment.items() if key != "ticket_id"}
    body = str(out.get("body") or "")
    out.setdefault("html_body", body_to_html(body))
    out.setdefault("plain_body", body)
    out.setdefault("attachments", [])
    out.setdefault("type", "Comment")
    return out


def body_to_html(body: str) -> str:
    """Render a plain comment body the way Zendesk does: one paragraph per blank-line block."""
    paragraphs = [p for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    inner = "".join(
        '<p dir="auto">' + html.escape(p.strip()).replace("\n", "<br>") + "</p>" for p in paragraphs
    )
    return f'<div class="zd-comment" dir="auto">{inner}</div>'
