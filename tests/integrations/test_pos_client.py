"""Contract tests of the POS client against the sandbox over loopback (mini world)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from integrations.errors import InvalidRequest, NotFound
from integrations.pos import BoardingApplication, PosClient
from sandbox.server import EmbeddedSandbox
from tests.integrations import LosesResponses, settings_for

ACME = "001000000000001AAA"


@pytest.fixture
async def pos(mini_sandbox: EmbeddedSandbox) -> AsyncIterator[PosClient]:
    client = PosClient(settings_for(mini_sandbox).pos, page_size=1)
    yield client
    await client.aclose()


async def test_boarding_applications(pos: PosClient) -> None:
    [application] = await pos.boarding_applications(ACME)
    assert isinstance(application, BoardingApplication)
    assert (application.application_id, application.status) == ("BA-100231", "SUCCESSFUL_PROCESSED")
    again = await pos.boarding_application("BA-100231")
    assert again.mid == application.mid == "530001234567"
    with pytest.raises(NotFound) as info:
        await pos.boarding_application("BA-NOPE")
    assert info.value.code == "resource_missing"


async def test_hardware_orders_and_readers(pos: PosClient) -> None:
    [order] = await pos.hardware_orders(ACME)
    assert order.status == "delivered" and order.account_id == ACME
    assert order.shipment is not None and order.shipment.carrier == "UPS"
    [reader] = await pos.readers(ACME)
    assert reader.status == "online"
    assert reader.action is not None and reader.action.failure_code == "E-104"
    assert reader.last_seen_at is not None and reader.last_seen_at.year == 2026  # from ms


async def test_charges_page_with_starting_after(pos: PosClient) -> None:
    charges = await pos.charges(ACME)  # two charges, pages of one
    assert [c.id for c in charges] == ["ch_1AcmeBakery0000002", "ch_1AcmeBakery0000001"]
    assert [c.id for c in await pos.charges(ACME, limit=1)] == ["ch_1AcmeBakery0000002"]
    assert await pos.charges("001000000000999AAA") == []


async def test_create_boarding_application_is_idempotent(fresh_sandbox: EmbeddedSandbox) -> None:
    lossy = LosesResponses("POST")  # the first submission lands, its answer is lost
    client = PosClient(settings_for(fresh_sandbox).pos, http_transport=lossy)
    try:
        args = {"account_id": "001000000000002AAA", "merchant_name": "Acme Bakeries Inc"}
        first = await client.create_boarding_application(idempotency_key="b-1", **args)
        again = await client.create_boarding_application(idempotency_key="b-1", **args)
        assert lossy.remaining == 0
        assert first.application_id == again.application_id and first.status == "SUBMITTED"
        listed = await client.boarding_applications("001000000000002AAA")
        assert [a.application_id for a in listed] == [first.application_id]
        with pytest.raises(InvalidRequest):  # the same key for a different request
            await client.create_boarding_application(
                idempotency_key="b-1", account_id="001000000000002AAA", merchant_name="Other"
            )
    finally:
        await client.aclose()
