"""Finding the lexicon's phrases in a question.

A phrase occurs where its words follow each other, each the ``same_word`` as the typed one.
Comparing every phrase at every position costs (phrases x tokens) comparisons per clause; here
each token is looked up once in the vocabulary of every word the lexicon's phrases use
(``text.Vocabulary``), and a phrase is then found from the positions of its words.
"""

from __future__ import annotations

from functools import lru_cache

from agent.planner.lexicon import (
    BLOCKER_WORDS,
    CRM_WORDS,
    INTENT_CUES,
    OVERDUE_WORDS,
    PRODUCT_WORDS,
    SLA_WORDS,
    STALE_WORDS,
    STATUS_WORDS,
    STEP_WORDS,
    TEAMS,
)
from agent.planner.text import Token, Vocabulary, fold, same_word


def _lexicon_phrases() -> list[str]:
    phrases = [cue for cues in INTENT_CUES.values() for cue in cues]
    for vocabulary in (STATUS_WORDS, STEP_WORDS, PRODUCT_WORDS, BLOCKER_WORDS):
        phrases += [phrase for options in vocabulary.values() for phrase in options]
    phrases += [*OVERDUE_WORDS, *CRM_WORDS, *STALE_WORDS, *SLA_WORDS]
    return phrases + [fold(team) for team in TEAMS]


LEXICON = Vocabulary(word for phrase in _lexicon_phrases() for word in phrase.split())


@lru_cache(maxsize=1024)
def _words_of(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.split())


class Occurrences:
    """Where each lexicon word occurs among one clause's tokens."""

    def __init__(self, words: list[Token]) -> None:
        self.words = words
        self._at: dict[str, list[int]] = {}
        for index, word in enumerate(words):
            for known in LEXICON.matches(word.norm):
                self._at.setdefault(known, []).append(index)

    def positions(self, known: str) -> list[int]:
        """The token indices, in order, where ``known`` is typed (inflected or misspelt)."""
        if known in LEXICON:
            return self._at.get(known, [])
        # Not a lexicon word (a caller's own phrase): compare it with every token.
        return [i for i, word in enumerate(self.words) if same_word(word.norm, known)]

    def find(self, phrase: str) -> list[range]:
        """Every run of tokens that reads ``phrase``, in order of position."""
        words = _words_of(phrase)
        starts = self.positions(words[0])
        if not starts:  # most phrases: then this is all the work
            return []
        return [
            range(start, start + len(words))
            for start in starts
            if all(start + k in self.positions(words[k]) for k in range(1, len(words)))
        ]
