"""Composition from tool results alone: clarifying questions, not-found, customer views,
citations."""

from __future__ import annotations

from langchain_core.messages import ToolMessage

from agent.planner.calls import Call
from agent.planner.compose import compose
from agent.planner.lexicon import NOT_ON_TRACK
from agent.planner.reading import Reading, Request
from agent.planner.slots import Filters
from journeys.facts import Source
from journeys.resolve import Candidate, Resolution
from journeys.view import Blocker, JourneyView, Owner
from tools.customer_view import customer_view
from tools.errors import ResolutionFailure
from tools.policy import Principal

STAFF = Principal(kind="staff", id="ops@bank.example")
CUSTOMER = Principal(kind="customer", id="portal-1", account_id="001Dn0000jvTxkwIAC")
# Bound tools by name, as ``LocalPlanner.bind_tools`` keeps them (schemas unused here).
TOOLS: dict[str, dict] = {
    name: {} for name in ("get_journey", "explain_blocker", "journey_timeline", "list_journeys")
}
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


def failed(outcome: str, query: str, *candidates: Candidate) -> ToolMessage:
    """The error a journey tool returns when ``query`` does not name one customer."""
    resolution = Resolution(query=query, outcome=outcome, candidates=list(candidates))
    body = ResolutionFailure.of(resolution).model_dump_json()
    return ToolMessage(body, tool_call_id="1", status="error")


def test_ambiguity_becomes_a_question_listing_every_candidate() -> None:
    error = failed(
        "ambiguous",
        "acme",
        Candidate(id="001Dn0000CIsvyBIQR", name="Acme Bakeries Inc"),
        Candidate(
            id="001Dn0000JXONPqIQP",
            name="Riverbend Family Dental PLLC",
            dba_name="Riverbend Smiles",
        ),
    )
    call = Call.of("get_journey", {"customer": "acme"})
    text = answer(Request("status", "acme", "acme"), call, error, STAFF)
    assert text.startswith("“acme” matches several customers — which one do you mean?")
    assert "*Acme Bakeries Inc* [001Dn0000CIsvyBIQR]" in text
    assert "*Riverbend Family Dental PLLC* (DBA Riverbend Smiles) [001Dn0000JXONPqIQP]" in text


def test_unknown_customer_offers_the_closest_names() -> None:
    error = failed(
        "unknown", "zzz", Candidate(id="001Dn0000aIIqGxIAL", name="Bella Vista Pizzeria")
    )
    call = Call.of("get_journey", {"customer": "zzz"})
    text = answer(Request("owner", "zzz", "zzz"), call, error, STAFF)
    assert text == (
        "I couldn't find a customer matching “zzz”. Did you mean: *Bella Vista Pizzeria* "
        "[001Dn0000aIIqGxIAL]?"
    )


def blockers_result(*blockers: Blocker) -> ToolMessage:
    account = {"id": "001Dn0000jvTxkwIAC", "name": "Sunrise Auto Repair Inc"}
    return ToolMessage(
        "Sunrise Auto Repair Inc — 1 blocker(s) on step kyc:",
        tool_call_id="1",
        artifact={"account": account, "blockers": [b.model_dump(mode="json") for b in blockers]},
    )


def test_blockers_cite_their_evidence_for_staff() -> None:
    call = Call.of("explain_blocker", {"customer": "001Dn0000jvTxkwIAC"})
    request = Request("blockers", "001Dn0000jvTxkwIAC")
    text, citations = compose(
        Reading(requests=[request]), {call: blockers_result(SCREENING)}, TOOLS, STAFF
    )
    assert text.startswith("*Sunrise Auto Repair Inc*")
    assert "OFAC" in text and "[kyc application AP-1]" in text
    assert citations == [
        {"system": "kyc", "record_id": "AP-1", "link": None, "label": "kyc application AP-1"}
    ]


def test_a_customer_blocker_without_evidence_is_told_without_a_citation() -> None:
    # What explain_blocker sends a customer: the policy's rewording, no internal record.
    view = JourneyView(
        account={"id": "001Dn0000jvTxkwIAC", "name": "Sunrise Auto Repair Inc"},
        as_of="2026-11-30T15:00:00Z",
        status="blocked",
        status_reason="KYC / KYB verification: screening hit",
        current_step="kyc",
        blockers=[SCREENING],
    )
    (redacted,) = customer_view(view).blockers
    call = Call.of("explain_blocker", {"customer": "001Dn0000jvTxkwIAC"})
    request = Request("blockers", "001Dn0000jvTxkwIAC")
    text, citations = compose(
        Reading(requests=[request]), {call: blockers_result(redacted)}, TOOLS, CUSTOMER
    )
    assert "standard compliance review" in text and "must act: Compliance" in text
    assert "OFAC" not in text and "Carlos Park" not in text and "Tom Okafor" not in text
    assert citations == []


