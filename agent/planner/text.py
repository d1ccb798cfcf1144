"""Text normalisation and word comparison: the planner never compares raw strings.

A question is cut into ``Token``s that keep the user's spelling (capitals help to spot names)
next to a normalised form: case-folded, accents removed, contractions expanded. Words are
compared with ``same_word``: equal, equal after light stemming, or — for words long enough
for an edit to be a typo rather than another word — one edit in five or fewer (rapidfuzz's
optimal string alignment, so swapped letters count as one edit). A ``Vocabulary`` indexes a
fixed set of known words so that a typed word finds all those it is the same word as without
being compared with each of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

# Longer than this, a question is read only up to here: intents and names come early, and a
# 10,000-character paste must not cost more than a normal question.
MAX_CHARS = 2000
TYPO_MIN_LEN = 4  # typed; the lexicon word must be one longer ("wher" → "where")
TYPO_SIMILARITY = 0.8  # optimal-string-alignment: a swap (blokcing) is one edit

# Typographic quotes and dashes (as phones type them) → ASCII.
_QUOTES = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
    }
)
# Contractions expanded before tokenising, so "what's" and "whats" both read "what is".
_CONTRACTIONS = [
    (re.compile(r"\b(can)'?t\b"), r"\1 not"),
    (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\b(\w+)n't\b"), r"\1 not"),
    (re.compile(r"\b(what|who|where|whats|how|that|there|it|when|why)'s\b"), r"\1 is"),
    (re.compile(r"\b(what|who|where|how|that|there|when|why)s\b"), r"\1 is"),
    (re.compile(r"\b(i|you|we|they)'(re|ve|ll|d|m)\b"), r"\1 \2"),
]
# A word: letters/digits, keeping inner . @ _ - ' # so ids, emails, codes and names survive.
_WORD = re.compile(r"#?\w(?:[\w.@'\-]*\w)?|&", re.UNICODE)
_HYPHENATED = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")
_SUFFIXES = ("ings", "ing", "ers", "ies", "ed", "er", "es", "s", "ly")


@dataclass(frozen=True)
class Token:
    raw: str  # as typed (possessive stripped)
    norm: str  # case-folded, accents removed
    start: int  # character offset in the normalised question
    possessive: bool = False  # written with 's ("Dana's book"): it owns what follows

    @property
    def capitalised(self) -> bool:
        return self.raw[:1].isupper()


def fold(text: str) -> str:
    """Case-folded, accent-free, straight quotes: the form every comparison uses."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def expand(text: str) -> str:
    """``text`` (already folded) with contractions spelled out."""
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def tokens(text: str) -> list[Token]:
    """The words of ``text``; capitals of the original are kept in ``raw``."""
    clipped = unicodedata.normalize("NFKC", text[:MAX_CHARS]).translate(_QUOTES)
    # The user's spelling of each word, looked up by its folded form (expansion of
    # contractions changes offsets, so words are matched by form, not by position).
    spelled = {fold(w).strip("'"): w.strip("'") for w in re.findall(r"[\w'.@\-]+", clipped)}
    out = []
    for match in _WORD.finditer(expand(fold(clipped))):
        norm = match.group().rstrip("'")
        raw = spelled.get(norm, norm)
        possessive = norm.endswith("'s")
        if possessive:
            raw, norm = raw[:-2], norm[:-2]
        if _HYPHENATED.fullmatch(norm):  # "at-risk", "hold-up": two words; E-104 stays one
            out += [
                Token(raw=r, norm=n, start=match.start())
                for r, n in zip(raw.split("-"), norm.split("-"), strict=False)
            ]
        elif norm:
            out.append(Token(raw=raw, norm=norm, start=match.start(), possessive=possessive))
    return out


def stem(word: str) -> str:
    """A crude stem: enough for blocked/blocking/blockers or happened/happening to meet."""
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=65536)
def same_word(typed: str, known: str) -> bool:
    """Whether the user's ``typed`` word is the lexicon word ``known`` (typos allowed)."""
    if typed == known or stem(typed) == stem(known):
        return True
    # Typos rarely hit the first two letters; requiring them keeps "lunch" from "launch".
    if len(typed) < TYPO_MIN_LEN or len(known) <= TYPO_MIN_LEN or typed[:2] != known[:2]:
        return False
    return (
        max(
            OSA.normalized_similarity(typed, known),
            OSA.normalized_similarity(stem(typed), stem(known)),
        )
        >= TYPO_SIMILARITY
    )


class Vocabulary:
    """Known words, indexed for ``matches``: the known words a typed word is the same word as.

    ``same_word`` holds for equal stems (one bucket per stem) or for a typo, which needs the
    same first two letters and a known word longer than ``TYPO_MIN_LEN``; so a typed word is
    compared with the few known words that share its first two letters, not with all of them.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        self._by_stem: dict[str, list[str]] = {}
        self._by_head: dict[str, list[str]] = {}
        for word in sorted(self.words):
            self._by_stem.setdefault(stem(word), []).append(word)
            if len(word) > TYPO_MIN_LEN:
                self._by_head.setdefault(word[:2], []).append(word)
        # Per instance, so that each vocabulary keeps its own recent typed words.
        self.matches = lru_cache(maxsize=8192)(self._matches)

    def __contains__(self, word: str) -> bool:
        return word in self.words

    def _matches(self, typed: str) -> frozenset[str]:
        """Every known word ``w`` with ``same_word(typed, w)``."""
        found = set(self._by_stem.get(stem(typed), ()))
        if len(typed) >= TYPO_MIN_LEN:
            found.update(w for w in self._by_head.get(typed[:2], ()) if same_word(typed, w))
        return frozenset(found)


def letters(text: str) -> bool:
    """Whether ``text`` holds any letter or digit at all (emoji-only input does not)."""
    return any(c.isalnum() for c in text)
