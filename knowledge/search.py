"""Hybrid retrieval: dense (Chroma) and BM25 rankings fused by reciprocal rank.

Relevance is decided before ranking, so a question the corpus cannot answer gets "nothing
relevant found" with the reason, never the nearest noise:

- an empty, over-long or stop-words-only query is refused;
- a query naming an error code (``E-104``, ``R03``) that no visible doc mentions finds nothing —
  the closest *other* code would be a wrong answer, not a near one;
- otherwise the best dense match must reach ``score_threshold`` (cosine similarity), unless
  the query's codes are found verbatim.

In hybrid mode, chunks containing a code of the query rank ahead of the rest (see
``prefer_exact_codes``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel

from config import KnowledgeSettings
from knowledge.bm25 import Bm25Index, is_code, tokenize
from knowledge.chunking import Chunk
from knowledge.documents import Audience
from knowledge.embeddings import Embedder, MiniLmEmbedder
from knowledge.filters import ChunkFilter
from knowledge.store import KnowledgeStore, open_store

Mode = Literal["hybrid", "dense", "bm25"]
MODES: tuple[Mode, ...] = ("dense", "bm25", "hybrid")

MAX_QUERY_CHARS = 1000
# Each ranking contributes this many candidates to the fusion.
CANDIDATES = 30
# The usual RRF constant (Cormack et al. 2009): damps the weight of the very first ranks.
RRF_K = 60
# BM25's vote counts half of the dense one: on the dev set (eval/retrieval/dev.jsonl) equal
# weights let keyword overlap push the right doc to rank 2 for paraphrased questions, while the
# exactness BM25 is needed for — codes — is enforced by ``prefer_exact_codes`` anyway.
DENSE_WEIGHT = 1.0
BM25_WEIGHT = 0.5


class Hit(BaseModel):
    doc_id: str
    title: str
    section: str
    product: str
    audience: Audience
    score: float
    text: str

    @property
    def citation(self) -> str:
        return f"{self.doc_id} § {self.section}"


class SearchResult(BaseModel):
    query: str
    hits: list[Hit]
    # Set when ``hits`` is empty: why nothing relevant was found, in words for the user.
    reason: str | None = None


@dataclass(frozen=True)
class _Ranked:
    chunk_id: str
    chunk: Chunk
    score: float


class KnowledgeSearch:
    def __init__(self, store: KnowledgeStore, embedder: Embedder, score_threshold: float) -> None:
        self._store = store
        # Evaluations and repeated questions embed the same text again; ~15 ms saved each time.
        self._embed_query = lru_cache(maxsize=512)(embedder.embed_query)
        self._threshold = score_threshold
        self._index_lock = threading.Lock()
        self._index: Bm25Index | None = None
        self._index_version: str | None = None

    def search(
        self,
        query: str,
        audience: Audience,
        product: str | None = None,
        limit: int = 5,
        mode: Mode = "hybrid",
    ) -> SearchResult:
        """The best ``limit`` chunks ``audience`` may see, or none with the reason.

        ``mode`` other than hybrid exists to compare the rankings (``baton eval``); the "bm25"
        mode has no similarity threshold.
        """
        text = query.strip()
        if not text:
            return _nothing(query, "the query is empty")
        if len(text) > MAX_QUERY_CHARS:
            return _nothing(
                query, f"the query is too long ({len(text)} characters, at most {MAX_QUERY_CHARS})"
            )
        index = self._current_index()
        if not index.vocabulary:
            return _nothing(query, "the knowledge base is empty (run `baton ingest`)")
        text = index.correct_spelling(text)
        tokens = tokenize(text)
        if not tokens:
            return _nothing(query, "the query has no searchable words")
        where = ChunkFilter(audience=audience, product=product)
        codes = sorted({token for token in tokens if is_code(token)})
        known_codes = [code for code in codes if index.mentions(code, where)]
        if codes and not known_codes:
            shown = ", ".join(_as_written(code, query) for code in codes)
            return _nothing(query, f"no document mentions {shown}")

        dense: list[_Ranked] = []
        if mode != "bm25":
            dense, best = self._dense_ranking(text, where)
            if best < self._threshold and not known_codes:
                return _nothing(
                    query,
                    f"no passage is close enough (best similarity {best:.2f}, "
                    f"threshold {self._threshold:.2f})",
                )
        lexical = [
            _Ranked(m.chunk_id, m.chunk, m.score) for m in index.search(tokens, CANDIDATES, where)
        ]
        ranked = _combine(mode, dense, lexical, known_codes)
        if not ranked:
            return _nothing(query, "no passage matched")
        return SearchResult(query=query, hits=[_hit(r) for r in ranked[:limit]])

    def _dense_ranking(self, text: str, where: ChunkFilter) -> tuple[list[_Ranked], float]:
        """Nearest chunks at or above the threshold, and the best similarity seen."""
        matches = self._store.dense(self._embed_query(text), CANDIDATES, where.where())
        best = matches[0].similarity if matches else 0.0
        ranked = [
            _Ranked(m.chunk_id, m.chunk, m.similarity)
            for m in matches
            if m.similarity >= self._threshold
        ]
        return ranked, best

    def _current_index(self) -> Bm25Index:
        """The BM25 index, rebuilt when an ingest (in any process) changed the store."""
        version = self._store.corpus_version()
        with self._index_lock:
            if self._index is None or version != self._index_version:
                self._index = Bm25Index(self._store.chunks())
                self._index_version = version
            return self._index


def _combine(
    mode: Mode, dense: list[_Ranked], lexical: list[_Ranked], codes: Sequence[str]
) -> list[_Ranked]:
    if mode == "dense":
        return dense
    if mode == "bm25":
        return lexical
    fused = reciprocal_rank_fusion([(dense, DENSE_WEIGHT), (lexical, BM25_WEIGHT)])
    return prefer_exact_codes(fused, codes)


def reciprocal_rank_fusion(
    rankings: Sequence[tuple[Sequence[_Ranked], float]], k: int = RRF_K
) -> list[_Ranked]:
    """One ranking from several ``(ranking, weight)``: each item scores Σ weight / (k + rank)
    over the lists it is in."""
    scores: dict[str, float] = {}
    chunks: dict[str, Chunk] = {}
    for ranking, weight in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item.chunk_id] = scores.get(item.chunk_id, 0.0) + weight / (k + rank)
            chunks[item.chunk_id] = item.chunk
    order = sorted(scores, key=lambda chunk_id: scores[chunk_id], reverse=True)
    return [_Ranked(chunk_id, chunks[chunk_id], scores[chunk_id]) for chunk_id in order]


def prefer_exact_codes(ranked: Sequence[_Ranked], codes: Sequence[str]) -> list[_Ranked]:
    """Chunks that contain one of the query's codes first, each group keeping its order.

    Fusion alone lets a chunk about *activation* in general outrank the one about E-104 when the
    query says "E-104 during activation"; the code is the most specific thing the user said.
    """
    if not codes:
        return list(ranked)
    wanted = set(codes)

    def lacks_code(item: _Ranked) -> bool:
        # Section and text only: a title listing codes ("R01, R02, R03 …") is on every chunk.
        return wanted.isdisjoint(tokenize(f"{item.chunk.section}\n{item.chunk.text}"))

    # sorted() is stable: within each group the fused order is kept.
    return sorted(ranked, key=lacks_code)


def _hit(ranked: _Ranked) -> Hit:
    chunk = ranked.chunk
    return Hit.model_validate(
        {
            "doc_id": chunk.doc_id,
            "title": chunk.title,
            "section": chunk.section,
            "product": chunk.product,
            "audience": chunk.audience,
            "score": round(ranked.score, 6),
            "text": chunk.text,
        }
    )


def _nothing(query: str, reason: str) -> SearchResult:
    return SearchResult(query=query, hits=[], reason=reason)


def open_search(settings: KnowledgeSettings) -> KnowledgeSearch:
    """The configured knowledge base; the model still loads only at the first query."""
    return KnowledgeSearch(
        open_store(settings), MiniLmEmbedder(settings.model_path), settings.score_threshold
    )


def _as_written(code: str, query: str) -> str:
    """A normalised code (``tkn503``) as the user wrote it (``TKN-503``), for messages."""
    letters, digits = re.fullmatch(r"([a-z]+)(\d+)", code).groups()  # type: ignore[union-attr]
    found = re.search(rf"\b{letters}[\s_-]?{digits}\b", query, re.IGNORECASE)
    return found.group(0) if found else code.upper()
