from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.evaluation import RetrievalCaseError, evaluate, gold_rank, load_cases
from knowledge.search import Hit, KnowledgeSearch, SearchResult
from tests.knowledge.conftest import DEV_SET


def _result(*doc_ids: str) -> SearchResult:
    hits = [
        Hit(doc_id=d, title=d, section="s", product="pos", audience="customer", score=1.0, text="")
        for d in doc_ids
    ]
    return SearchResult(query="q", hits=hits)


def test_gold_rank_counts_documents_not_chunks() -> None:
    assert gold_rank(_result("a", "a", "b", "c"), ["c"]) == 3
    assert gold_rank(_result("a", "b"), ["x", "b"]) == 2
    assert gold_rank(_result(*[f"d{i}" for i in range(12)]), ["d11"]) is None


def test_dev_set_is_valid_and_large_enough() -> None:
    cases = load_cases(DEV_SET)
    assert len(cases) >= 60
    tags = {tag for case in cases for tag in case.tags}
    assert {"code", "typo", "paraphrase"} <= tags


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a", "query": "q", "gold": []}\n', ":1: "),
        ('{"id": "a", "query": "q", "gold": ["x"], "extra": 1}\n', ":1: "),
        ('\n{"id": "a", "query": "q", "gold": ["x"]}\nnot json\n', ":3: "),
        ('{"id": "a", "query": "q", "gold": ["x"]}\n' * 2, "duplicate case ids: a"),
        ("\n", "no cases"),
    ],
)
def test_bad_case_files_say_where(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RetrievalCaseError, match=message):
        load_cases(path)


def test_evaluation_scores_every_mode(bundled_kb: KnowledgeSearch, tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(
        '{"id": "hit", "query": "E-104 during activation", "gold": ["pos-activation-errors"]}\n'
        '{"id": "miss", "query": "E-104 during activation", "gold": ["wire-templates"]}\n',
        encoding="utf-8",
    )
    report = evaluate(load_cases(path), bundled_kb)
    assert set(report.scores) == {"dense", "bm25", "hybrid"}
    hybrid = report.scores["hybrid"]
    assert (hybrid.recall_at_1, hybrid.recall_at_5, hybrid.mrr_at_10) == (0.5, 0.5, 0.5)
    assert report.per_case[1].ranks["hybrid"] is None
