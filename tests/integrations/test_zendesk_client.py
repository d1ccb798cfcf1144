"""Contract tests of the Zendesk client against the sandbox over loopback (mini world)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from integrations.errors import InvalidRequest, NotFound, Unavailable
from integrations.zendesk import Comment, Ticket, TicketQuery, ZendeskClient
from sandbox.server import EmbeddedSandbox
from tests.integrations import LosesResponses, settings_for

ACME_ORG = 3001
NORTHWIND_ORG = 3003


@pytest.fixture
async def zendesk(mini_sandbox: EmbeddedSandbox) -> AsyncIterator[ZendeskClient]:
    client = ZendeskClient(settings_for(mini_sandbox).zendesk, page_size=2)
    yield client
    await client.aclose()


@pytest.fixture
async def fresh_zendesk(fresh_sandbox: EmbeddedSandbox) -> AsyncIterator[ZendeskClient]:
    client = ZendeskClient(settings_for(fresh_sandbox).zendesk, page_size=2)
    yield client
    await client.aclose()


async def test_ticket_is_typed_and_linked(zendesk: ZendeskClient) -> None:
    ticket = await zendesk.ticket(5001)
    assert isinstance(ticket, Ticket)
    assert (ticket.status, ticket.priority, ticket.organization_id) == ("pending", "high", ACME_ORG)
    assert "step_kyc" in ticket.tags
    assert ticket.link.endswith("/zendesk/agent/tickets/5001")
    assert ticket.due_at is not None and ticket.due_at.year == 2026


async def test_unknown_ticket_is_not_found(zendesk: ZendeskClient) -> None:
    with pytest.raises(NotFound) as info:
        await zendesk.ticket(999999)
    assert info.value.code == "RecordNotFound"


async def test_tickets_for_organization_follow_the_cursor(zendesk: ZendeskClient) -> None:
    tickets = await zendesk.tickets_for_organization(NORTHWIND_ORG)  # 3 tickets, pages of 2
    assert [t.id for t in tickets] == [5005, 5006, 5007]
    assert zendesk.transport.limits is not None and zendesk.transport.limits.limit


async def test_comments_oldest_first_across_pages(zendesk: ZendeskClient) -> None:
    comments = await zendesk.comments(5001)
    assert len(comments) == 3
    assert all(isinstance(c, Comment) for c in comments)
    assert comments == sorted(comments, key=lambda c: c.created_at)


async def test_search_by_typed_filters(zendesk: ZendeskClient) -> None:
    open_kyc = await zendesk.search_tickets(tags=["step_kyc"], status_below="solved")
    assert [t.id for t in open_kyc] == [5001]
    by_org = await zendesk.search_tickets(organization_id=NORTHWIND_ORG)  # offset pages of 2
    assert sorted(t.id for t in by_org) == [5005, 5006, 5007]
    by_group = await zendesk.search_tickets(group="KYC & BSA")
    assert by_group and all(t.group_id == 2001 for t in by_group)


async def test_search_text_cannot_inject_search_syntax(zendesk: ZendeskClient) -> None:
    hostile = 'nothing-like-this" OR status:closed -tags:x "'
    query = TicketQuery(text=hostile).query()
    assert query.count('"') == 2 and query.endswith('"')
    assert await zendesk.search_tickets(text=hostile) == []
    assert await zendesk.search_tickets(external_id='KYC-" type:user') == []


async def test_search_rejects_unknown_filters(zendesk: ZendeskClient) -> None:
    with pytest.raises(ValueError, match="stauts"):
        await zendesk.search_tickets(stauts="open")


async def test_organizations_users_groups(zendesk: ZendeskClient) -> None:
    org = await zendesk.organization_by_external_id("001000000000003AAA")
    assert org is not None and org.id == NORTHWIND_ORG
    assert await zendesk.organization_by_external_id("001' OR 1=1") is None
    assert (await zendesk.organization(ACME_ORG)).external_id == "001000000000001AAA"
    assert [o.id for o in await zendesk.organizations()] == [3001, 3002, 3003]
    users = await zendesk.users([1001, 1103])
    assert [(u.id, u.role) for u in users] == [(1001, "agent"), (1103, "end-user")]
    assert await zendesk.users([]) == []
    groups = await zendesk.groups()
    assert [g.name for g in groups][:2] == ["KYC & BSA", "Credit"] and len(groups) == 5


async def test_create_ticket_is_idempotent(fresh_zendesk: ZendeskClient) -> None:
    args = {
        "subject": "Follow up on missing documents",
        "body": "Please chase the certificate of good standing.",
        "organization_id": 3002,
        "tags": ["onboarding", "step_documents"],
        "priority": "high",
    }
    first = await fresh_zendesk.create_ticket(idempotency_key="key-1", **args)  # type: ignore[arg-type]
    again = await fresh_zendesk.create_ticket(idempotency_key="key-1", **args)  # type: ignore[arg-type]
    assert first.id == again.id
    assert (await fresh_zendesk.ticket(first.id)).subject == args["subject"]
    found = await fresh_zendesk.search_tickets(organization_id=3002, tags=["step_documents"])
    assert [t.id for t in found] == [first.id]


async def test_create_ticket_validation_error_is_invalid_request(zendesk: ZendeskClient) -> None:
    with pytest.raises(InvalidRequest) as info:
        await zendesk.create_ticket(
            subject="x", body="y", idempotency_key="bad-group", group_id=987654
        )
    assert info.value.status == 422 and info.value.code == "RecordInvalid"
    assert "group" in info.value.message.lower()


async def test_add_comment_once_per_key(fresh_zendesk: ZendeskClient) -> None:
    before = len(await fresh_zendesk.comments(5003))
    comment = await fresh_zendesk.add_comment(
        5003, "Credit review scheduled for Tuesday.", public=False, idempotency_key="c-1"
    )
    again = await fresh_zendesk.add_comment(
        5003, "Credit review scheduled for Tuesday.", public=False, idempotency_key="c-1"
    )
    assert again.id == comment.id and comment.public is False
    assert comment.body.startswith("Credit review scheduled for Tuesday.")
    assert len(await fresh_zendesk.comments(5003)) == before + 1


async def test_concurrent_retries_of_one_comment_land_once(fresh_zendesk: ZendeskClient) -> None:
    before = len(await fresh_zendesk.comments(5005))
    results = await asyncio.gather(
        *(
            fresh_zendesk.add_comment(5005, "Wire limits set.", public=True, idempotency_key="w-1")
            for _ in range(3)
        )
    )
    assert len({c.id for c in results}) == 1
    assert len(await fresh_zendesk.comments(5005)) == before + 1


async def test_a_comment_whose_answer_was_lost_is_not_added_twice(
    fresh_sandbox: EmbeddedSandbox,
) -> None:
    lossy = LosesResponses("PUT")
    client = ZendeskClient(settings_for(fresh_sandbox).zendesk, http_transport=lossy)
    try:
        before = len(await client.comments(5006))
        comment = await client.add_comment(
            5006, "Signed resolution received.", public=False, idempotency_key="lost-1"
        )
        assert lossy.remaining == 0  # the first PUT landed but its answer was lost
        assert len(await client.comments(5006)) == before + 1
        assert "Signed resolution received." in comment.body
    finally:
        await client.aclose()


async def test_a_caller_retry_after_unavailable_finds_the_landed_comment(
    fresh_sandbox: EmbeddedSandbox,
) -> None:
    lossy = LosesResponses("PUT", count=10)  # every answer lost: the call fails
    client = ZendeskClient(settings_for(fresh_sandbox).zendesk, http_transport=lossy)
    try:
        before = len(await client.comments(5001))
        with pytest.raises(Unavailable):
            await client.add_comment(5001, "Docs chased.", public=True, idempotency_key="k-9")
        lossy.remaining = 0
        comment = await client.add_comment(5001, "Docs chased.", public=True, idempotency_key="k-9")
        comments = await client.comments(5001)
        assert len(comments) == before + 1 and comments[-1].id == comment.id
    finally:
        await client.aclose()


async def test_a_create_whose_answer_was_lost_is_replayed(fresh_sandbox: EmbeddedSandbox) -> None:
    lossy = LosesResponses("POST")
    client = ZendeskClient(settings_for(fresh_sandbox).zendesk, http_transport=lossy)
    try:
        ticket = await client.create_ticket(
            subject="Activation retry", body="Reader E-104 again.", idempotency_key="t-lost"
        )
        assert lossy.remaining == 0
        found = await client.search_tickets(text="Activation retry")
        assert [t.id for t in found] == [ticket.id]
    finally:
        await client.aclose()
