"""The journey tools with principals: staff see everything, customers only their own."""

from __future__ import annotations

import pytest
from langchain_core.tools import BaseTool

from journeys.service import JourneyService
from tests.journeys.conftest import BY_NAME
from tools.errors import ResolutionFailure
from tools.journeys import make_journey_tools
from tools.policy import AccessDenied, Principal, authorize

STAFF = {"kind": "staff", "id": "dana.whitfield@demo-bank.example", "role": "relationship_manager"}
ACME = BY_NAME["Acme Bakery LLC"]["account_id"]
CUSTOMER = {"kind": "customer", "id": "portal-user-7", "account_id": ACME}


def config(principal: dict | None) -> dict:
    return {"configurable": {"principal": principal}}


@pytest.fixture
def tools(service: JourneyService) -> dict[str, BaseTool]:
    return {t.name: t for t in make_journey_tools(service)}


def test_tools_have_model_facing_schemas(tools):
    assert set(tools) == {"get_journey", "list_journeys", "explain_blocker", "journey_timeline"}
    schema = tools["get_journey"].args
    assert set(schema) == {"customer"} and "typos" in schema["customer"]["description"]
    assert "principal" not in str(tools["list_journeys"].args)


async def test_staff_get_a_journey_by_name(tools):
    text = await tools["get_journey"].ainvoke({"customer": "Acme Bakery"}, config(STAFF))
    assert "Acme Bakery LLC" in text and "BLOCKED" in text and "missing_documents" in text


async def test_explain_blocker_names_evidence_and_who_acts(tools):
    text = await tools["explain_blocker"].ainvoke(
        {"customer": "Northwind Traders", "blocker_type": "failed_integration"}, config(STAFF)
    )
    assert "E-104" in text and "Must act:" in text and "[pos reader" in text


def call(tool: str, **args: object) -> dict:
    return {"name": tool, "args": args, "id": "call-1", "type": "tool_call"}


async def test_ambiguous_names_fail_with_their_candidates_in_structure(tools):
    message = await tools["get_journey"].ainvoke(
        call("get_journey", customer="Northwind"), config(STAFF)
    )
    assert message.status == "error"
    failure = ResolutionFailure.parse(message.text)
    assert failure.error == "customer_ambiguous" and failure.query == "Northwind"
    assert {c.name for c in failure.candidates} == {"Northwind Traders", "Northwind Logistics"}
    assert "matches several customers" in failure.message  # what a model reads


async def test_an_unknown_name_fails_as_unknown(tools):
    message = await tools["explain_blocker"].ainvoke(
        call("explain_blocker", customer="Zzyzx Widgets"), config(STAFF)
    )
    assert ResolutionFailure.parse(message.text).error == "customer_unknown"


async def test_without_a_principal_nothing_is_resolved_and_the_error_is_plain(tools):
    message = await tools["get_journey"].ainvoke(call("get_journey", customer="Acme"), config(None))
    assert ResolutionFailure.parse(message.text) is None and "no verified identity" in message.text


@pytest.mark.parametrize(
    ("tool", "key"), [("explain_blocker", "blockers"), ("journey_timeline", "events")]
)
async def test_blocker_and_timeline_artifacts_name_the_account(tools, tool, key):
    message = await tools[tool].ainvoke(call(tool, customer="Acme Bakery"), config(STAFF))
    assert message.artifact["account"] == {"id": ACME, "name": "Acme Bakery LLC"}
    assert message.artifact[key]


async def test_a_customer_is_answered_about_their_own_account_only(tools):
    text = await tools["get_journey"].ainvoke({"customer": "Acme Bakery"}, config(CUSTOMER))
    assert "Acme Bakery LLC" in text and "Northwind" not in text
    other = await tools["get_journey"].ainvoke({"customer": "Northwind Traders"}, config(CUSTOMER))
    assert other == "I can only share information about your own account."


async def test_a_customer_never_sees_internal_notes(tools):
    staff = await tools["journey_timeline"].ainvoke({"customer": ACME, "limit": 100}, config(STAFF))
    customer = await tools["journey_timeline"].ainvoke(
        {"customer": ACME, "limit": 100}, config(CUSTOMER)
    )
    assert "Internal note" in staff and "Internal note" not in customer


async def test_a_customer_cannot_list_journeys(tools):
    text = await tools["list_journeys"].ainvoke({"status": "stalled"}, config(CUSTOMER))
    assert text == "I can only share information about your own account."


async def test_no_principal_no_answer(tools):
    text = await tools["get_journey"].ainvoke({"customer": "Acme Bakery"}, config(None))
    assert "no verified identity" in text


def test_authorize_is_the_seam():
    staff = Principal.model_validate(STAFF)
    customer = Principal.model_validate(CUSTOMER)
    assert authorize(staff, "journey.list") is staff
    assert authorize(customer, "journey.read", ACME) is customer
    with pytest.raises(AccessDenied):
        authorize(customer, "journey.read", "001Dn0000SomeoneElse")
    with pytest.raises(ValueError, match="bound to an account_id"):
        Principal(kind="customer", id="x")
