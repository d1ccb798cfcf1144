"""The BackOffice container: built from settings, the four clients side by side, closed together."""

from __future__ import annotations

import asyncio

import pytest

from config import Settings
from integrations.backoffice import BackOffice
from integrations.errors import NotConfigured
from sandbox.server import EmbeddedSandbox
from tests.integrations import settings_for


def test_missing_settings_name_the_variable() -> None:
    with pytest.raises(NotConfigured, match="BATON_SALESFORCE__URL"):
        BackOffice(Settings(_env_file=None))  # type: ignore[call-arg]


async def test_all_four_clients_answer_concurrently(mini_sandbox: EmbeddedSandbox) -> None:
    account = "001000000000001AAA"
    async with BackOffice(settings_for(mini_sandbox)) as office:
        crm, org, applications, readers = await asyncio.gather(
            office.salesforce.account(account),
            office.zendesk.organization_by_external_id(account),
            office.kyc.applications_for_entity(account),
            office.pos.readers(account),
        )
        assert crm.name == "Acme Bakery LLC"
        assert org is not None and org.external_id == account
        assert [a.external_entity_id for a in applications] == [account]
        assert [r.account_id for r in readers] == [account]
        assert set(office.limits()) == {"salesforce", "zendesk"}
