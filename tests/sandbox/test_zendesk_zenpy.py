"""Faithfulness: zenpy, a widely used Zendesk client, works against the emulator unchanged.

Zenpy builds ``https://{subdomain}.zendesk.com/api/v2/...`` URLs; a transport adapter mounted
on its session sends them to the sandbox instead. Nothing in the emulator knows about zenpy.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
import requests
from requests.adapters import HTTPAdapter
from zenpy import Zenpy
from zenpy.lib.api_objects import Comment, Ticket, User

from sandbox.context import Credentials
from sandbox.server import EmbeddedSandbox
from tests.conftest import MINI_WORLD

SUBDOMAIN = "demobank"


class SandboxAdapter(HTTPAdapter):
    """Sends requests for the Zendesk host to the sandbox's Zendesk base URL.

    The response keeps the URL zenpy asked for: zenpy picks its response handler by checking
    that the request went to ``{subdomain}.zendesk.com``.
    """

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def send(self, request: requests.PreparedRequest, **kwargs):  # type: ignore[no-untyped-def, override]
        asked = request.url or ""
        parts = urlsplit(asked)
        request.url = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        response = super().send(request, **kwargs)
        response.url = request.url = asked
        return response


@pytest.fixture(scope="module")
def zenpy() -> Iterator[Zenpy]:
    credentials = Credentials()
    with EmbeddedSandbox(MINI_WORLD) as sandbox:
        session = requests.Session()
        session.mount(
            f"https://{SUBDOMAIN}.zendesk.com", SandboxAdapter(sandbox.system_url("zendesk"))
        )
        yield Zenpy(
            subdomain=SUBDOMAIN,
            email=credentials.zendesk_email,
            token=credentials.zendesk_api_token,
            session=session,
            disable_cache=True,
        )
        session.close()


def test_get_ticket_and_follow_its_links(zenpy: Zenpy) -> None:
    ticket = zenpy.tickets(id=5001)
    assert (ticket.id, ticket.status, ticket.priority) == (5001, "pending", "high")
    assert "step_kyc" in ticket.tags
    assert ticket.created_at == "2026-11-10T14:00:00Z"
    assert ticket.organization.external_id == "001000000000001AAA"  # fetched by zenpy
    assert ticket.assignee.name == "Mei Chen"
    assert ticket.group.name == "KYC & BSA"


def test_list_tickets_with_cursor_paging(zenpy: Zenpy) -> None:
    ids = [t.id for t in zenpy.tickets()]
    assert ids[:8] == [5001, 5002, 5003, 5004, 5005, 5006, 5007, 5008]


def test_list_comments(zenpy: Zenpy) -> None:
    comments = list(zenpy.tickets.comments(ticket=5001))
    assert [c.id for c in comments] == [90001, 90002, 90003]
    assert [c.public for c in comments] == [True, False, True]
    assert comments[2].author.name == "Maria Gomez"


def test_search(zenpy: Zenpy) -> None:
    pending = zenpy.search(type="ticket", organization=3001, status="pending")
    assert [t.id for t in pending] == [5001]
    either = zenpy.search(type="ticket", tags=["step_kyc", "step_credit"])
    assert sorted(t.id for t in either) == [5001, 5003, 5004]
    window = [datetime(2026, 11, 10, tzinfo=UTC), datetime(2026, 11, 13, tzinfo=UTC)]
    assert sorted(t.id for t in zenpy.search(type="ticket", created_between=window)) == [5001, 5005]
    phrase = zenpy.search('"credit review"', type="ticket", minus="tags:step_kyc")
    assert [t.id for t in phrase] == [5003]
    orgs = zenpy.search(type="organization", external_id="001000000000002AAA")
    assert [o.name for o in orgs] == ["Acme Bakeries Inc"]


def test_create_and_update_a_ticket(zenpy: Zenpy) -> None:
    audit = zenpy.tickets.create(
        Ticket(
            subject="Follow up on Northwind W-9",
            comment=Comment(body="Client says the W-9 was mailed.", public=False),
            requester=User(name="Lena Ortiz", email="lena.ortiz@northwind.example"),
            tags=["onboarding", "step_documents"],
            group_id=2003,
            priority="normal",
        )
    )
    created = audit.ticket
    assert created.id > 5008
    assert created.requester_id == 1103
    assert created.organization_id == 3003

    created.status = "pending"
    created.comment = Comment(body="Chased the client by phone.", public=True)
    zenpy.tickets.update(created)

    comments = list(zenpy.tickets.comments(ticket=created.id))
    assert [c.body for c in comments] == [
        "Client says the W-9 was mailed.",
        "Chased the client by phone.",
    ]
    assert zenpy.tickets(id=created.id).status == "pending"
