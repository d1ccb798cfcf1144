"""Which customer does the user mean? Names with typos, DBA aliases, CRM ids, ticket numbers,
vendor record ids, and the customer's contacts by name or email.

Names are matched against the CRM's accounts (name and ``DBA_Name__c``), fetched in one query
and cached: a bank's onboarding book is thousands of accounts, small enough to score locally
with rapidfuzz, which is what makes typos work (SOQL ``LIKE`` cannot). A name no account
answers to may be a person's: the CRM's Contacts and the requesters of Zendesk tickets are
searched for it (an email goes there directly), and the accounts they belong to are the
answer. Record ids are looked up in their own system, which names the account: a Zendesk
ticket through its organization, a reader (``tmr_…``) or terminal order (``thor_…``) through
``metadata.account_id``, a boarding application (``BA-…``) or KYC application (``AP-…``)
through its external id. None of these fetches every account.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel
from rapidfuzz import fuzz, process, utils

from integrations import BackOffice, IntegrationError, NotFound
from journeys.cache import TtlCache
from journeys.templates import echo

log = logging.getLogger(__name__)

ACCOUNT_ID = re.compile(r"^001[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$")
TICKET_REF = re.compile(r"^(?:ticket\s*)?#\s*(\d+)$", re.IGNORECASE)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CONTACT_MIN_CHARS = 3  # shorter names match half the CRM's contacts
_LEGAL_SUFFIXES = re.compile(
    r"\b(llc|l l c|inc|incorporated|co|corp|corporation|company|ltd|limited|lp|llp|the)\b"
)
# Scores are rapidfuzz WRatio on names without punctuation or legal suffixes (0-100).
MATCH = 88  # at or above: the query names this account
CLOSE = 45  # at or above: worth suggesting as "closest"
TIE = 4  # candidates within this many points of the best are equally likely
LONE, LEAD = 78, 15  # a weaker best still names the account when nothing else comes close
WORD_MATCH = 75  # a query word this close to a name word counts as present
INDEX_TTL_S = 600.0


class Candidate(BaseModel):
    id: str
    name: str
    dba_name: str | None = None
    score: float = 100.0

    @property
    def label(self) -> str:
        dba = f" (DBA {self.dba_name})" if self.dba_name else ""
        return f"{self.name}{dba} [{self.id}]"


class Resolution(BaseModel):
    query: str
    outcome: Literal["resolved", "ambiguous", "unknown"]
    account: Candidate | None = None
    candidates: list[Candidate] = []

    @property
    def message(self) -> str:
        said = echo(self.query)
        if self.outcome == "resolved" and self.account:
            return f"{said} is {self.account.label}"
        labels = "; ".join(c.label for c in self.candidates)
        if self.outcome == "ambiguous":
            return f"{said} matches several customers: {labels}"
        closest = f"; closest: {labels}" if labels else ""
        return f"no customer matches {said}{closest}"


class CustomerNotResolved(LookupError):
    def __init__(self, resolution: Resolution) -> None:
        super().__init__(resolution.message)
        self.resolution = resolution


def normalize_name(name: str) -> str:
    text = utils.default_process(name.replace("&", " and ").replace("'", ""))
    return " ".join(_LEGAL_SUFFIXES.sub(" ", text).split())


@dataclass(frozen=True)
class RecordAccount:
    """The account a record names, and the account's name as the record's system has it."""

    id: str
    name: str | None = None


# The account a record reference names, looked up in the record's own system (None: it names
# none); given the reference's match of its pattern in ``RECORD_REFS``. None of these needs the
# CRM: records link to it by the account id (Zendesk organization ``external_id``, vendor
# ``external_id`` / ``metadata.account_id``).
AccountOf = Callable[[BackOffice, re.Match[str]], Awaitable[RecordAccount | None]]


def _account(account_id: str | None, name: str | None = None) -> RecordAccount | None:
    return RecordAccount(account_id, name) if account_id else None


async def _ticket_account(office: BackOffice, ref: re.Match[str]) -> RecordAccount | None:
    ticket = await office.zendesk.ticket(int(ref.group(1)))
    return await _organization_account(office, ticket.organization_id)


async def _organization_account(
    office: BackOffice, organization_id: int | None
) -> RecordAccount | None:
    if organization_id is None:
        return None
    organization = await office.zendesk.organization(organization_id)
    return _account(organization.external_id, organization.name)


async def _reader_account(office: BackOffice, ref: re.Match[str]) -> RecordAccount | None:
    return _account((await office.pos.reader(ref.group())).account_id)


async def _order_account(office: BackOffice, ref: re.Match[str]) -> RecordAccount | None:
    return _account((await office.pos.hardware_order(ref.group())).account_id)


async def _boarding_account(office: BackOffice, ref: re.Match[str]) -> RecordAccount | None:
    application = await office.pos.boarding_application(ref.group())
    return _account(application.external_id, application.merchant_name)


async def _kyc_account(office: BackOffice, ref: re.Match[str]) -> RecordAccount | None:
    application = await office.kyc.application(ref.group())
    return _account(application.external_entity_id, application.entity_name)


RECORD_REFS: tuple[tuple[re.Pattern[str], AccountOf], ...] = (
    (TICKET_REF, _ticket_account),
    (re.compile(r"^tmr_[A-Za-z0-9]+$"), _reader_account),
    (re.compile(r"^thor_[A-Za-z0-9]+$"), _order_account),
    (re.compile(r"^BA-[A-Za-z0-9]+$"), _boarding_account),
    (re.compile(r"^AP-[A-Za-z0-9]+$"), _kyc_account),
)


class AccountResolver:
    def __init__(self, office: BackOffice, ttl_s: float = INDEX_TTL_S) -> None:
        self._office = office
        self._index: TtlCache[str, list[Candidate]] = TtlCache(ttl_s)

    async def resolve(self, query: str) -> Resolution:
        text = query.strip()
        if ACCOUNT_ID.match(text):
            return await self._by_id(text)
        for pattern, account_of in RECORD_REFS:
            if ref := pattern.match(text):
                return await self._by_record(ref, account_of)
        if EMAIL.match(text):
            return await self._by_contact(text, Resolution(query=text, outcome="unknown"))
        by_name = rank(text, await self._index.get("accounts", self._load_index))
        if by_name.outcome != "unknown" or len(text) < CONTACT_MIN_CHARS:
            return by_name
        return await self._by_contact(text, by_name)

    async def _by_id(self, account_id: str, query: str | None = None) -> Resolution:
        query = query or account_id
        try:
            account = await self._office.salesforce.account(account_id)
        except NotFound:
            return Resolution(query=query, outcome="unknown")
        found = Candidate(id=account.id, name=account.name, dba_name=account.dba_name)
        return Resolution(query=query, outcome="resolved", account=found)

    async def _by_record(self, ref: re.Match[str], account_of: AccountOf) -> Resolution:
        try:
            account = await account_of(self._office, ref)
        except NotFound:
            account = None
        if account is None:
            return Resolution(query=ref.string, outcome="unknown")
        try:
            return await self._by_id(account.id, ref.string)
        except IntegrationError as exc:
            # The record's own system has named the account: with the CRM down, answer with
            # that (the view then says the CRM could not be read) rather than with nothing.
            log.info("resolve %s without the CRM (%s)", ref.string, exc)
            found = Candidate(id=account.id, name=account.name or account.id)
            return Resolution(query=ref.string, outcome="resolved", account=found)

    async def _by_contact(self, query: str, otherwise: Resolution) -> Resolution:
        """The accounts of the CRM contacts and ticket requesters ``query`` names; when it
        names nobody, ``otherwise`` (the name's closest accounts, if any)."""
        account_ids = await self._contact_accounts(query)
        if not account_ids:
            return otherwise
        accounts = await self._office.salesforce.accounts(sorted(account_ids))
        found = [Candidate(id=a.id, name=a.name, dba_name=a.dba_name) for a in accounts]
        if len(found) == 1:
            return Resolution(query=query, outcome="resolved", account=found[0])
        return Resolution(
            query=query, outcome="ambiguous" if found else "unknown", candidates=found
        )

    async def _contact_accounts(self, query: str) -> set[str]:
        contacts, tickets = await asyncio.gather(
            self._office.salesforce.find_contacts(query),
            self._office.zendesk.search_tickets(limit=100, requester=query),
        )
        ids = {c.account_id for c in contacts if c.account_id}
        organizations = {t.organization_id for t in tickets if t.organization_id is not None}
        linked = await asyncio.gather(
            *(_organization_account(self._office, org) for org in sorted(organizations))
        )
        return ids | {account.id for account in linked if account}

    async def _load_index(self) -> list[Candidate]:
        accounts = await self._office.salesforce.accounts_where()
        return [Candidate(id=a.id, name=a.name, dba_name=a.dba_name) for a in accounts]


def _covers(query: str, name: str) -> bool:
    """Every word of the query is (nearly) a word of the name: "Zebra Plumbing" is not
    "Granite State Plumbing", however well "plumbing" matches."""
    words = name.split()
    return all(
        any(fuzz.ratio(q, w) >= WORD_MATCH for w in words) or q in name for q in query.split()
    )


def rank(query: str, accounts: list[Candidate]) -> Resolution:
    """Resolve a name against known accounts: one clear match, several, or none."""
    wanted = normalize_name(query)
    choices: dict[int, str] = {}
    owners: list[int] = []
    for i, account in enumerate(accounts):
        for name in (account.name, account.dba_name):
            if name:
                choices[len(owners)] = normalize_name(name)
                owners.append(i)
    exact = sorted({owners[k] for k, v in choices.items() if v == wanted})
    if len(exact) == 1:
        return Resolution(query=query, outcome="resolved", account=accounts[exact[0]])
    if exact:
        return Resolution(query=query, outcome="ambiguous", candidates=[accounts[i] for i in exact])
    scored = process.extract(
        wanted, choices, scorer=fuzz.WRatio, score_cutoff=CLOSE, limit=len(choices)
    )
    best: dict[int, float] = {}
    for name, score, key in scored:
        index = owners[key]
        if not _covers(wanted, name):
            score = min(score, LONE - 1)  # a shared generic word suggests, never resolves
        best[index] = max(best.get(index, 0.0), score)
    ranked = sorted(best.items(), key=lambda item: -item[1])
    found = [accounts[i].model_copy(update={"score": round(s, 1)}) for i, s in ranked]
    runner_up = found[1].score if len(found) > 1 else 0.0
    clear_lead = found and found[0].score >= LONE and found[0].score - runner_up >= LEAD
    if not found or (found[0].score < MATCH and not clear_lead):
        return Resolution(query=query, outcome="unknown", candidates=found[:3])
    tied = [c for c in found if c.score >= found[0].score - TIE]
    if len(tied) == 1:
        return Resolution(query=query, outcome="resolved", account=tied[0])
    return Resolution(query=query, outcome="ambiguous", candidates=tied[:5])
