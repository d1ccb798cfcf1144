"""Faithfulness: simple-salesforce, a widely used client, works against the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from requests.adapters import HTTPAdapter
from simple_salesforce import Salesforce, SalesforceMalformedRequest, SalesforceResourceNotFound

from sandbox.context import SandboxOptions
from sandbox.server import EmbeddedSandbox
from tests.conftest import MINI_WORLD
from tests.sandbox.test_salesforce_api import ACME, access_token


class _PlainHttpUnderPrefix(HTTPAdapter):
    """simple-salesforce always speaks ``https://{host}/services/...``; the sandbox serves plain
    HTTP under ``/salesforce``. This adapter rewrites each URL on the way out (test-side only)."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self._prefix = prefix

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        parts = urlsplit(request.url or "")
        request.url = urlunsplit(("http", parts.netloc, self._prefix + parts.path,
                                  parts.query, parts.fragment))  # fmt: skip
        return super().send(request, **kwargs)


def connect(instance_url: str) -> Salesforce:
    """simple-salesforce with a session from the emulator's token endpoint."""
    session = requests.Session()
    session.mount("https://", _PlainHttpUnderPrefix(urlsplit(instance_url).path))
    return Salesforce(
        instance_url=instance_url,
        session_id=access_token(instance_url),
        session=session,
        version="62.0",
    )


@pytest.fixture(scope="module")
def sf() -> Iterator[Salesforce]:
    """A client of a read-only sandbox serving batches of two, so that paging shows."""
    with EmbeddedSandbox(MINI_WORLD, options=SandboxOptions(salesforce_batch_size=2)) as sb:
        client = connect(sb.system_url("salesforce"))
        yield client
        client.session.close()


def test_query(sf: Salesforce) -> None:
    result = sf.query(f"SELECT Id, Name, Owner.Name FROM Account WHERE Id = '{ACME}'")
    assert result["totalSize"] == 1
    [account] = result["records"]
    assert account["Name"] == "Acme Bakery LLC"
    assert account["Owner"]["Name"] == "Dana Whitfield"
    assert sf.api_usage["api-usage"].total == 100_000


def test_query_all_follows_every_batch(sf: Salesforce) -> None:
    # Batches of two: the five tasks take three requests.
    first = sf.query("SELECT Id FROM Task ORDER BY Id")
    assert not first["done"]
    result = sf.query_all("SELECT Id FROM Task ORDER BY Id")
    assert result["totalSize"] == 5
    assert [r["Id"] for r in result["records"]] == [f"00T00000000000{n}AAA" for n in range(1, 6)]


def test_get_account(sf: Salesforce) -> None:
    account = sf.Account.get(ACME)
    assert account["Name"] == "Acme Bakery LLC"
    assert account["DBA_Name__c"] == "Acme Bread"
    with pytest.raises(SalesforceResourceNotFound):
        sf.Account.get("001000000000099AAA")


def test_errors_raise_the_clients_exceptions(sf: Salesforce) -> None:
    with pytest.raises(SalesforceMalformedRequest) as caught:
        sf.query("SELECT Id FROMM Account")
    assert caught.value.content[0]["errorCode"] == "MALFORMED_QUERY"


def test_create_task(fresh_sandbox: EmbeddedSandbox) -> None:
    # Writes go to a sandbox of their own, so the shared one's task count stays put.
    sf = connect(fresh_sandbox.system_url("salesforce"))
    created = sf.Task.create({"Subject": "Send onboarding checklist", "WhatId": ACME})
    assert created["success"] is True
    task = sf.Task.get(created["id"])
    assert (task["Subject"], task["Status"], task["WhatId"]) == (
        "Send onboarding checklist",
        "Not Started",
        ACME,
    )
