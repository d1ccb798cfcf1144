"""``JourneyService``: the one entry point channels and tools use.

- ``view(account_id)``: facts from every system → the engine → a ``JourneyView``, cached for a
  short TTL with concurrent requests for one account coalesced into one set of calls. Partial
  views (a system unreachable) are shared with concurrent waiters but never cached.
- ``journey(query)``: resolve a name / id / ticket number first.
- ``invalidate(account_id)``: the hook Baton's own writes call (a ticket, comment or task
  created through Baton must show up in the next view).
- ``portfolio(filters)``: see ``journeys.portfolio``; cached like views (same TTL, coalesced,
  complete lists only, all forgotten on ``invalidate``), since one list reads every account.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from config import Settings
from integrations import BackOffice
from journeys.cache import TtlCache
from journeys.directory import Directory
from journeys.engine import choose_playbook, derive
from journeys.facts import SYSTEMS, System
from journeys.fetch import AccountNotFound, FactFetcher
from journeys.filters import PortfolioFilter, resolve_filters
from journeys.playbook import Playbooks, load_playbooks
from journeys.portfolio import Portfolio, PortfolioLoader
from journeys.resolve import AccountResolver, CustomerNotResolved, Resolution
from journeys.view import JourneyView

VIEW_TTL_S = 30.0

Clock = Callable[[], datetime]


def wall_clock() -> datetime:
    return datetime.now(UTC)


def clock_at(now: datetime | None) -> Clock:
    """A clock stopped at ``now`` (a sandbox world's frozen time), else the wall clock."""
    return wall_clock if now is None else lambda: now


def journey_clock(settings: Settings, world_now: datetime | None = None) -> Clock:
    """The clock journeys are judged by: ``BATON_JOURNEYS__NOW`` when set, else the embedded
    sandbox world's frozen now, else the wall clock."""
    return clock_at(settings.journeys.now or world_now)


def budgets_from(settings: Settings) -> dict[System, float]:
    """Each system's budget for one view: its transport's per-call budget (calls run
    concurrently, and chains are at most two calls deep on a warm directory)."""
    return {s: getattr(settings, s).transport.timeout_s for s in SYSTEMS}


class JourneyService:
    def __init__(
        self,
        office: BackOffice,
        budgets: dict[System, float],
        *,
        playbooks: Playbooks | None = None,
        clock: Clock = wall_clock,
        view_ttl_s: float = VIEW_TTL_S,
    ) -> None:
        self.office = office
        self.playbooks = playbooks or load_playbooks()
        self.clock = clock
        self.directory = Directory(office)
        self._fetcher = FactFetcher(office, self.directory, budgets)
        self._resolver = AccountResolver(office)
        self._views: TtlCache[str, JourneyView] = TtlCache(
            view_ttl_s, keep=lambda view: not view.partial
        )
        self._portfolio = PortfolioLoader(office, self.directory, self.playbooks, budgets)
        self._portfolios: TtlCache[str, Portfolio] = TtlCache(
            view_ttl_s, max_entries=256, keep=lambda portfolio: not portfolio.unavailable
        )

    async def view(self, account_id: str) -> JourneyView:
        """The journey of the account with this CRM id (``AccountNotFound`` if none)."""
        return await self._views.get(account_id, lambda: self._derive(account_id))

    async def resolve(self, query: str) -> Resolution:
        return await self._resolver.resolve(query)

    async def journey(self, query: str) -> JourneyView:
        """The journey of the customer ``query`` names (``CustomerNotResolved`` otherwise)."""
        resolution = await self.resolve(query)
        if resolution.outcome != "resolved" or resolution.account is None:
            raise CustomerNotResolved(resolution)
        return await self.view(resolution.account.id)

    async def portfolio(self, filters: PortfolioFilter) -> Portfolio:
        """The journeys ``filters`` select (``InvalidFilter`` when a value names nothing)."""
        wanted = resolve_filters(filters, self.playbooks)
        return await self._portfolios.get(
            wanted.model_dump_json(), lambda: self._portfolio.load(wanted, self.clock())
        )

    def invalidate(self, account_id: str | None = None) -> None:
        """Forget cached views (one account's, or all) after Baton wrote to a system; lists
        are all forgotten, since any account's change may move it in or out of one."""
        self._views.invalidate(account_id)
        self._portfolios.invalidate()

    async def _derive(self, account_id: str) -> JourneyView:
        facts = await self._fetcher.facts(account_id)
        return derive(choose_playbook(self.playbooks, facts), facts, self.clock())


__all__ = [
    "AccountNotFound",
    "CustomerNotResolved",
    "JourneyService",
    "clock_at",
    "journey_clock",
    "wall_clock",
]
