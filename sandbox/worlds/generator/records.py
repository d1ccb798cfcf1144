"""The demo world's records, accumulated per file and serialised in the world format.

Zendesk numbers tickets and comments in the order they were created, so tickets are kept as
drafts and numbered once every journey has been written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox.worlds.generator.clock import iso

Record = dict[str, Any]

FIRST_TICKET_ID = 1001
# Zendesk's users, groups, organizations and comments have long ids; tickets count up per account.
ZENDESK_ID_BASE = {
    "groups": 360_000_100_000,
    "users": 361_000_200_000,
    "organizations": 362_000_300_000,
    "comments": 370_000_400_000,
}
SALESFORCE_OBJECTS = ("User", "Account", "Contact", "Opportunity", "Task")


@dataclass
class CommentDraft:
    at: datetime
    author_id: int
    body: str
    public: bool


@dataclass
class TicketDraft:
    fields: Record
    comments: list[CommentDraft] = field(default_factory=list)

    @property
    def created(self) -> datetime:
        return self.comments[0].at


@dataclass
class WorldRecords:
    salesforce: dict[str, list[Record]] = field(
        default_factory=lambda: {name: [] for name in SALESFORCE_OBJECTS}
    )
    zendesk_users: list[Record] = field(default_factory=list)
    zendesk_groups: list[Record] = field(default_factory=list)
    zendesk_organizations: list[Record] = field(default_factory=list)
    tickets: list[TicketDraft] = field(default_factory=list)
    kyc_applications: list[Record] = field(default_factory=list)
    boarding_applications: list[Record] = field(default_factory=list)
    hardware_orders: list[Record] = field(default_factory=list)
    readers: list[Record] = field(default_factory=list)
    charges: list[Record] = field(default_factory=list)

    def add_zendesk(self, kind: str, record: Record) -> int:
        """Append a Zendesk user, group or organization, giving it the next id of its kind."""
        records: list[Record] = getattr(self, f"zendesk_{kind}")
        record_id = ZENDESK_ID_BASE[kind] + len(records) + 1
        records.append({"id": record_id, **record})
        return record_id

    def files(self) -> dict[str, Any]:
        """World-relative path → JSON-able content, in the world format."""
        tickets, comments = self._numbered_tickets()
        out: dict[str, Any] = {
            f"salesforce/{name}.json": records for name, records in self.salesforce.items()
        }
        out |= {
            "zendesk/users.json": self.zendesk_users,
            "zendesk/groups.json": self.zendesk_groups,
            "zendesk/organizations.json": self.zendesk_organizations,
            "zendesk/tickets.json": tickets,
            "zendesk/comments.json": comments,
            "kyc/applications.json": self.kyc_applications,
            "pos/boarding_applications.json": self.boarding_applications,
            "pos/hardware_orders.json": self.hardware_orders,
            "pos/readers.json": self.readers,
            "pos/charges.json": self.charges,
        }
        return out

    def _numbered_tickets(self) -> tuple[list[Record], dict[str, list[Record]]]:
        ordered = sorted(self.tickets, key=lambda t: t.created)  # stable: ties keep their order
        dated = sorted(
            ((c.at, n, c) for n, t in enumerate(ordered) for c in t.comments),
            key=lambda item: (item[0], item[1]),
        )
        comment_ids = {
            id(c): ZENDESK_ID_BASE["comments"] + i for i, (_, _, c) in enumerate(dated, 1)
        }
        tickets: list[Record] = []
        comments: dict[str, list[Record]] = {}
        for number, draft in enumerate(ordered, FIRST_TICKET_ID):
            # ``fields`` holds a "description" slot so the key keeps its API position.
            tickets.append({"id": number, **draft.fields, "description": draft.comments[0].body})
            comments[str(number)] = [
                {
                    "id": comment_ids[id(c)],
                    "author_id": c.author_id,
                    "body": c.body,
                    "public": c.public,
                    "created_at": iso(c.at),
                }
                for c in draft.comments
            ]
        return tickets, comments
