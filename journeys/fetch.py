"""Gather one account's facts from every system at once.

The four systems are queried concurrently, each under its own time budget. A system that
fails or runs out of time is named in ``FactSet.unavailable`` with the reason, and whatever it
did return is kept (present facts still prove things; absent ones become *unknown*), so the
engine builds an honest partial view rather than a wrong complete one.

Call chains are kept short (a view's latency is its longest chain, not the sum of its calls):
everything keyed by the account id goes out at once; only ticket comments, and the search for
the account's contacts' tickets that lack an organization, wait for a first answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from typing import Any

from integrations import BackOffice, IntegrationError, NotFound
from integrations import kyc as kyc_api
from integrations import pos as pos_api
from integrations import salesforce as sf_api
from integrations import zendesk as zd_api
from journeys import normalize
from journeys.directory import Directory
from journeys.facts import Fact, FactSet, Source, System, Unlinked

log = logging.getLogger(__name__)

CHARGES_LIMIT = 20  # the journey needs the first payment, not the ledger


class AccountNotFound(LookupError):
    """The CRM has no account with that id."""


@dataclass
class AccountRecords:
    """Raw client records of one account, filled in as each system answers."""

    account: sf_api.Account | None = None
    opportunities: list[sf_api.Opportunity] = field(default_factory=list)
    contacts: list[sf_api.Contact] = field(default_factory=list)
    tasks: list[sf_api.Task] = field(default_factory=list)
    tickets: list[zd_api.Ticket] = field(default_factory=list)
    comments: dict[int, list[zd_api.Comment]] = field(default_factory=dict)
    orphan_tickets: list[zd_api.Ticket] = field(default_factory=list)
    organization: str | None = None  # the linked Zendesk organization's name
    groups: dict[int, str] = field(default_factory=dict)
    kyc: list[kyc_api.KycApplication] = field(default_factory=list)
    boarding: list[pos_api.BoardingApplication] = field(default_factory=list)
    orders: list[pos_api.HardwareOrder] = field(default_factory=list)
    readers: list[pos_api.Reader] = field(default_factory=list)
    charges: list[pos_api.Charge] = field(default_factory=list)
    unavailable: dict[System, str] = field(default_factory=dict)


def describe(exc: BaseException, budget_s: float) -> str:
    if isinstance(exc, TimeoutError):
        return f"no answer within {budget_s:g} s"
    return str(exc)


class FactFetcher:
    def __init__(
        self, office: BackOffice, directory: Directory, budgets: Mapping[System, float]
    ) -> None:
        self._office = office
        self._directory = directory
        self._budgets = budgets

    async def facts(self, account_id: str) -> FactSet:
        records = AccountRecords()
        await asyncio.gather(
            self._guard("salesforce", self._salesforce(account_id, records), records),
            self._guard("zendesk", self._zendesk(account_id, records), records),
            self._guard("kyc", self._kyc(account_id, records), records),
            self._guard("pos", self._pos(account_id, records), records),
        )
        if "salesforce" not in records.unavailable and records.account is None:
            raise AccountNotFound(f"no CRM account has the id {account_id!r}")
        return to_factset(account_id, records, await people_for([records], self._directory))

    async def _guard(
        self,
        system: System,
        work: Awaitable[None],
        records: AccountRecords,
    ) -> None:
        budget = self._budgets[system]
        try:
            async with asyncio.timeout(budget):
                await work
        except NotFound as exc:
            if system == "salesforce":
                records.account = None
                return
            records.unavailable[system] = describe(exc, budget)
        except (IntegrationError, TimeoutError) as exc:
            log.warning("journey: %s unavailable: %s", system, describe(exc, budget))
            records.unavailable[system] = describe(exc, budget)

    # -- per system ------------------------------------------------------------------------------

    async def _salesforce(self, account_id: str, out: AccountRecords) -> None:
        sf = self._office.salesforce

        async def contacts() -> None:
            out.contacts = await sf.contacts(account_id)

        async def account() -> None:
            out.account = await sf.account(account_id)

        async def opportunities() -> None:
            out.opportunities = await sf.opportunities(account_id)

        async def tasks() -> None:
            out.tasks = await sf.tasks(account_id)

        await asyncio.gather(account(), opportunities(), contacts(), tasks())

    async def _zendesk(self, account_id: str, out: AccountRecords) -> None:
        zd = self._office.zendesk

        async def groups() -> None:
            out.groups = await self._directory.groups()

        async def tickets() -> None:
            # Comments of the tickets seen last time go out with the ticket list rather than
            # after it: a warm view is then one call deep. New tickets get a second wave;
            # the list decides which comments are kept.
            early = {
                ticket_id: asyncio.ensure_future(_comments_or_none(zd, ticket_id))
                for ticket_id in self._directory.known_tickets(account_id)
            }
            late: dict[int, asyncio.Future[list[zd_api.Comment] | None]] = {}
            try:
                org = await self._directory.organization(account_id)
                out.organization = org.name if org else None
                out.tickets = await zd.tickets_for_organization(org.id) if org else []
                ids = [t.id for t in out.tickets]
                late = {i: asyncio.ensure_future(zd.comments(i)) for i in ids if i not in early}
                found = {i: await (early.get(i) or late[i]) for i in ids}
            finally:
                _discard([*early.values(), *late.values()])
            out.comments = {i: c for i, c in found.items() if c is not None}
            self._directory.remember_tickets(account_id, ids)

        await asyncio.gather(groups(), tickets())

    async def _kyc(self, account_id: str, out: AccountRecords) -> None:
        out.kyc = await self._office.kyc.applications_for_entity(account_id)

    async def _pos(self, account_id: str, out: AccountRecords) -> None:
        pos = self._office.pos

        async def boarding() -> None:
            out.boarding = await pos.boarding_applications(account_id)

        async def orders() -> None:
            out.orders = await pos.hardware_orders(account_id)

        async def readers() -> None:
            out.readers = await pos.readers(account_id)

        async def charges() -> None:
            out.charges = await pos.charges(account_id, CHARGES_LIMIT)

        await asyncio.gather(boarding(), orders(), readers(), charges())


async def _comments_or_none(
    zendesk: zd_api.ZendeskClient, ticket_id: int
) -> list[zd_api.Comment] | None:
    """Comments of a ticket that may since have been deleted (``None`` then)."""
    try:
        return await zendesk.comments(ticket_id)
    except NotFound:
        return None


def _discard(futures: list[asyncio.Future[Any]]) -> None:
    """Cancel what is still running; mark failures of unneeded ones as seen (no log noise)."""
    for future in futures:
        if not future.done():
            future.cancel()
        elif not future.cancelled():
            future.exception()


# -- records → facts -------------------------------------------------------------------------


async def people_for(batch: list[AccountRecords], directory: Directory) -> normalize.People:
    """Names for every person the records refer to, in one lookup per system."""
    crm_ids: set[str] = set()
    zendesk_ids: set[int] = set()
    groups: dict[int, str] = {}
    for records in batch:
        crm_ids |= {t.owner_id for t in records.tasks if t.owner_id}
        if records.account and records.account.owner_id:
            crm_ids.add(records.account.owner_id)
        for t in records.tickets:
            zendesk_ids |= {i for i in (t.requester_id, t.assignee_id) if i is not None}
        for comments in records.comments.values():
            zendesk_ids |= {c.author_id for c in comments if c.author_id is not None}
        groups |= records.groups
    try:
        people = await directory.people(crm_ids, zendesk_ids)
    except IntegrationError as exc:
        # Names are a courtesy: without them the view still stands, with people unnamed.
        log.warning("journey: people lookup failed: %s", exc)
        people = normalize.People()
    people.groups = groups
    return people


def to_factset(account_id: str, records: AccountRecords, people: normalize.People) -> FactSet:
    facts: list[Fact] = [
        *(normalize.opportunity_fact(o) for o in records.opportunities),
        *(normalize.contact_fact(c) for c in records.contacts),
        *(normalize.task_fact(t, people) for t in records.tasks),
        *(normalize.ticket_fact(t, people) for t in records.tickets),
        *(
            normalize.comment_fact(c, t, people)
            for t in records.tickets
            for c in records.comments.get(t.id, [])
        ),
        *(f for app in records.kyc for f in normalize.kyc_facts(app, people)),
        *(normalize.boarding_fact(b) for b in records.boarding),
        *(normalize.hardware_order_fact(o) for o in records.orders),
        *(normalize.reader_fact(r) for r in records.readers),
        *(normalize.charge_fact(c) for c in records.charges),
    ]
    unlinked = [_orphan(t) for t in records.orphan_tickets]
    for item in unlinked:  # counted in the view's diagnostics
        log.debug("journey %s: left out %s: %s", account_id, item.source.ref, item.reason)
    account = records.account
    return FactSet(
        account_id=account_id,
        account=normalize.account_fact(account, people) if account else None,
        organization=records.organization,
        facts=facts,
        unavailable=records.unavailable,
        unlinked=unlinked,
    )


def _orphan(ticket: zd_api.Ticket) -> Unlinked:
    source = Source(
        system="zendesk",
        record_type="ticket",
        record_id=str(ticket.id),
        link=ticket.link or None,
        at=ticket.updated_at or ticket.created_at,
    )
    return Unlinked(source=source, reason="raised by a contact of this account, no organization")
