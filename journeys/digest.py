"""The stalled-journey digest: what is stuck, per owning team, most urgent first.

Baton tells each team, unasked, which of the journeys whose next step it holds are blocked,
stalled or at risk — with the step, the blockers, the person holding it and how far past its
SLA the step is. ``build_digest`` reads one portfolio; ``digest_from`` is the pure part.

Urgency: most days over the step's SLA first (at-risk journeys, not yet due, come after every
overdue one, soonest due first); on equal days a blocked journey before a stalled one before
an at-risk one; then by name.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime

from pydantic import BaseModel, Field

from journeys.facts import calendar_days
from journeys.filters import PortfolioFilter
from journeys.portfolio import Portfolio, PortfolioEntry
from journeys.service import JourneyService
from journeys.templates import counted
from journeys.view import AccountRef, Owner, Status, Unavailable

DIGEST_STATUSES: tuple[Status, ...] = ("blocked", "stalled", "at_risk")
_SEVERITY = {status: rank for rank, status in enumerate(DIGEST_STATUSES)}
UNASSIGNED = "Unassigned"


class DigestItem(BaseModel):
    account: AccountRef
    status: Status
    reason: str = Field(description="Why the journey has this status.")
    step: str | None = Field(description="The current step id.")
    step_title: str | None = None
    blockers: list[str] = Field(description="Blocker types on the current step.")
    owner: Owner | None = Field(description="Who holds the next step.")
    due_at: datetime | None = None
    days_over_sla: int | None = Field(
        description="Calendar days past the step's due date; negative = days left; None = unknown."
    )
    overdue: bool = Field(False, description="The due moment has passed (the SLA is breached).")


class TeamDigest(BaseModel):
    team: str
    items: list[DigestItem]


class Digest(BaseModel):
    as_of: datetime
    teams: list[TeamDigest]
    unavailable: list[Unavailable] = Field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(t.items) for t in self.teams)


async def build_digest(service: JourneyService, team: str | None = None) -> Digest:
    """The digest for every team (or only ``team``), from one portfolio read."""
    portfolio = await service.portfolio(PortfolioFilter(team=team))
    return digest_from(portfolio)


def digest_from(portfolio: Portfolio) -> Digest:
    by_team: dict[str, list[DigestItem]] = defaultdict(list)
    for entry in portfolio.entries:
        if entry.status in DIGEST_STATUSES:
            item = _item(entry, portfolio.as_of)
            by_team[item.owner.team if item.owner else UNASSIGNED].append(item)
    teams = [
        TeamDigest(team=name, items=sorted(items, key=_urgency))
        for name, items in sorted(by_team.items())
    ]
    return Digest(as_of=portfolio.as_of, teams=teams, unavailable=portfolio.unavailable)


def _item(entry: PortfolioEntry, now: datetime) -> DigestItem:
    nxt = entry.next_step
    due = nxt.due_at if nxt else None
    return DigestItem(
        account=entry.account,
        status=entry.status,
        reason=entry.status_reason,
        step=entry.current_step,
        step_title=nxt.title if nxt else None,
        blockers=entry.blockers,
        owner=nxt.owner if nxt else None,
        due_at=due,
        # Calendar days, like the due date the journey view shows: due yesterday is 1 day over.
        days_over_sla=calendar_days(due, now) if due else None,
        overdue=due is not None and now > due,
    )


def _urgency(item: DigestItem) -> tuple[float, int, str]:
    over = item.days_over_sla if item.days_over_sla is not None else -math.inf
    return (-over, _SEVERITY[item.status], item.account.name or item.account.id)


def sla_phrase(item: DigestItem) -> str:
    """``3 days over SLA``, ``due in 2 days``, ``due today`` (``overdue since today`` once its
    hour has passed) or ``SLA unknown``."""
    days = item.days_over_sla
    if days is None:
        return "SLA unknown"
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} over SLA"
    if days == 0:
        return "overdue since today" if item.overdue else "due today"
    return f"due in {-days} day{'s' if days != -1 else ''}"


def render_digest(digest: Digest) -> str:
    """Plain text, for the terminal (``baton digest`` without ``--post``)."""
    needs = "needs" if digest.total == 1 else "need"
    lines = [
        f"Baton digest — {counted(digest.total, 'journey')} {needs} attention as of "
        f"{digest.as_of:%Y-%m-%d}"
    ]
    if digest.unavailable:
        down = ", ".join(f"{u.system} ({u.reason})" for u in digest.unavailable)
        lines.append(f"PARTIAL: could not reach {down}; this list may be incomplete.")
    for team in digest.teams:
        lines.append(f"\n{team.team} ({len(team.items)})")
        for item in team.items:
            holder = item.owner.person if item.owner and item.owner.person else "unassigned"
            blockers = ", ".join(item.blockers) or "no blocker recorded"
            lines.append(
                f"  {item.status:<8} {item.account.name or item.account.id} — "
                f"{item.step_title or item.step or '—'}: {blockers}; {holder}; {sla_phrase(item)}"
            )
    return "\n".join(lines)