def test_a_failed_lookup_says_why_instead_of_guessing() -> None:
    error = ToolMessage(
        "salesforce unavailable: timed out after 2.0 s", tool_call_id="1", status="error"
    )
    call = Call.of("get_journey", {"customer": "Acme Bakery LLC"})
    text = answer(Request("status", "Acme Bakery LLC", "Acme Bakery LLC"), call, error, STAFF)
    assert text == (
        "I couldn't look up “Acme Bakery LLC”: salesforce unavailable: timed out after 2.0 s"
    )


KB_HIT = {
    "doc_id": "pos-activation-errors",
    "title": "Activation errors",
    "section": "E-104",
    "text": "E-104: the terminal is not assigned to this location.",
}


def kb_result(*hits: dict) -> ToolMessage:
    return ToolMessage("passages", tool_call_id="2", artifact={"hits": list(hits), "reason": None})


def test_a_tentative_lookup_that_finds_no_customer_gives_way_to_the_documentation() -> None:
    tools = {**TOOLS, "search_knowledge": {}}
    kb = Request("troubleshooting", query="who do I page for a Sev 1 outage")
    lookup = Request("status", "Sev", "Sev", tentative=True)
    results = {
        Call.of("get_journey", {"customer": "Sev"}): failed("unknown", "Sev"),
        Call.of("search_knowledge", {"query": kb.query}): kb_result(KB_HIT),
    }
    text, _ = compose(Reading(requests=[lookup, kb]), results, tools, STAFF)
    assert text.startswith("From the product documentation:")
    assert "Sev”" not in text


def test_a_tentative_search_gives_way_to_the_customer_the_question_named() -> None:
    tools = {**TOOLS, "search_knowledge": {}}
    view = JourneyView(
        account={"id": "001Dn0000iiVwygIAC", "name": "Golden Gate Coffee Roasters"},
        as_of="2026-11-30T15:00:00Z",
        status="live",
        status_reason="every step of the journey is complete",
    )
    probe = Request("troubleshooting", query="is golden gate live", tentative=True)
    lookup = Request("status", "Golden Gate", "Golden Gate", tentative=True)
    results = {
        Call.of("get_journey", {"customer": "Golden Gate"}): ToolMessage(
            "view", tool_call_id="1", artifact=view.model_dump(mode="json")
        ),
        Call.of("search_knowledge", {"query": probe.query}): kb_result(KB_HIT),
    }
    text, citations = compose(Reading(requests=[lookup, probe]), results, tools, STAFF)
    assert text.startswith("*Golden Gate Coffee Roasters* — is *live*")
    assert "documentation" not in text and all(c["system"] != "knowledge" for c in citations)


def portfolio_result(*entries: tuple[str, str]) -> ToolMessage:
    portfolio = {
        "filters": {},
        "as_of": "2026-11-30T15:00:00Z",
        "accounts_considered": len(entries),
        "accounts_fetched": len(entries),
        "entries": [
            {
                "account": {"id": f"001{i}", "name": name},
                "product": "merchant_services",
                "status": status,
                "status_reason": status,
                "current_step": "credit",
                "next_step": None,
                "blockers": [],
                "relationship_manager": None,
                "last_activity_at": None,
                "partial": False,
            }
            for i, (name, status) in enumerate(entries)
        ],
    }
    return ToolMessage("list", tool_call_id="3", artifact=portfolio)


def test_stuck_lists_every_journey_that_is_not_on_track() -> None:
    request = Request("portfolio", filters=Filters(status=NOT_ON_TRACK, step="credit"))
    result = portfolio_result(
        ("Blocked Co", "blocked"), ("Quiet Co", "stalled"), ("Fine Co", "on_track")
    )
    call = Call.of("list_journeys", {})  # schemas unknown here: no filter is accepted
    text, _ = compose(Reading(requests=[request]), {call: result}, TOOLS, STAFF)
    assert "*2 journeys*" in text and "Blocked Co" in text and "Quiet Co" in text
    assert "Fine Co" not in text
    assert "cannot filter by step credit" in text  # said, not silently dropped
