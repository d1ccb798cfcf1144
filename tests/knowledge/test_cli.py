from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from config import KnowledgeSettings, get_settings
from tests.knowledge.conftest import DocWriter

runner = CliRunner()


@pytest.fixture
def kb_env(monkeypatch: pytest.MonkeyPatch, bundled_settings: KnowledgeSettings) -> Iterator[None]:
    monkeypatch.setenv("BATON_KNOWLEDGE__CHROMA_PATH", str(bundled_settings.chroma_path))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_kb_search_json(kb_env: None) -> None:
    result = runner.invoke(app, ["kb", "search", "E-104 during activation", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    top = payload["hits"][0]
    assert set(top) >= {"doc_id", "section", "score", "text"}
    assert top["doc_id"] == "pos-activation-errors"


def test_kb_search_customer_audience_and_nothing_found(kb_env: None) -> None:
    result = runner.invoke(app, ["kb", "search", "BRD-102", "--audience", "customer"])
    assert result.exit_code == 1, result.output
    assert "Nothing relevant found: no document mentions BRD-102." in result.stdout
    bad = runner.invoke(app, ["kb", "search", "x", "--audience", "everyone"])
    assert bad.exit_code == 2


def test_eval_retrieval_prints_every_mode(kb_env: None, tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        '{"id": "c1", "query": "R03 return", "gold": ["ach-return-codes"]}\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["eval", "--retrieval", str(cases), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)["scores"]
    assert scores["hybrid"] == {"recall_at_1": 1.0, "recall_at_5": 1.0, "mrr_at_10": 1.0}
    table = runner.invoke(app, ["eval", "--retrieval", str(cases)])
    assert "hybrid" in table.stdout and "recall@5" in table.stdout


def test_eval_without_a_case_file_fails_clearly(kb_env: None, tmp_path: Path) -> None:
    nothing = runner.invoke(app, ["eval"])
    assert nothing.exit_code == 2
    assert "nothing to evaluate" in nothing.output and "--retrieval FILE" in nothing.output
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "--retrieval", str(broken)])
    assert result.exit_code == 2
    assert "broken.jsonl:1" in result.output


def test_ingest_reports_skipped_files_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, write_doc: DocWriter
) -> None:
    monkeypatch.setenv("BATON_KNOWLEDGE__CHROMA_PATH", str(tmp_path / "chroma"))
    get_settings.cache_clear()
    try:
        good = write_doc("good.md", "## Paper\n\nLoad paper.\n")
        (good.parent / "bad.md").write_text("no front matter\n", encoding="utf-8")
        result = runner.invoke(app, ["ingest", str(good.parent)])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert (
        "1 documents, 1 chunks: 1 added, 0 unchanged, 0 removed; 1 file(s) skipped" in result.stdout
    )
    assert "bad.md" in result.output and "no front matter" in result.output
