"""Lexical retrieval: BM25 over the stored chunks, with tokens that keep error codes whole.

Support questions hinge on exact strings — ``E-104``, ``R03``, ``PIN-pad`` — that embeddings blur.
The tokenizer joins hyphenated codes (``E-104``, ``E104`` → ``e104``) and also keeps their parts,
so every way of writing a code matches. Misspelt words are mapped to the nearest word of the
corpus; codes never are: ``E-105`` must not find ``E-104``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rank_bm25 import BM25Okapi
from rapidfuzz import fuzz, process

from knowledge.chunking import Chunk
from knowledge.filters import ChunkFilter

_WORD = re.compile(r"[a-z0-9]+(?:[-_/.][a-z0-9]+)*")
_SEPARATOR = re.compile(r"[-_/.]")
# Error and return codes as written in the docs: letters then digits (E-104 → e104, R03 → r03).
_CODE = re.compile(r"^[a-z]{1,3}\d{2,5}$")

# One string rather than a 100-line literal; SIM905 prefers the literal.
STOP_WORDS = frozenset(
    """a an and are as at be been but by can could did do does doing for from had has have how
    i if in into is it its me my of on or our so than that the their them then there these
    they this to was we were what when where which while who why will with would you your
    yours am any all also after before about again just only not no nor off out over own
    same some such too very should shall may might must up down here both each few more most
    other""".split()  # noqa: SIM905
)

# Below this rapidfuzz ratio a query word is left as it is rather than guessed. Only words of
# FUZZY_MIN_LENGTH letters or more are corrected, and only to words with the same first letter
# (typos rarely hit it): "jamed" must not become "named".
FUZZY_CUTOFF = 80
FUZZY_MIN_LENGTH = 5


def tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    for word in _WORD.findall(text.lower()):
        parts = [part for part in _SEPARATOR.split(word) if part]
        if len(parts) > 1:
            tokens.append("".join(parts))
        tokens.extend(part for part in parts if part not in STOP_WORDS)
    return tokens


def is_code(token: str) -> bool:
    return bool(_CODE.match(token))


def _has_digit(token: str) -> bool:
    return any(ch.isdigit() for ch in token)


@dataclass(frozen=True)
class LexicalMatch:
    chunk_id: str
    chunk: Chunk
    score: float


class Bm25Index:
    def __init__(self, entries: Sequence[tuple[str, Chunk]]) -> None:
        self._entries = list(entries)
        corpus = [tokenize(chunk.embedding_text()) for _, chunk in self._entries]
        self._token_sets = [frozenset(tokens) for tokens in corpus]
        self.vocabulary = frozenset().union(*self._token_sets)
        self._by_initial: dict[str, list[str]] = {}
        for token in sorted(self.vocabulary):
            self._by_initial.setdefault(token[0], []).append(token)
        # BM25Okapi divides by the corpus size: an empty store has no index at all.
        self._bm25 = BM25Okapi(corpus) if corpus else None

    def correct_spelling(self, text: str) -> str:
        """``text`` (lower-cased) with misspelt words replaced by the closest corpus word.

        Both rankings search the corrected text: the embedding of "chargbacks" is far from the
        one of "chargebacks", and BM25 matches whole tokens only.
        """
        return _WORD.sub(lambda match: self._correct(match.group(0)), text.lower())

    def mentions(self, token: str, where: ChunkFilter) -> bool:
        """Whether any chunk visible through ``where`` contains ``token``."""
        return token in self.vocabulary and any(
            token in tokens and where.accepts(chunk)
            for tokens, (_, chunk) in zip(self._token_sets, self._entries, strict=True)
        )

    def search(self, tokens: Sequence[str], limit: int, where: ChunkFilter) -> list[LexicalMatch]:
        """Chunks sharing at least one token with the query, best first."""
        if self._bm25 is None or not tokens:
            return []
        wanted = set(tokens)
        scores = self._bm25.get_scores(list(tokens))
        # Sharing a token is checked directly: Okapi's IDF is ~0 for a word in half the chunks,
        # so a zero score does not mean "no match".
        candidates = [
            i
            for i, (chunk_tokens, (_, chunk)) in enumerate(
                zip(self._token_sets, self._entries, strict=True)
            )
            if not wanted.isdisjoint(chunk_tokens) and where.accepts(chunk)
        ]
        candidates.sort(key=lambda i: scores[i], reverse=True)
        return [
            LexicalMatch(self._entries[i][0], self._entries[i][1], float(scores[i]))
            for i in candidates[:limit]
        ]

    def _correct(self, token: str) -> str:
        # Anything with a digit is an identifier of some kind: only an exact match is a match.
        # Hyphenated words (pin-pad, e-104) are matched through their parts instead.
        if (
            token in self.vocabulary
            or _has_digit(token)
            or len(token) < FUZZY_MIN_LENGTH
            or _SEPARATOR.search(token)
        ):
            return token
        candidates = self._by_initial.get(token[0], [])
        best = process.extractOne(token, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return best[0] if best else token
