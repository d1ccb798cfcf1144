"""A customer naming anything but their own account is refused, from their own view alone:
the same refusal whether the other customer exists or not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from langchain_core.tools import BaseTool

from journeys.facts import Source
from journeys.service import JourneyService
from journeys.view import AccountRef, JourneyView
from tests.journeys.conftest import BY_NAME
from tools.journeys import make_journey_tools
from tools.own_account import names_own_account
from tools.policy import OWN_ACCOUNT_ONLY

ACME = BY_NAME["Acme Bakery LLC"]["account_id"]  # 001Dn0000hKCHEnIAP
NORTHWIND = BY_NAME["Northwind Traders"]["account_id"]
VIEW = JourneyView(
    account=AccountRef(id=ACME, name="Acme Bakery LLC", dba_name="Sweet Acme"),
    as_of=datetime(2026, 11, 30, tzinfo=UTC),
    status="blocked",
    status_reason="…",
    sources=[
        Source(system="zendesk", record_type="ticket", record_id="1042"),
        Source(system="pos", record_type="reader", record_id="tmr_OWN"),
    ],
)


@pytest.mark.parametrize(
    "said",
    ["", "me", "my account", "our onboarding", "Acme Bakery LLC", "acme bakery", "Acme Bakry",
     "Acme", "Sweet Acme", ACME, ACME[:15], "#1042", "ticket #1042", "tmr_OWN"],
)  # fmt: skip
def test_the_own_account_is_recognised(said):
    assert names_own_account(said, VIEW)


@pytest.mark.parametrize(
    "said",
    ["Acme Bakeries Inc", "Acme Baking Co", "Northwind Traders", "Zyxel Pastries", NORTHWIND,
     "001Dn0000ZZZZZZZZZ", "#1288", "tmr_OTHER", "BA-1234", "my account at Northwind"],
)  # fmt: skip
def test_anything_else_is_not(said):
    assert not names_own_account(said, VIEW)


def config(account_id: str) -> dict:
    principal = {"kind": "customer", "id": "portal-user-7", "account_id": account_id}
    return {"configurable": {"principal": principal}}


@pytest.fixture
def tools(service: JourneyService, monkeypatch: pytest.MonkeyPatch) -> dict[str, BaseTool]:
    async def never(query: str) -> None:
        raise AssertionError(f"a customer's words were resolved: {query!r}")

    monkeypatch.setattr(service, "resolve", never)
    return {t.name: t for t in make_journey_tools(service)}


@pytest.mark.parametrize("tool", ["get_journey", "explain_blocker", "journey_timeline"])
async def test_every_tool_refuses_another_customer_the_same_way_whether_it_exists(tools, tool):
    answers = {
        said: await tools[tool].ainvoke({"customer": said}, config(ACME))
        for said in ("Acme Bakeries Inc", "Zyxel Pastries Inc", NORTHWIND, "#1288", "#999999")
    }
    assert set(answers.values()) == {OWN_ACCOUNT_ONLY}


async def test_the_customer_is_answered_about_their_own_account(tools):
    for said in ("Acme Bakery LLC", "my onboarding", ACME):
        text = await tools["get_journey"].ainvoke({"customer": said}, config(ACME))
        assert text.startswith("Acme Bakery LLC"), said
