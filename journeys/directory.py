"""Reference data that changes rarely: people, groups, and which Zendesk organization belongs to
which CRM account. Cached longer than views, so a warm view needs no lookup chains (the
organization id would otherwise cost a call before the account's tickets can be listed)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from integrations import BackOffice
from integrations.zendesk import Organization
from journeys.cache import TtlCache
from journeys.facts import Person
from journeys.normalize import People

DIRECTORY_TTL_S = 600.0


class Directory:
    def __init__(self, office: BackOffice, ttl_s: float = DIRECTORY_TTL_S) -> None:
        self._office = office
        self._groups: TtlCache[str, dict[int, str]] = TtlCache(ttl_s)
        self._orgs: TtlCache[str, Organization | None] = TtlCache(ttl_s)
        self._crm_users: TtlCache[str, Person | None] = TtlCache(ttl_s)
        self._zendesk_users: TtlCache[int, Person | None] = TtlCache(ttl_s)
        self._tickets: TtlCache[str, tuple[int, ...]] = TtlCache(ttl_s)

    async def groups(self) -> dict[int, str]:
        async def load() -> dict[int, str]:
            return {g.id: g.name for g in await self._office.zendesk.groups()}

        return await self._groups.get("all", load)

    async def organization(self, account_id: str) -> Organization | None:
        """The Zendesk organization linked to the account (its id lists the tickets; its name
        names the account when the CRM cannot)."""

        async def load() -> Organization | None:
            return await self._office.zendesk.organization_by_external_id(account_id)

        return await self._orgs.get(account_id, load)

    def remember_organizations(self, organizations: Iterable[Organization]) -> None:
        """Organizations learnt in bulk (the portfolio lists them all at once)."""
        for org in organizations:
            if org.external_id:
                self._orgs.put(org.external_id, org)

    def known_tickets(self, account_id: str) -> tuple[int, ...]:
        """The account's ticket ids as last seen: a hint to fetch their comments early."""
        return self._tickets.peek(account_id) or ()

    def remember_tickets(self, account_id: str, ticket_ids: Iterable[int]) -> None:
        self._tickets.put(account_id, tuple(ticket_ids))

    async def people(self, crm_ids: Iterable[str] = (), zendesk_ids: Iterable[int] = ()) -> People:
        """Names for these ids; unknown ids cost one batched call per system."""
        crm_ids, zendesk_ids = set(crm_ids), set(zendesk_ids)
        await asyncio.gather(
            self._fill_crm({i for i in crm_ids if self._crm_users.peek(i) is None}),
            self._fill_zendesk({i for i in zendesk_ids if self._zendesk_users.peek(i) is None}),
        )
        people = People()
        for i in crm_ids:
            if person := self._crm_users.peek(i):
                people.crm_users[i] = person
        for i in zendesk_ids:
            if person := self._zendesk_users.peek(i):
                people.zendesk_users[i] = person
        for person in (*people.crm_users.values(), *people.zendesk_users.values()):
            if person.email:
                people.by_email[person.email.casefold()] = person
        return people

    async def _fill_crm(self, ids: set[str]) -> None:
        if ids:
            for user in await self._office.salesforce.users(sorted(ids)):
                self._crm_users.put(user.id, Person(name=user.name, email=user.email))

    async def _fill_zendesk(self, ids: set[int]) -> None:
        if ids:
            for user in await self._office.zendesk.users(sorted(ids)):
                self._zendesk_users.put(user.id, Person(name=user.name, email=user.email))

    def invalidate(self) -> None:
        caches = (self._groups, self._orgs, self._crm_users, self._zendesk_users, self._tickets)
        for cache in caches:
            cache.invalidate()
