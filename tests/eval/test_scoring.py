"""Scoring one turn: communicate_info, forbidden_info, expected_tools, expected_docs."""

from __future__ import annotations

from typing import Any

import pytest

from agent.answer import AgentAnswer, ToolCallRecord
from agent.citations import Citation
from eval.cases import Turn
from eval.scoring import normalize, score_turn


def answer(text: str, calls: list[tuple[str, dict[str, Any]]] = (), **extra: Any) -> AgentAnswer:
    return AgentAnswer(
        answer=text,
        tool_calls=[ToolCallRecord(name=n, args=a) for n, a in calls],
        thread_id="t",
        model="test",
        **extra,
    )


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("Limit is $12,500.00", "12500"),
        ("Limit is $12500", "12,500"),
        ("**BLOCKED** in `KYC`", "blocked in kyc"),
        ("missing_documents", "missing_documents"),
        ("held by\nTom   Okafor", "Tom Okafor"),
        ("\uff21\uff23\uff2d\uff25 Baking", "acme baking"),  # full-width letters (NFKC)
        ("Straße", "STRASSE"),  # casefold, not lower
    ],
)
def test_text_matches_ignore_case_spacing_and_commas_in_numbers(text: str, needle: str):
    assert normalize(needle) in normalize(text)


def test_commas_between_words_are_kept():
    assert normalize("Acme, Inc") == "acme, inc"
    assert normalize("Acme Inc") not in normalize("Acme, Inc")


def test_every_communicate_info_string_must_appear():
    turn = Turn(user="q", communicate_info=["blocked", "Tom Okafor", "Hannah Cho"])
    verdict = score_turn(turn, answer("Blocked: Tom Okafor has it."))
    assert not verdict.passed
    assert verdict.failures == ["missing 'Hannah Cho'"]


def test_a_forbidden_string_fails_in_the_answer_or_a_citation():
    turn = Turn(user="q", forbidden_info=["screening alert", "001Dn0000SNGsiEIQT"])
    in_text = score_turn(turn, answer("There is a Screening  Alert on file."))
    citation = Citation(
        system="salesforce",
        record_id="x",
        label="salesforce Account x",
        link="https://crm/r/Account/001Dn0000SNGsiEIQT/view",
    )
    in_link = score_turn(turn, answer("All fine.", citations=[citation]))
    clean = score_turn(turn, answer("All fine."))

    assert in_text.forbidden_hits == ["screening alert"] and not in_text.passed
    assert in_link.forbidden_hits == ["001Dn0000SNGsiEIQT"]
    assert clean.passed and clean.forbidden_hits == []


def test_expected_tools_match_by_name_and_the_arguments_given():
    turn = Turn.model_validate(
        {
            "user": "q",
            "expected_tools": [
                {"name": "get_journey", "args": {"customer": "Acme Bakery LLC"}},
                {"name": "list_journeys", "args": {"status": "stalled"}},
                {"name": "explain_blocker"},
            ],
        }
    )
    calls = [
        ("explain_blocker", {"customer": "Northwind"}),
        ("get_journey", {"customer": "acme  bakery llc"}),
        ("list_journeys", {"status": "stalled", "owner": "dana.whitfield@demo-bank.example"}),
    ]
    assert score_turn(turn, answer("ok", calls)).passed


@pytest.mark.parametrize(
    "calls",
    [
        [],
        [("get_journey", {"customer": "Acme Bakeries Inc"})],  # another argument value
        [("explain_blocker", {"customer": "Acme Bakery LLC"})],  # another tool
        [("get_journey", {"query": "Acme Bakery LLC"})],  # the argument is missing
    ],
)
def test_a_missing_or_different_call_fails_and_says_what_was_made(calls):
    turn = Turn.model_validate(
        {
            "user": "q",
            "expected_tools": [{"name": "get_journey", "args": {"customer": "Acme Bakery LLC"}}],
        }
    )
    verdict = score_turn(turn, answer("ok", calls))
    (failure,) = verdict.failures
    assert failure.startswith("no call get_journey(customer='Acme Bakery LLC') (made: ")
    assert ("none" in failure) == (not calls)


def test_non_string_arguments_compare_exactly():
    turn = Turn.model_validate(
        {"user": "q", "expected_tools": [{"name": "journey_timeline", "args": {"limit": 5}}]}
    )
    assert score_turn(turn, answer("ok", [("journey_timeline", {"limit": 5})])).passed
    assert not score_turn(turn, answer("ok", [("journey_timeline", {"limit": "5"})])).passed


def test_expected_docs_must_be_cited():
    turn = Turn(user="q", expected_docs=["pos-terminal-activation"])
    cited = Citation(
        system="knowledge",
        record_id="pos-terminal-activation",
        label="pos-terminal-activation § E-104",
    )
    assert score_turn(turn, answer("Restart the reader.", citations=[cited])).passed
    named_only = score_turn(turn, answer("See pos-terminal-activation."))
    assert named_only.failures == ["doc 'pos-terminal-activation' not cited"]
