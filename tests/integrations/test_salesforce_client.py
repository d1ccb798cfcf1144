"""Contract tests of the Salesforce client against the sandbox over loopback (mini world)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date

import httpx
import pytest
from pydantic import SecretStr

from integrations.errors import AuthError, InvalidRequest, NotFound
from integrations.salesforce import Account, SalesforceClient, Task
from integrations.soql import contains, in_list, literal
from sandbox.context import SandboxOptions
from sandbox.server import EmbeddedSandbox
from tests.conftest import MINI_WORLD
from tests.integrations import LosesResponses, settings_for

ACME = "001000000000001AAA"
NORTHWIND = "001000000000003AAA"
DANA = "005000000000001AAA"


@pytest.fixture(scope="module")
def small_batches() -> Iterator[EmbeddedSandbox]:
    """Query results in batches of 2, so every multi-record query follows nextRecordsUrl."""
    with EmbeddedSandbox(MINI_WORLD, options=SandboxOptions(salesforce_batch_size=2)) as sb:
        yield sb


@pytest.fixture
async def salesforce(small_batches: EmbeddedSandbox) -> AsyncIterator[SalesforceClient]:
    client = SalesforceClient(settings_for(small_batches).salesforce)
    yield client
    await client.aclose()


def test_soql_values_are_escaped() -> None:
    assert literal("O'Brien\\") == "'O\\'Brien\\\\'"
    assert contains("100%_x") == "'%100\\%\\_x%'"
    assert contains("Acme' OR Name LIKE '%") == "'%Acme\\' OR Name LIKE \\'\\%%'"
    assert in_list(["a'", 1, None, True, date(2026, 1, 2)]) == "('a\\'', 1, null, true, 2026-01-02)"


async def test_query_follows_next_records_url(
    salesforce: SalesforceClient, small_batches: EmbeddedSandbox
) -> None:
    small_batches.ctx.stats.clear()
    records = await salesforce.query("SELECT Id FROM Task ORDER BY Id")
    assert len(records) == 5
    assert len({r["Id"] for r in records}) == 5
    assert small_batches.ctx.stats["salesforce"] >= 4  # token + 3 batches


async def test_account_is_typed_with_custom_fields_and_link(salesforce: SalesforceClient) -> None:
    account = await salesforce.account(ACME)
    assert isinstance(account, Account)
    assert (account.product, account.onboarding_stage, account.dba_name) == (
        "Merchant Services", "Documents", "Acme Bread",
    )  # fmt: skip
    assert account.link.endswith(f"/salesforce/lightning/r/Account/{ACME}/view")
    assert account.created_date is not None


async def test_unknown_and_malformed_ids(salesforce: SalesforceClient) -> None:
    with pytest.raises(NotFound):
        await salesforce.account("001000000000999AAA")
    with pytest.raises(InvalidRequest):
        await salesforce.get("Account", "001' OR Id != '")


async def test_search_accounts_by_name_and_dba(salesforce: SalesforceClient) -> None:
    assert [a.id for a in await salesforce.search_accounts("acme")] == [
        "001000000000002AAA", ACME,
    ]  # fmt: skip
    assert [a.id for a in await salesforce.search_accounts("Acme Bread")] == [ACME]
    assert [a.name for a in await salesforce.search_accounts("O'Brien")] == ["O'Brien's Hardware"]


@pytest.mark.parametrize("hostile", ["Acme' OR Name LIKE '%", "%", "_", "\\", "' OR Id != '"])
async def test_search_accounts_is_not_injectable(
    salesforce: SalesforceClient, hostile: str
) -> None:
    assert await salesforce.search_accounts(hostile) == []


async def test_accounts_and_portfolio_filters(salesforce: SalesforceClient) -> None:
    assert [a.id for a in await salesforce.accounts([NORTHWIND, ACME])] == [ACME, NORTHWIND]
    assert await salesforce.accounts([]) == []
    intake = await salesforce.accounts_where(owner_id=DANA, stage="Intake")
    assert {a.name for a in intake} == {"Acme Bakeries Inc", "O'Brien's Hardware"}
    treasury = await salesforce.accounts_where(product="Treasury Management")
    assert [a.id for a in treasury] == [NORTHWIND]
    assert len(await salesforce.accounts_where()) == 4
    assert await salesforce.accounts_where(stage="Intake' OR Name != '") == []


async def test_related_records(salesforce: SalesforceClient) -> None:
    [opportunity] = await salesforce.opportunities(ACME)
    assert (opportunity.stage_name, opportunity.product) == ("Closed Won", "Merchant Services")
    [contact] = await salesforce.contacts(ACME)
    assert contact.email == "maria@acmebakery.example"
    assert [c.name for c in await salesforce.find_contacts("o'brien")] == ["Sean O'Brien"]
    assert [c.id for c in await salesforce.find_contacts("grace.kim@")] == ["003000000000003AAA"]
    [task] = await salesforce.tasks(ACME)
    assert isinstance(task, Task) and task.step == "documents"
    assert task.activity_date == date(2026, 11, 25)


async def test_users(salesforce: SalesforceClient) -> None:
    users = await salesforce.users([DANA, "005000000000002AAA"])
    assert [u.name for u in users] == ["Dana Whitfield", "Raj Patel"]
    user = await salesforce.user_by_email("raj.patel@demo-bank.example")
    assert user is not None and user.id == "005000000000002AAA"
    assert await salesforce.user_by_email("nobody@demo-bank.example") is None


async def test_malformed_query_is_invalid_request(salesforce: SalesforceClient) -> None:
    with pytest.raises(InvalidRequest) as info:
        await salesforce.query("SELEKT Id FROM Account")
    assert info.value.code == "MALFORMED_QUERY" and info.value.status == 400


async def test_limits_are_tracked(salesforce: SalesforceClient) -> None:
    await salesforce.account(ACME)
    limits = salesforce.transport.limits
    assert limits is not None and limits.limit == 100_000
    assert limits.used is not None and limits.remaining == limits.limit - limits.used


async def test_create_task_upserts_once_per_key(fresh_sandbox: EmbeddedSandbox) -> None:
    lossy = LosesResponses("PATCH")  # the first upsert lands, its answer is lost
    client = SalesforceClient(settings_for(fresh_sandbox).salesforce, http_transport=lossy)
    try:
        args = {"what_id": NORTHWIND, "subject": "Nudge: positive pay files", "step": "treasury"}
        task = await client.create_task(idempotency_key="nudge-1", **args)
        again = await client.create_task(idempotency_key="nudge-1", **args)
        assert lossy.remaining == 0 and task.id == again.id
        tasks = await client.tasks(NORTHWIND)
        assert [t.id for t in tasks if t.subject == args["subject"]] == [task.id]
        assert task.step == "treasury" and task.status == "Not Started"
        assert task.id.startswith("00T")
    finally:
        await client.aclose()


class _ExpiresFirstSession(httpx.AsyncBaseTransport):
    """Sends the first API call with a token the server no longer knows."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.expired = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self.expired and request.headers.get("Authorization", "").startswith("Bearer"):
            self.expired = True
            request.headers["Authorization"] = "Bearer 00Dexpired!token"
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def test_an_expired_session_is_refreshed(mini_sandbox: EmbeddedSandbox) -> None:
    transport = _ExpiresFirstSession()
    client = SalesforceClient(settings_for(mini_sandbox).salesforce, http_transport=transport)
    try:
        assert (await client.account(ACME)).id == ACME
        assert transport.expired
    finally:
        await client.aclose()


async def test_bad_client_secret_is_an_auth_error(mini_sandbox: EmbeddedSandbox) -> None:
    settings = settings_for(mini_sandbox).salesforce.model_copy(
        update={"client_secret": SecretStr("wrong")}
    )
    client = SalesforceClient(settings)
    try:
        with pytest.raises(AuthError) as info:
            await client.account(ACME)
        assert info.value.code in ("invalid_client", "invalid_grant")
    finally:
        await client.aclose()
