"""What a view holds for the questions QA asked: the client's contacts (staff only), each
record cited once, and a customer's wording for what a down system left open."""

from __future__ import annotations

from sandbox.faults import FaultSpec
from tests.journeys.conftest import BY_NAME
from tools.customer_view import customer_view, default_rules


async def test_staff_see_the_clients_contacts_and_customers_do_not(service):
    view = await service.view(BY_NAME["Fresh Fields Market"]["account_id"])
    assert view.contacts and all(c.name and c.email for c in view.contacts)
    assert {c.source.record_type for c in view.contacts} == {"Contact"}
    assert any(c.title for c in view.contacts)
    assert customer_view(view).contacts == []


async def test_a_record_is_cited_once_per_discrepancy(service):
    view = await service.view(BY_NAME["Redwood Valley Winery"]["account_id"])
    [stale] = [d for d in view.discrepancies if d.kind == "crm_stage"]
    assert len(stale.sources) == len(set(stale.sources))


async def test_a_customer_hears_what_is_unconfirmed_in_their_own_words(service, journey_sandbox):
    journey_sandbox.ctx.options.faults["pos"] = FaultSpec.parse("status=503")
    try:
        view = await service.view(BY_NAME["Northwind Traders"]["account_id"])
    finally:
        journey_sandbox.ctx.options.faults.pop("pos")
    mine = customer_view(view)
    wording = default_rules().unconfirmed
    assert [u.about for u in mine.unconfirmed] == [u.about for u in view.unconfirmed]
    assert mine.unconfirmed[0].detail == wording["step"].format(step="Merchant boarding & hardware")
    assert not any("POS vendor" in u.detail for u in mine.unconfirmed)
