"""Portfolio lists are cached like views: a repeat is free, Baton's writes forget them."""

from __future__ import annotations

import asyncio

from journeys.portfolio import PortfolioFilter


async def test_a_repeated_list_makes_no_calls_until_invalidated(service, journey_sandbox):
    stalled = PortfolioFilter(status="stalled")
    first = await service.portfolio(stalled)
    journey_sandbox.ctx.stats.clear()
    assert await service.portfolio(stalled) is first
    assert await service.portfolio(PortfolioFilter(status="stalled")) is first  # equal filters
    assert sum(journey_sandbox.ctx.stats.values()) == 0
    service.invalidate("001-any-account")
    again = await service.portfolio(stalled)
    assert again is not first and again.entries == first.entries
    assert sum(journey_sandbox.ctx.stats.values()) > 0


async def test_concurrent_lists_share_one_load(service):
    a, b = await asyncio.gather(
        service.portfolio(PortfolioFilter(status="blocked")),
        service.portfolio(PortfolioFilter(status="blocked")),
    )
    assert a is b
