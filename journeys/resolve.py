"""Which customer does the user mean? Names with typos, DBA aliases, CRM ids, ticket numbers.

Names are matched against the CRM's accounts (name and ``DBA_Name__c``), fetched in one query
and cached: a bank's onboarding book is thousands of accounts, small enough to score locally
with rapidfuzz, which is what makes typos work (SOQL ``LIKE`` cannot).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel
from rapidfuzz import fuzz, process, utils

from integrations import BackOffice, NotFound
from journeys.cache import TtlCache

ACCOUNT_ID = re.compile(r"^001[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$")
TICKET_REF = re.compile(r"^(?:ticket\s*)?#\s*(\d+)$", re.IGNORECASE)
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
        if self.outcome == "resolved" and self.account:
            return f"{self.query!r} is {self.account.label}"
        labels = "; ".join(c.label for c in self.candidates)
        if self.outcome == "ambiguous":
            return f"{self.query!r} matches several customers: {labels}"
        closest = f"; closest: {labels}" if labels else ""
        return f"no customer matches {self.query!r}{closest}"


class CustomerNotResolved(LookupError):
    def __init__(self, resolution: Resolution) -> None:
        super().__init__(resolution.message)
        self.resolution = resolution


def normalize_name(name: str) -> str:
    text = utils.default_process(name.replace("&", " and ").replace("'", ""))
    return " ".join(_LEGAL_SUFFIXES.sub(" ", text).split())


class AccountResolver:
    def __init__(self, office: BackOffice, ttl_s: float = INDEX_TTL_S) -> None:
        self._office = office
        self._index: TtlCache[str, list[Candidate]] = TtlCache(ttl_s)

    async def resolve(self, query: str) -> Resolution:
        text = query.strip()
        if ACCOUNT_ID.match(text):
            return await self._by_id(text)
        ticket = TICKET_REF.match(text)
        if ticket:
            return await self._by_ticket(text, int(ticket.group(1)))
        return rank(text, await self._index.get("accounts", self._load_index))

    async def _by_id(self, account_id: str) -> Resolution:
        try:
            account = await self._office.salesforce.account(account_id)
        except NotFound:
            return Resolution(query=account_id, outcome="unknown")
        found = Candidate(id=account.id, name=account.name, dba_name=account.dba_name)
        return Resolution(query=account_id, outcome="resolved", account=found)

    async def _by_ticket(self, query: str, ticket_id: int) -> Resolution:
        zendesk = self._office.zendesk
        try:
            ticket = await zendesk.ticket(ticket_id)
        except NotFound:
            return Resolution(query=query, outcome="unknown")
        if ticket.organization_id is None:
            return Resolution(query=query, outcome="unknown")
        org = await zendesk.organization(ticket.organization_id)
        if not org.external_id:
            return Resolution(query=query, outcome="unknown")
        resolution = await self._by_id(org.external_id)
        return resolution.model_copy(update={"query": query})

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
