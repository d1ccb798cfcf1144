"""Retrieval evaluation: recall@1, recall@5 and MRR@10 per retrieval mode over a JSONL case set.

Scores are per document, not per chunk: a search's chunks are reduced to the order in which their
documents first appear, and a case counts as recalled at k when any of its gold docs is among
the first k documents (the format is in ``docs/eval-format.md``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from knowledge.documents import Audience
from knowledge.search import CANDIDATES, MODES, KnowledgeSearch, Mode, SearchResult


class RetrievalCaseError(ValueError):
    """A retrieval case file that cannot be read."""


class RetrievalCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    query: str
    gold: list[str] = Field(min_length=1, description="Doc ids; any of them is a right answer.")
    audience: Audience = "internal"
    product: str | None = None
    tags: list[str] = Field(default_factory=list)


class CaseRanks(BaseModel):
    id: str
    # 1-based rank of the first gold doc per mode; None when it is not in the top 10 docs.
    ranks: dict[Mode, int | None]


class ModeScores(BaseModel):
    recall_at_1: float
    recall_at_5: float
    mrr_at_10: float


class RetrievalReport(BaseModel):
    cases: int
    scores: dict[Mode, ModeScores]
    per_case: list[CaseRanks]


def load_cases(path: Path) -> list[RetrievalCase]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RetrievalCaseError(f"{path}: cannot read: {exc}") from exc
    cases: list[RetrievalCase] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            cases.append(RetrievalCase.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise RetrievalCaseError(f"{path}:{number}: {exc}") from exc
    ids = [case.id for case in cases]
    duplicates = sorted({case_id for case_id in ids if ids.count(case_id) > 1})
    if duplicates:
        raise RetrievalCaseError(f"{path}: duplicate case ids: {', '.join(duplicates)}")
    if not cases:
        raise RetrievalCaseError(f"{path}: no cases")
    return cases


def evaluate(
    cases: Sequence[RetrievalCase], search: KnowledgeSearch, modes: Sequence[Mode] = MODES
) -> RetrievalReport:
    per_case = [
        CaseRanks(
            id=case.id,
            ranks={
                mode: gold_rank(
                    search.search(
                        case.query, case.audience, case.product, limit=CANDIDATES, mode=mode
                    ),
                    case.gold,
                )
                for mode in modes
            },
        )
        for case in cases
    ]
    return RetrievalReport(
        cases=len(cases),
        scores={mode: _scores([c.ranks[mode] for c in per_case]) for mode in modes},
        per_case=per_case,
    )


def gold_rank(result: SearchResult, gold: Sequence[str], depth: int = 10) -> int | None:
    """1-based rank of the first gold doc among the result's first ``depth`` distinct docs."""
    docs = list(dict.fromkeys(hit.doc_id for hit in result.hits))[:depth]
    return next((rank for rank, doc_id in enumerate(docs, start=1) if doc_id in gold), None)


def _scores(ranks: Sequence[int | None]) -> ModeScores:
    def recall(k: int) -> float:
        return sum(1 for rank in ranks if rank is not None and rank <= k) / len(ranks)

    return ModeScores(
        recall_at_1=round(recall(1), 4),
        recall_at_5=round(recall(5), 4),
        mrr_at_10=round(sum(1 / rank for rank in ranks if rank is not None) / len(ranks), 4),
    )
