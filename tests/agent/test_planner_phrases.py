"""The phrase index finds exactly what comparing every phrase at every position would."""

from __future__ import annotations

import pytest

from agent.planner.phrases import LEXICON, Occurrences
from agent.planner.text import Vocabulary, same_word, tokens


@pytest.mark.parametrize(
    "typed", ["blokcing", "stauts", "blocked", "where", "wher", "lunch", "kyc", "docs", "x"]
)
def test_vocabulary_matches_are_every_same_word(typed: str) -> None:
    assert LEXICON.matches(typed) == {w for w in LEXICON.words if same_word(typed, w)}


def test_vocabulary_of_its_own() -> None:
    vocabulary = Vocabulary(["launch", "blocking"])
    assert vocabulary.matches("blokcing") == {"blocking"}
    assert vocabulary.matches("lunch") == frozenset()


@pytest.mark.parametrize(
    ("question", "phrase", "spans"),
    [
        ("how far along is Acme", "far along", [range(1, 3)]),
        ("any news? any news at all", "any news", [range(0, 2), range(2, 4)]),
        ("what is blokcing Acme", "blocking", [range(2, 3)]),
        ("Treasury Implementation has it", "treasury", [range(0, 1)]),
        ("along far", "far along", []),
        ("far", "far along", []),
    ],
)
def test_occurrences_find_phrases_in_order(question: str, phrase: str, spans: list[range]) -> None:
    assert Occurrences(tokens(question)).find(phrase) == spans


def test_words_outside_the_lexicon_are_still_found() -> None:
    assert "zanzibar" not in LEXICON
    assert Occurrences(tokens("the Zanzibr desk")).find("zanzibar") == [range(1, 2)]
