"""Contract tests of the KYC client against the sandbox over loopback (mini world)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from config import KycSettings
from integrations.errors import AuthError, NotFound
from integrations.kyc import KycApplication, KycClient
from sandbox.server import EmbeddedSandbox
from tests.integrations import settings_for

ACME = "001000000000001AAA"
NORTHWIND = "001000000000003AAA"


@pytest.fixture
async def kyc(mini_sandbox: EmbeddedSandbox) -> AsyncIterator[KycClient]:
    client = KycClient(settings_for(mini_sandbox).kyc, page_size=1)
    yield client
    await client.aclose()


async def test_applications_for_entity(kyc: KycClient) -> None:
    [application] = await kyc.applications_for_entity(ACME)
    assert isinstance(application, KycApplication)
    assert (application.status, application.outcome) == ("completed", "Approved")
    assert [o.status for o in application.beneficial_owners] == ["verified", "verified"]
    assert await kyc.applications_for_entity("001000000000999AAA") == []


async def test_application_with_review(kyc: KycClient) -> None:
    application = await kyc.application("AP-3H8W5NV2")
    assert application.external_entity_id == NORTHWIND
    assert application.status == "waiting_review"
    assert application.review is not None and application.review.queue == "bsa_watchlist_review"


async def test_documents_and_events(kyc: KycClient) -> None:
    [document] = await kyc.documents("AP-9C6T1ZB8")
    assert (document.type, document.status) == ("certificate_of_good_standing", "requested")
    events = await kyc.events("AP-7Q2M4KX1")
    assert [e.event_type for e in events] == [
        "started_application",
        "pending_documents",
        "completed_application",
    ]
    assert events == sorted(events, key=lambda e: e.timestamp)


async def test_unknown_application_is_not_found(kyc: KycClient) -> None:
    with pytest.raises(NotFound):
        await kyc.application("AP-NOPE/../../v1/applications")


async def test_bad_credentials_are_an_auth_error(mini_sandbox: EmbeddedSandbox) -> None:
    settings = settings_for(mini_sandbox).kyc.model_copy(update={"workflow_token": "wrong"})
    client = KycClient(settings)
    try:
        with pytest.raises(AuthError) as info:
            await client.application("AP-7Q2M4KX1")
        assert info.value.status == 401
    finally:
        await client.aclose()


async def test_applications_are_read_page_by_page() -> None:
    """The sandbox has one application per entity, so paging is checked on a mock provider."""
    apps = [
        {
            "application_token": f"AP-{i}",
            "external_entity_id": ACME,
            "entity_type": "business",
            "status": "running",
            "created_at": f"2026-11-0{i + 1}T00:00:00Z",
            "updated_at": f"2026-11-0{i + 1}T00:00:00Z",
        }
        for i in range(3)
    ]
    offsets: list[int] = []

    def provider(request: httpx.Request) -> httpx.Response:
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        offsets.append(offset)
        return httpx.Response(
            200, json={"applications": apps[offset : offset + limit], "total": len(apps)}
        )

    settings = KycSettings(
        url="http://kyc.test", workflow_token="t", workflow_secret=SecretStr("s")
    )
    client = KycClient(settings, http_transport=httpx.MockTransport(provider), page_size=2)
    try:
        found = await client.applications_for_entity(ACME)
    finally:
        await client.aclose()
    assert [a.application_token for a in found] == ["AP-0", "AP-1", "AP-2"]
    assert offsets == [0, 2]
