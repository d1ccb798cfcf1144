"""Composition from tool results alone: clarifying questions, not-found, redaction, citations."""

from __future__ import annotations

from langchain_core.messages import ToolMessage

from agent.planner.calls import Call
from agent.planner.compose import compose
from agent.planner.reading import Reading, Request
from journeys.facts import Source
from journeys.view import Blocker, Owner
from tools.policy import Principal

STAFF = Principal(kind="staff", id="ops@bank.example")
CUSTOMER = Principal(kind="customer", id="portal-1", account_id="001Dn0000jvTxkwIAC")
TOOLS = {"get_journey", "explain_blocker", "journey_timeline", "list_journeys"}
SCREENING = Blocker(
    type="screening_hit",
    step="kyc",
    detail="KYC application AP-1 is in manual review: Potential OFAC SDN list match on Carlos Park",
    who=Owner(role="KYC analyst", team="KYC & BSA", person="Tom Okafor"),
    evidence=Source(system="kyc", record_type="application", record_id="AP-1"),
)


def answer(request: Request, call: Call, message: ToolMessage, principal: Principal) -> str:
    text, _ = compose(Reading(requests=[request]), {call: message}, TOOLS, principal)
    return text


def test_ambiguity_becomes_a_question_listing_every_candidate() -> None:
    error = ToolMessage(
        "'acme' matches several customers: Acme Bakeries Inc [001Dn0000CIsvyBIQR]; "
        "Riverbend Family Dental PLLC (DBA Riverbend Smiles) [001Dn0000JXONPqIQP]",
        tool_call_id="1",
        status="error",
    )
    call = Call.of("get_journey", {"customer": "acme"})
    text = answer(Request("status", "acme", "acme"), call, error, STAFF)
    assert text.startswith("“acme” matches several customers — which one do you mean?")
    assert "*Acme Bakeries Inc* [001Dn0000CIsvyBIQR]" in text
    assert "*Riverbend Family Dental PLLC* (DBA Riverbend Smiles) [001Dn0000JXONPqIQP]" in text


def test_unknown_customer_offers_the_closest_names() -> None:
    error = ToolMessage(
        "no customer matches 'zzz'; closest: Bella Vista Pizzeria [001Dn0000aIIqGxIAL]",
        tool_call_id="1",
        status="error",
    )
    call = Call.of("get_journey", {"customer": "zzz"})
    text = answer(Request("owner", "zzz", "zzz"), call, error, STAFF)
    assert text == (
        "I couldn't find a customer matching “zzz”. Did you mean: *Bella Vista Pizzeria* "
        "[001Dn0000aIIqGxIAL]?"
    )


def test_blockers_cite_their_evidence_for_staff_and_hide_screening_from_customers() -> None:
    call = Call.of("explain_blocker", {"customer": "001Dn0000jvTxkwIAC"})
    result = ToolMessage(
        "Sunrise Auto Repair Inc — 1 blocker(s) on step kyc:",
        tool_call_id="1",
        artifact=[SCREENING.model_dump(mode="json")],
    )
    request = Request("blockers", "001Dn0000jvTxkwIAC")
    staff_text, citations = compose(Reading(requests=[request]), {call: result}, TOOLS, STAFF)
    assert "OFAC" in staff_text and "[kyc application AP-1]" in staff_text
    assert citations == [
        {"system": "kyc", "record_id": "AP-1", "link": None, "label": "kyc application AP-1"}
    ]
    customer_text = answer(request, call, result, CUSTOMER)
    assert "compliance team is reviewing" in customer_text
    assert "OFAC" not in customer_text and "Carlos Park" not in customer_text


def test_a_failed_lookup_says_why_instead_of_guessing() -> None:
    error = ToolMessage(
        "salesforce unavailable: timed out after 2.0 s", tool_call_id="1", status="error"
    )
    call = Call.of("get_journey", {"customer": "Acme Bakery LLC"})
    text = answer(Request("status", "Acme Bakery LLC", "Acme Bakery LLC"), call, error, STAFF)
    assert text == (
        "I couldn't look up “Acme Bakery LLC”: salesforce unavailable: timed out after 2.0 s"
    )
