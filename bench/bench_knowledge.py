"""Knowledge-base benchmark: ingest throughput, warm query latency, retrieval quality.

    .venv/bin/python bench/bench_knowledge.py [--rounds 3] [--json]

Ingests the bundled corpus into a fresh temporary Chroma directory (model loading is timed
apart from embedding), times hybrid searches of every query of ``eval/retrieval/dev.jsonl``
with the model warm, and scores dense, BM25 and hybrid retrieval on the same set.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from config import KnowledgeSettings  # noqa: E402
from knowledge import BUNDLED_DOCS  # noqa: E402
from knowledge.embeddings import MiniLmEmbedder  # noqa: E402
from knowledge.evaluation import evaluate, load_cases  # noqa: E402
from knowledge.ingest import ingest  # noqa: E402
from knowledge.search import KnowledgeSearch  # noqa: E402
from knowledge.store import KnowledgeStore, open_store  # noqa: E402

DEV_SET = PROJECT_ROOT / "eval" / "retrieval" / "dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the dev queries")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()

    embedder = MiniLmEmbedder()
    started = time.perf_counter()
    embedder.embed_query("warm up")
    model_load_s = time.perf_counter() - started

    with tempfile.TemporaryDirectory(prefix="baton-bench-") as tmp:
        settings = KnowledgeSettings(chroma_path=Path(tmp) / "chroma")
        store = open_store(settings)
        started = time.perf_counter()
        report = ingest([BUNDLED_DOCS], store, embedder)
        ingest_s = time.perf_counter() - started
        cases = load_cases(DEV_SET)
        latencies = _query_latencies(store, embedder, settings, cases, args.rounds)
        quality = evaluate(cases, KnowledgeSearch(store, embedder, settings.score_threshold))

    figures = {
        "model_load_s": round(model_load_s, 2),
        "ingest": {
            "documents": report.documents,
            "chunks": report.chunks,
            "seconds": round(ingest_s, 2),
            "chunks_per_s": round(report.chunks / ingest_s, 1),
        },
        "query_ms": {
            "samples": len(latencies),
            "p50": round(_percentile(latencies, 50), 1),
            "p95": round(_percentile(latencies, 95), 1),
        },
        "retrieval": {
            "cases": quality.cases,
            **{mode: scores.model_dump() for mode, scores in quality.scores.items()},
        },
    }
    print(json.dumps(figures, indent=2) if args.json else _table(figures))


def _query_latencies(
    store: KnowledgeStore,
    embedder: MiniLmEmbedder,
    settings: KnowledgeSettings,
    cases: list,
    rounds: int,
) -> list[float]:
    """Milliseconds per hybrid search; a fresh searcher per round so no query embedding is
    served from the previous round's cache."""
    latencies: list[float] = []
    for _ in range(rounds):
        search = KnowledgeSearch(store, embedder, settings.score_threshold)
        search.search("warm up the BM25 index", "internal")
        for case in cases:
            started = time.perf_counter()
            search.search(case.query, case.audience, case.product)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def _percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def _table(f: dict) -> str:
    ing, q, r = f["ingest"], f["query_ms"], f["retrieval"]
    lines = [
        f"model load        {f['model_load_s']:.2f} s",
        f"ingest            {ing['chunks']} chunks / {ing['documents']} docs in "
        f"{ing['seconds']:.2f} s = {ing['chunks_per_s']:.0f} chunks/s",
        f"query (warm)      p50 {q['p50']:.1f} ms, p95 {q['p95']:.1f} ms over {q['samples']}",
        f"retrieval         {r['cases']} cases",
        f"  {'mode':<8} {'recall@1':>9} {'recall@5':>9} {'MRR@10':>8}",
    ]
    for mode in ("dense", "bm25", "hybrid"):
        s = r[mode]
        lines.append(
            f"  {mode:<8} {s['recall_at_1']:>9.3f} {s['recall_at_5']:>9.3f} {s['mrr_at_10']:>8.3f}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
