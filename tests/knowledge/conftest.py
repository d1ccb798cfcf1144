"""Knowledge-base fixtures: small corpora in tmp_path, and the bundled corpus once per session."""

from __future__ import annotations

import hashlib
import math
import re
import textwrap
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from config import KnowledgeSettings
from knowledge import BUNDLED_DOCS
from knowledge.embeddings import MiniLmEmbedder
from knowledge.ingest import ingest
from knowledge.search import KnowledgeSearch
from knowledge.store import KnowledgeStore, open_store

DEV_SET = Path(__file__).resolve().parents[2] / "eval" / "retrieval" / "dev.jsonl"


class CountingEmbedder:
    """Deterministic bag-of-words vectors (no torch), counting the texts it embeds."""

    dimensions = 64

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.embedded.extend(texts)
        return [self._vector(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dimensions
        for word in re.findall(r"\w+", text.lower()):
            vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimensions] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]


DocWriter = Callable[..., Path]


@pytest.fixture
def write_doc(tmp_path: Path) -> DocWriter:
    """Write a markdown doc with front matter under ``tmp_path/docs``; returns its path."""

    def write(
        name: str,
        body: str,
        *,
        doc_id: str | None = None,
        audience: str = "customer",
        product: str = "pos",
        title: str = "A test doc",
    ) -> Path:
        path = tmp_path / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        front = (
            f"---\nid: {doc_id or path.stem}\ntitle: {title}\nproduct: {product}\n"
            f"audience: {audience}\nupdated: 2026-11-01\n---\n"
        )
        path.write_text(front + textwrap.dedent(body).lstrip(), encoding="utf-8")
        return path

    return write


@pytest.fixture
def tmp_store(tmp_path: Path) -> KnowledgeStore:
    return open_store(KnowledgeSettings(chroma_path=tmp_path / "chroma", collection="kb_test"))


@pytest.fixture(scope="session")
def bundled_settings(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeSettings:
    """The bundled corpus ingested once, with the real model, into a session temp dir."""
    settings = KnowledgeSettings(chroma_path=tmp_path_factory.mktemp("chroma"))
    report = ingest([BUNDLED_DOCS], open_store(settings), MiniLmEmbedder())
    assert not report.errors, report.errors
    return settings


@pytest.fixture(scope="session")
def bundled_kb(bundled_settings: KnowledgeSettings) -> Iterator[KnowledgeSearch]:
    yield KnowledgeSearch(
        open_store(bundled_settings), MiniLmEmbedder(), bundled_settings.score_threshold
    )
