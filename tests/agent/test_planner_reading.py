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


def test_customer_principal_names_go_to_the_tools_which_decide() -> None:
    # The tools refuse another account (tools.policy); the planner must not hide the name.
    reading = read("what is the status of Northwind Traders?", Context(principal=CUSTOMER))
    assert [(r.intent, r.customer, r.said) for r in reading.requests] == [
        ("status", "Northwind Traders", "Northwind Traders")
    ]
    own = read("where are we in onboarding?", Context(principal=CUSTOMER))
    assert [(r.intent, r.customer) for r in own.requests] == [("status", "001Dn0000hKCHEnIAP")]
    listing = read("list all customers that are stalled", Context(principal=CUSTOMER))
    assert {r.intent for r in listing.requests} != {"portfolio"}


@pytest.mark.parametrize(
    ("question", "reply"),
    [
        ("", "empty"),
        ("🙂🙂🙂", "empty"),
        ("¿Dónde está el proceso de Acme Bakery LLC?", "foreign"),
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
    # Read up to MAX_CHARS only: the name is found, the padding costs nothing.
    assert asked("where is Acme Bakery LLC " + "blah " * 2000) == [("status", "Acme Bakery LLC")]


# --- readings the tools judge: tentative requests ------------------------------------------------


def tentative(question: str, principal: Principal = STAFF) -> list[tuple[str, str | None, bool]]:
    reading = read(question, Context(principal=principal))
    return [(r.intent, r.customer, r.tentative) for r in reading.requests]


@pytest.mark.parametrize(
    ("question", "customer"),
    [
        ("Is Golden Gate Coffee Roasters live?", "Golden Gate Coffee Roasters"),
        ("summarize Meridian Health Partners", "Meridian Health Partners"),
        ("Bayou City Staffing - CRM says Live, are they live?", "Bayou City Staffing"),
        ("Acme Bakeries Inc — CRM says KYC, is that right?", "Acme Bakeries Inc"),
        ("Denise McAllister asked about her application", "Denise McAllister"),
    ],
)
def test_a_name_with_no_clear_question_asks_for_its_status(question: str, customer: str) -> None:
    assert ("status", customer) in asked(question)


def test_cue_words_inside_a_name_are_the_name() -> None:
    # "Staffing" is not a request for staff, "State" not a status question.
    assert asked("Bayou City Staffing, are they live?") == [("status", "Bayou City Staffing")]


def test_a_capitalised_word_without_a_question_is_looked_up_tentatively() -> None:
    reading = read("what's the weather going to be like tomorrow in Portland?", Context(STAFF))
    assert reading.requests and all(r.tentative for r in reading.requests)


@pytest.mark.parametrize(
    "question",
    [
        "pinpad shows a tamper warning",
        "printer won't print receipts",
        "what is the risk threshold for ACH exposure limits?",
        "who do I page for a Sev 1 POS terminal outage?",
    ],
)
def test_how_what_why_of_products_and_processes_go_to_the_documentation(question: str) -> None:
    assert [(i, c) for i, c, _ in tentative(question)] == [("troubleshooting", None)]


def test_a_topical_question_without_a_customer_probes_the_documentation() -> None:
    # Not clearly documentation, not clearly a customer: the search's relevance decides, and
    # without a hit the answer asks which customer.
    reading = read("Who should I escalate an OFAC hit to?", Context(principal=STAFF))
    assert [(r.intent, r.customer) for r in reading.requests] == [("troubleshooting", None)]


def test_an_error_at_a_named_customer_asks_both() -> None:
    assert tentative("terminal says E-104 at Lone Star BBQ, what do I do?") == [
        ("status", "Lone Star BBQ", True),
        ("troubleshooting", None, False),
    ]


def test_a_customer_troubleshooting_question_goes_to_the_documentation_only() -> None:
    question = "my pinpad shows a tamper warning, what should I do?"
    assert [i for i, _, _ in tentative(question, CUSTOMER)] == ["troubleshooting"]


def test_contact_details_are_asked_not_sent() -> None:
    reading = read("who is my relationship manager and what's their email?", Context(CUSTOMER))
    assert {r.intent for r in reading.requests} == {"owner"}


@pytest.mark.parametrize(
    ("question", "args"),
    [
        ("anything blocked at the vendor?", {"blocker": "vendor_dependency"}),
        ("which customers are waiting on a vendor?", {"blocker": "vendor_dependency"}),
        (
            "which journeys in Marcus Bell's book are blocked on the client?",
            {"blocker": "waiting_on_client", "owner": "Marcus Bell"},
        ),
        ("which clients have a screening hit?", {"blocker": "screening_hit"}),
        ("which journeys have a stale CRM stage?", {"stale_crm": True}),
        (
            "which merchant services customers are blocked at activation?",
            {"status": "blocked", "step": "activation", "product": "merchant_services"},
        ),
        ("what's overdue?", {"overdue": True}),
        (
            "who is waiting on the client in Dana's book?",
            {"blocker": "waiting_on_client", "owner": "Dana"},
        ),
        ("what's on the Merchant Services team's plate?", {"team": "Merchant Services"}),
    ],
)
def test_list_filters_beyond_status(question: str, args: dict[str, object]) -> None:
    reading = read(question, Context(principal=STAFF))
    assert [r.intent for r in reading.requests] == ["portfolio"]
    assert reading.requests[0].filters.list_args() == args


def test_stuck_means_any_status_that_is_not_on_track() -> None:
    (request,) = read("what's stuck in credit?", Context(principal=STAFF)).requests
    assert request.filters.list_args() == {"step": "credit"}
    assert [
        s for s in ("blocked", "stalled", "at_risk", "on_track", "live") if request.filters.keeps(s)
    ] == ["blocked", "stalled", "at_risk"]


@pytest.mark.parametrize(
    ("question", "step"),
    [("What's the SLA for KYC?", "kyc"), ("how long should credit approval take?", "credit")],
)
def test_a_step_sla_question_is_not_a_list(question: str, step: str) -> None:
    (request,) = read(question, Context(principal=STAFF)).requests
    assert (request.intent, request.filters.step) == ("step_sla", step)
