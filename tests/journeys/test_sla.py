"""SLA arithmetic: the engine, the view and the digest agree with each other and with
scenarios.yaml (docs/journey-view.md, "SLA arithmetic")."""

from __future__ import annotations

from datetime import UTC, date, datetime

from journeys.digest import digest_from, sla_phrase
from journeys.facts import calendar_days
from journeys.filters import PortfolioFilter
from journeys.render import render_view
from tests.journeys.conftest import BY_NAME, MANIFEST


def test_calendar_days_count_dates_not_hours():
    evening = datetime(2026, 11, 7, 19, 7, tzinfo=UTC)
    assert calendar_days(evening, datetime(2026, 11, 30, 15, 0, tzinfo=UTC)) == 23
    assert calendar_days(evening, datetime(2026, 11, 8, 1, 0, tzinfo=UTC)) == 1
    assert calendar_days(date(2026, 12, 1), datetime(2026, 11, 30, 23, 0, tzinfo=UTC)) == -1


async def test_a_step_short_of_its_sla_is_at_risk_not_breached(service):
    view = await service.view(BY_NAME["Desert Bloom Boutique"]["account_id"])  # 2.8 of 3 days
    assert view.next_step.sla_state == "at_risk" and view.next_step.due_at > view.as_of
    assert "sla_breach" not in {b.type for b in view.blockers}


async def test_the_digest_counts_days_over_sla_as_the_scenarios_do(service):
    digest = digest_from(await service.portfolio(PortfolioFilter()))
    items = {i.account.name: i for team in digest.teams for i in team.items}
    for name, scenario in ((n, BY_NAME[n]) for n in items):
        if scenario["days_in_step"] is not None and items[name].days_over_sla is not None:
            over = scenario["days_in_step"] - scenario["sla_days"]
            assert abs(items[name].days_over_sla - over) < 1, name
    assert items["Harbor Point Capital Advisors"].days_over_sla == 23
    assert items["Prairie Wind Brewing Co"].days_over_sla == 9
    assert len(items) == len(
        [j for j in MANIFEST if j["status"] in ("blocked", "stalled", "at_risk")]
    )


async def test_the_digest_and_the_view_give_the_same_due_date(service):
    view = await service.view(BY_NAME["Northwind Traders"]["account_id"])
    digest = digest_from(await service.portfolio(PortfolioFilter(step="activation")))
    [item] = [i for t in digest.teams for i in t.items if i.account.name == "Northwind Traders"]
    assert view.next_step.due_at.date() == date(2026, 12, 1) == item.due_at.date()
    assert sla_phrase(item) == "due in 1 day"
    assert "due 2026-12-01" in render_view(view)
