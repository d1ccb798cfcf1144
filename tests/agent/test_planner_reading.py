"""Intent detection, slot filling and entity extraction of the local planner (no tools)."""

from __future__ import annotations

import pytest

from agent.planner.memory import Context, Customer, pick
from agent.planner.reading import read
from agent.planner.slots import error_codes, identifiers
from agent.planner.text import same_word, tokens
from tools.policy import Principal

STAFF = Principal(kind="staff", id="dana.whitfield@demo-bank.example", role="relationship_manager")
CUSTOMER = Principal(kind="customer", id="portal-1", account_id="001Dn0000hKCHEnIAP")


def asked(question: str, context: Context | None = None) -> list[tuple[str, str | None]]:
    reading = read(question, context or Context(principal=STAFF))
    return [(r.intent, r.customer) for r in reading.requests]


@pytest.mark.parametrize(
    ("question", "intent", "customer"),
    [
        ("Where does Harbor Lights Cafe stand right now?", "status", "Harbor Lights Cafe"),
        ("any news on quill & ink stationers", "status", "quill & ink stationers"),
        ("what remains to be done for Vantage Dental", "next_step", "Vantage Dental"),
        ("Whose plate is Tidewater Supply on?", "owner", "Tidewater Supply"),
        ("who's handling Bramble Bakehouse these days", "owner", "Bramble Bakehouse"),
        ("Why is Copperline Freight stuck?", "blockers", "Copperline Freight"),
        ("what's the snag with Orchard Row Cidery", "blockers", "Orchard Row Cidery"),
        ("walk me through what happened on Pier 9 Fisheries", "history", "Pier 9 Fisheries"),
        ("where would I locate Halcyon Spa's boarding records?", "sources", "Halcyon Spa"),
    ],
)
def test_intent_and_customer_of_unseen_wordings(question: str, intent: str, customer: str) -> None:
    assert (intent, customer) in asked(question)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("whats blokcing northwnd traders", "blockers"),  # swapped letters, dropped letter
        ("wher is pincrest pet suply", "status"),
        ("who ownes the nxt step for Sandhill", "owner"),
        ("histroy of Lakeside Yoga", "history"),
    ],
)
def test_typos_in_cue_words(question: str, intent: str) -> None:
    assert intent in [i for i, _ in asked(question)]


def test_typo_tolerance_does_not_merge_different_words() -> None:
    assert same_word("blokcing", "blocking") and same_word("stauts", "status")
    assert not same_word("lunch", "launch") and not same_word("living", "live")


@pytest.mark.parametrize(
    ("question", "filters"),
    [
        (
            "which of my clients are stalled?",
            {"status": "stalled", "owner": "dana.whitfield@demo-bank.example"},
        ),
        ("what is blocked in KYC?", {"status": "blocked", "step": "kyc"}),
        (
            "list the at-risk treasury deals",
            {"status": "at_risk", "product": "treasury_management"},
        ),
        ("what's sitting with Treasury Implementation?", {"team": "Treasury Implementation"}),
        (
            "which of Marcus Bell's accounts have gone quiet",
            {"status": "stalled", "owner": "Marcus Bell"},
        ),
    ],
)
def test_portfolio_filters(question: str, filters: dict[str, str]) -> None:
    reading = read(question, Context(principal=STAFF))
    assert [r.intent for r in reading.requests] == ["portfolio"]
    assert reading.requests[0].filters.list_args() == filters


def test_several_intents_and_customers_in_one_message() -> None:
    requests = asked(
        "Where is Sunrise Auto Repair and what's blocking it? Also who owns Evergreen Florist"
    )
    assert requests == [
        ("status", "Sunrise Auto Repair"),
        ("blockers", "Sunrise Auto Repair"),
        ("owner", "Evergreen Florist"),
    ]


def test_list_then_them_in_one_message_waits_for_the_list() -> None:
    reading = read(
        "which of my clients are stalled, and what's blocking them?", Context(principal=STAFF)
    )
    assert [(r.intent, r.from_list) for r in reading.requests] == [
        ("portfolio", False),
        ("blockers", True),
    ]


def test_identifiers_are_passed_as_they_are() -> None:
    text = (
        "see #1288, ticket 1260, 001Dn0000hKCHEnIAP, jo@acme.example and "
        "tmr_9p8bkkCjiNwrGf6rWiQU7VAs"
    )
    assert identifiers(text) == [
        "#1288",
        "#1260",
        "001Dn0000hKCHEnIAP",
        "jo@acme.example",
        "tmr_9p8bkkCjiNwrGf6rWiQU7VAs",
    ]
    assert error_codes("reader shows E-104, then R03 and PP-03 (W-9 missing)") == [
        "E-104",
        "R03",
        "PP-03",
    ]


def test_error_code_goes_to_troubleshooting_not_to_a_customer() -> None:
    assert asked("terminal shows E-104 during activation") == [("troubleshooting", None)]


def test_possessives_hyphens_and_apostrophes_in_names() -> None:
    words = [t.raw for t in tokens("O'Brien's Hardware's hold-up")]
    assert words == ["O'Brien", "Hardware", "hold", "up"]
    assert ("sources", "O'Brien Hardware") in asked(
        "where do I find O'Brien's Hardware's KYC documents?"
    )


def test_pronouns_and_ellipsis_use_the_previous_turn() -> None:
    context = Context(
        principal=STAFF, focus=[Customer("001Dn0000ElCwT0IQK", "Crescent Moon Imports")]
    )
    assert asked("and what's blocking them?", context) == [("blockers", "001Dn0000ElCwT0IQK")]
    assert asked("who has it?", context) == [("owner", "001Dn0000ElCwT0IQK")]


def test_reply_to_a_clarifying_question_picks_a_candidate() -> None:
    options = [
        Customer("001A", "Acme Bakeries Inc"),
        Customer("001B", "Acme Bakery LLC"),
        Customer("001C", "ACME Baking Co"),
    ]
    assert pick("the LLC one", options) == options[1]
    assert pick("the second", options) == options[1]
    assert pick("acme", options) is None  # still ambiguous: ask again, never guess
    context = Context(principal=STAFF, candidates=options)
    assert asked("the baking co please", context) == [("status", "001C")]


def test_customer_principal_is_always_asked_about_their_own_account() -> None:
    reading = read("what is the status of Northwind Traders?", Context(principal=CUSTOMER))
    assert [(r.intent, r.customer, r.said) for r in reading.requests] == [
        ("status", "001Dn0000hKCHEnIAP", "Northwind Traders")
    ]
    listing = read("list all customers that are stalled", Context(principal=CUSTOMER))
    assert {r.intent for r in listing.requests} != {"portfolio"}


@pytest.mark.parametrize(
    ("question", "reply"),
    [
        ("", "empty"),
        ("🙂🙂🙂", "empty"),
        ("¿Dónde está el proceso de Acme Bakery LLC?", "foreign"),
        ("what's the weather going to be like tomorrow in Portland?", "out_of_scope"),
        ("tell me a joke", "out_of_scope"),
        ("what can you do?", "help"),
        ("who has it?", "which_customer"),
    ],
)
def test_questions_answered_without_tools(question: str, reply: str) -> None:
    reading = read(question, Context(principal=STAFF))
    assert (reading.reply, reading.requests) == (reply, [])


def test_hostile_input_is_read_without_crashing() -> None:
    assert asked("status of Acme' OR Name LIKE '%") == [("status", "Acme")]
    long = read("where is Acme Bakery LLC " + "blah " * 2000, Context(principal=STAFF))
    assert long.reply == "out_of_scope" and long.requests == []
