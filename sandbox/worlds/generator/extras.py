"""Records that link to no journey, as real back offices have: a ticket from someone whose
organization is unknown, a reader registered to an account id the CRM does not have, and an
organization never linked to the CRM."""

from __future__ import annotations

from sandbox.worlds.generator.clock import Clock, iso
from sandbox.worlds.generator.ids import IdFactory
from sandbox.worlds.generator.records import CommentDraft, TicketDraft, WorldRecords

ORPHAN_TICKET_BODY = (
    "Hi, this is Jim from Acme. We signed up for card processing a few weeks ago. When will our "
    "card reader ship? We'd like it before the holiday rush. Thanks, Jim"
)


def write_unlinked(world: WorldRecords, ids: IdFactory, clock: Clock) -> None:
    asked = clock.at(1.2)
    requester = world.add_zendesk(
        "users",
        {
            "name": "Jim Porter",
            "email": "jim.porter.bakes@mail.example",
            "role": "end-user",
            "active": True,
            "created_at": iso(asked),
        },
    )
    world.tickets.append(
        TicketDraft(
            {
                "type": "question",
                "subject": "When does our card reader ship?",
                "description": None,
                "status": "new",
                "priority": "normal",
                "requester_id": requester,
                "submitter_id": requester,
                "assignee_id": None,
                "group_id": None,
                "organization_id": None,
                "tags": ["onboarding"],
                "due_at": None,
                "created_at": iso(asked),
                "updated_at": iso(asked),
            },
            [CommentDraft(asked, requester, ORPHAN_TICKET_BODY, True)],
        )
    )
    world.readers.append(
        {
            "id": ids.token("tmr_", "reader:branch-lobby-demo", 24),
            "object": "terminal.reader",
            "device_type": "bbpos_wisepos_e",
            "label": "Branch lobby demo unit",
            "serial_number": ids.token("WSC", "serial:branch-lobby-demo", 12, "0123456789"),
            "status": "offline",
            "last_seen_at": int(clock.at(41).timestamp()) * 1000,
            "device_sw_version": "2.19.1.0",
            "action": None,
            # An Account Id format, but no such Account: registered by hand at a branch.
            "metadata": {"account_id": ids.salesforce("001", "account:unknown-branch-demo")},
        }
    )
    world.add_zendesk(
        "organizations",
        {
            "name": "Harborview Dental Group (prospect)",
            "external_id": None,
            "domain_names": ["harborviewdental.example"],
            "tags": ["prospect"],
            "created_at": iso(clock.at(160)),
        },
    )
