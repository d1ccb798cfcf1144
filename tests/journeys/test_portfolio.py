"""Portfolio views over the demo world: filters, narrowing, unlinked records."""

from __future__ import annotations

import pytest

from journeys.filters import InvalidFilter, PortfolioFilter
from journeys.portfolio import Portfolio
from tests.journeys.conftest import MANIFEST


def names(portfolio: Portfolio) -> set[str]:
    return {e.account.name for e in portfolio.entries}


async def test_stalled_journeys_are_found_with_few_calls(service, journey_sandbox):
    expected = {j["name"] for j in MANIFEST if j["status"] == "stalled"}
    journey_sandbox.ctx.stats.clear()
    portfolio = await service.portfolio(PortfolioFilter(status="stalled"))
    assert names(portfolio) == expected
    # Narrowed: the per-account KYC/POS calls were made only for accounts that might be stalled.
    assert portfolio.accounts_fetched < portfolio.accounts_considered / 2
    assert sum(journey_sandbox.ctx.stats.values()) < 3 * len(MANIFEST) / 2


@pytest.mark.parametrize("status", ["blocked", "at_risk", "terminated"])
async def test_status_filters_match_the_manifest(service, status):
    portfolio = await service.portfolio(PortfolioFilter(status=status))
    assert names(portfolio) == {j["name"] for j in MANIFEST if j["status"] == status}


async def test_filters_combine(service):
    filters = PortfolioFilter(status="blocked", step="kyc", product="treasury_management")
    expected = {
        j["name"]
        for j in MANIFEST
        if (j["status"], j["step"], j["product"]) == ("blocked", "kyc", "treasury_management")
    }
    assert names(await service.portfolio(filters)) == expected


async def test_my_clients_by_relationship_manager(service):
    rm = MANIFEST[0]["relationship_manager"]
    portfolio = await service.portfolio(PortfolioFilter(owner=rm))
    owned = {j["name"] for j in MANIFEST if j["relationship_manager"] == rm}
    assert owned <= names(portfolio)
    for entry in portfolio.entries:
        holder = entry.next_step.owner.email if entry.next_step else None
        assert rm in (entry.account.owner_email, holder)


async def test_team_filter_is_the_next_step_holder(service):
    portfolio = await service.portfolio(PortfolioFilter(team="KYC & BSA"))
    assert portfolio.entries
    assert {e.next_step.owner.team for e in portfolio.entries} == {"KYC & BSA"}


async def test_unlinkable_tickets_are_counted_not_shown(service):
    portfolio = await service.portfolio(PortfolioFilter())
    assert portfolio.diagnostics.unlinked_records == 1
    assert "no organization" in portfolio.diagnostics.notes[0]
    assert len(portfolio.entries) == len(MANIFEST)


async def test_an_unknown_product_is_refused(service):
    with pytest.raises(InvalidFilter, match="no product 'payroll'; valid products: "):
        await service.portfolio(PortfolioFilter(product="payroll"))
