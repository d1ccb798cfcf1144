"""Portfolio: many journeys at once, filtered ("which of my clients are stalled?").

Calls are made in bulk where the systems allow it, not account by account:

1. one SOQL query for the accounts (narrowed by product), then one each for their
   opportunities, contacts and tasks (``IN`` lists); one Zendesk search for every onboarding
   ticket, plus the organizations and groups (cached);
2. a sound pre-filter: asked for *stalled* journeys, accounts with activity in the CRM or
   Zendesk within the playbook's ``stalled_after_days`` cannot be stalled and are dropped here;
3. only for the accounts left, the per-account KYC and POS calls (their APIs are keyed by
   account), and only for systems the account's playbook reads (no POS for treasury).

A list view has no ticket comments (timeline detail); statuses, steps and blockers are the
same as the single view's. Tickets that cannot be linked to an account are counted in the
diagnostics.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from pydantic import BaseModel, Field

from integrations import BackOffice, IntegrationError
from integrations import zendesk as zd_api
from journeys.directory import Directory
from journeys.engine import NoPlaybook, choose_playbook, derive
from journeys.facts import SYSTEMS, Source, System
from journeys.fetch import CHARGES_LIMIT, AccountRecords, describe, people_for, to_factset
from journeys.filters import InvalidFilter, PortfolioFilter
from journeys.playbook import Playbooks
from journeys.templates import echo
from journeys.view import AccountRef, Diagnostics, JourneyView, NextStep, Status, Unavailable

log = logging.getLogger(__name__)

T = TypeVar("T")
IN_CHUNK = 300  # ids per SOQL IN list (keeps the query well under Salesforce's length limit)
PER_ACCOUNT_CONCURRENCY = 16


class PortfolioEntry(BaseModel):
    account: AccountRef
    product: str | None
    status: Status
    status_reason: str
    current_step: str | None
    next_step: NextStep | None
    blockers: list[str]
    relationship_manager: str | None
    last_activity_at: datetime | None
    partial: bool
    unconfirmed: list[str] = Field(
        default_factory=list, description="What a system being down left open for this journey."
    )


class Portfolio(BaseModel):
    filters: PortfolioFilter
    as_of: datetime
    entries: list[PortfolioEntry]
    accounts_considered: int
    accounts_fetched: int = Field(description="Accounts left after narrowing, fully read.")
    unavailable: list[Unavailable] = Field(default_factory=list)
    diagnostics: Diagnostics = Field(default_factory=Diagnostics)


def _chunks(items: Sequence[str], size: int = IN_CHUNK) -> Iterable[Sequence[str]]:
    return (items[i : i + size] for i in range(0, len(items), size))


class PortfolioLoader:
    def __init__(
        self,
        office: BackOffice,
        directory: Directory,
        playbooks: Playbooks,
        budgets: dict[System, float],
    ) -> None:
        self._office = office
        self._directory = directory
        self._playbooks = playbooks
        self._budgets = budgets

    async def load(self, filters: PortfolioFilter, now: datetime) -> Portfolio:
        """The journeys ``filters`` select; their values must be canonical
        (``journeys.filters.resolve_filters``)."""
        accounts = await self._office.salesforce.accounts_where(product=self._product(filters))
        records = {a.id: AccountRecords(account=a) for a in accounts}
        unavailable: dict[System, str] = {}
        notes: list[str] = []
        await asyncio.gather(
            self._guard("salesforce", self._crm_related(records), unavailable),
            self._guard("zendesk", self._tickets(records, notes), unavailable),
        )
        candidates = {
            account_id: rec
            for account_id, rec in records.items()
            if filters.status != "stalled" or self._may_be_stalled(rec, now)
        }
        await self._per_account(candidates)
        for rec in candidates.values():
            # A bulk read that failed leaves every account partial; a per-account one, its own.
            rec.unavailable = {**unavailable, **rec.unavailable}
        for rec in candidates.values():
            unavailable = {**rec.unavailable, **unavailable}
        people = await people_for(list(candidates.values()), self._directory)
        entries = []
        for account_id, rec in candidates.items():
            try:
                facts = to_factset(account_id, rec, people)
                view = derive(choose_playbook(self._playbooks, facts), facts, now)
            except NoPlaybook as exc:
                notes.append(str(exc))
                continue
            if _wanted(view, filters):
                entries.append(_entry(view))
        return Portfolio(
            filters=filters,
            as_of=now,
            entries=sorted(entries, key=lambda e: (e.status, e.account.name or "")),
            accounts_considered=len(records),
            accounts_fetched=len(candidates),
            unavailable=[Unavailable(system=s, reason=r) for s, r in unavailable.items()],
            diagnostics=Diagnostics(unlinked_records=len(notes), notes=notes),
        )

    def _product(self, filters: PortfolioFilter) -> str | None:
        if filters.product is None:
            return None
        playbook = self._playbooks.by_id(filters.product)
        if playbook is None:
            raise InvalidFilter(f"no playbook with the id {echo(filters.product)}")
        return playbook.product

    async def _guard(
        self, system: System, work: Awaitable[None], unavailable: dict[System, str]
    ) -> None:
        budget = self._budgets[system]
        try:
            async with asyncio.timeout(budget * 2):  # bulk reads page through more records
                await work
        except (IntegrationError, TimeoutError) as exc:
            log.warning("portfolio: %s unavailable: %s", system, describe(exc, budget * 2))
            unavailable[system] = describe(exc, budget * 2)

    async def _crm_related(self, records: dict[str, AccountRecords]) -> None:
        sf = self._office.salesforce
        ids = list(records)

        async def bulk(fetch: Callable[[Sequence[str]], Awaitable[list[T]]]) -> list[T]:
            pages = await asyncio.gather(*(fetch(chunk) for chunk in _chunks(ids)))
            return [item for page in pages for item in page]

        opportunities, contacts, tasks = await asyncio.gather(
            bulk(sf.opportunities_for), bulk(sf.contacts_for), bulk(sf.tasks_for)
        )
        for opp in opportunities:
            if opp.account_id in records:
                records[opp.account_id].opportunities.append(opp)
        for contact in contacts:
            if contact.account_id in records:
                records[contact.account_id].contacts.append(contact)
        for task in tasks:
            if task.what_id in records:
                records[task.what_id].tasks.append(task)

    async def _tickets(self, records: dict[str, AccountRecords], notes: list[str]) -> None:
        zd = self._office.zendesk
        tickets, orgs, groups = await asyncio.gather(
            zd.search_tickets(tags=["onboarding"]), zd.organizations(), self._directory.groups()
        )
        account_of = {o.id: o.external_id for o in orgs if o.external_id}
        self._directory.remember_organizations(orgs)
        for ticket in tickets:
            account_id = account_of.get(ticket.organization_id or -1)
            if account_id in records:
                records[account_id].tickets.append(ticket)
            elif account_id is None:
                reason = (
                    "no organization"
                    if ticket.organization_id is None
                    else f"organization {ticket.organization_id} has no CRM account id"
                )
                # Counted in the diagnostics; every list would repeat it as a warning.
                notes.append(f"{_ticket_source(ticket).ref}: left out, {reason}")
                log.debug("portfolio: ticket %s left out: %s", ticket.id, reason)
        for rec in records.values():
            rec.groups = groups

    def _may_be_stalled(self, rec: AccountRecords, now: datetime) -> bool:
        playbook = self._playbooks.for_product(rec.account.product if rec.account else None)
        quiet = timedelta(days=playbook.stalled_after_days if playbook else 14)
        times = [
            t
            for t in (
                rec.account.last_modified_date if rec.account else None,
                *(o.created_date for o in rec.opportunities),
                *(t.last_modified_date for t in rec.tasks),
                *(t.updated_at or t.created_at for t in rec.tickets),
            )
            if t is not None
        ]
        return not times or now - max(times) >= quiet

    async def _per_account(self, records: dict[str, AccountRecords]) -> None:
        gate = asyncio.Semaphore(PER_ACCOUNT_CONCURRENCY)

        async def one(account_id: str, rec: AccountRecords) -> None:
            playbook = self._playbooks.for_product(rec.account.product if rec.account else None)
            systems = playbook.systems() if playbook else set(SYSTEMS)
            async with gate:
                jobs = [self._guard("kyc", self._kyc(account_id, rec), rec.unavailable)]
                if "pos" in systems:
                    jobs.append(self._guard("pos", self._pos(account_id, rec), rec.unavailable))
                await asyncio.gather(*jobs)

        await asyncio.gather(*(one(a, r) for a, r in records.items()))

    async def _kyc(self, account_id: str, rec: AccountRecords) -> None:
        rec.kyc = await self._office.kyc.applications_for_entity(account_id)

    async def _pos(self, account_id: str, rec: AccountRecords) -> None:
        pos = self._office.pos
        rec.boarding, rec.orders, rec.readers, rec.charges = await asyncio.gather(
            pos.boarding_applications(account_id),
            pos.hardware_orders(account_id),
            pos.readers(account_id),
            pos.charges(account_id, CHARGES_LIMIT),
        )


def _ticket_source(ticket: zd_api.Ticket) -> Source:
    return Source(
        system="zendesk",
        record_type="ticket",
        record_id=str(ticket.id),
        link=ticket.link or None,
        at=ticket.updated_at or ticket.created_at,
    )


def _matches_person(text: str, *names: str | None) -> bool:
    wanted = text.casefold()
    return any(n and wanted in n.casefold() for n in names)


def _wanted(view: JourneyView, f: PortfolioFilter) -> bool:
    nxt = view.next_step
    checks = (
        f.status is None or view.status == f.status,
        f.step is None or view.current_step == f.step,
        f.team is None or (nxt is not None and nxt.owner.team.casefold() == f.team.casefold()),
        f.owner is None or _owned_by(view, f.owner),
        f.blocker is None or any(b.type == f.blocker for b in view.blockers),
        f.stale_crm is None or _stale_crm(view) == f.stale_crm,
        f.overdue is None or (nxt is not None and nxt.sla_state == "breached") == f.overdue,
    )
    return all(checks)


def _owned_by(view: JourneyView, owner: str) -> bool:
    nxt = view.next_step
    holder = (nxt.owner.person, nxt.owner.email) if nxt else ()
    return _matches_person(owner, view.account.owner, view.account.owner_email, *holder)


def _stale_crm(view: JourneyView) -> bool:
    return any(d.kind == "crm_stage" for d in view.discrepancies)


def _entry(view: JourneyView) -> PortfolioEntry:
    return PortfolioEntry(
        account=view.account,
        product=view.product,
        status=view.status,
        status_reason=view.status_reason,
        current_step=view.current_step,
        next_step=view.next_step,
        blockers=sorted({b.type for b in view.blockers}),
        relationship_manager=view.account.owner,
        last_activity_at=view.last_activity_at,
        partial=view.partial,
        unconfirmed=[u.detail for u in view.unconfirmed],
    )
