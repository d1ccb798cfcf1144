"""Files → chunks → vectors → Chroma, incrementally.

An ingest makes the store match the given paths:

- a chunk whose content and metadata hash is already stored is skipped (not re-embedded);
- a doc's chunks that its new version no longer produces are deleted;
- a doc whose file under an ingested directory is gone is deleted — docs from other paths are
  left alone, so ``baton ingest extra/`` does not drop the bundled corpus;
- a file that cannot be read or parsed is reported and skipped, and whatever an earlier ingest
  stored for it is kept (a half-saved edit must not empty the knowledge base).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from knowledge.chunking import Chunk, chunk_document
from knowledge.documents import SUPPORTED_SUFFIXES, Document, DocumentError, load_document
from knowledge.embeddings import BATCH_SIZE, Embedder
from knowledge.store import KnowledgeStore

# Called after each embedded batch with (chunks embedded so far, chunks to embed).
Progress = Callable[[int, int], None]


class FileError(BaseModel):
    path: str
    error: str


class IngestReport(BaseModel):
    documents: int
    chunks: int
    added: int
    unchanged: int
    removed: int
    errors: list[FileError]


def ingest(
    paths: Sequence[Path],
    store: KnowledgeStore,
    embedder: Embedder,
    progress: Progress | None = None,
) -> IngestReport:
    files, errors = discover(paths)
    docs, load_errors = _load_all(files)
    errors += load_errors
    chunks = {chunk.id: chunk for doc in docs for chunk in chunk_document(doc)}
    stored = store.stored_metadata()
    new = [chunk for chunk_id, chunk in chunks.items() if chunk_id not in stored]
    stale = _stale_ids(
        stored,
        keep=chunks.keys(),
        ingested_docs={doc.meta.id for doc in docs},
        roots=[path.resolve() for path in paths if path.is_dir()],
        failed_sources={str(Path(e.path).resolve()) for e in load_errors},
    )
    _embed_and_add(new, store, embedder, progress)
    # Deleted after adding, so a concurrent search never sees a doc missing mid-update.
    store.delete(stale)
    if new or stale:
        store.bump_corpus_version()
    return IngestReport(
        documents=len(docs),
        chunks=len(chunks),
        added=len(new),
        unchanged=len(chunks) - len(new),
        removed=len(stale),
        errors=errors,
    )


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[FileError]]:
    """Supported files under each path (recursively for directories), in a stable order.

    Files of other types inside a directory are ignored; a named file of another type, or a
    path that does not exist, is an error.
    """
    files: list[Path] = []
    errors: list[FileError] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUPPORTED_SUFFIXES
                    and not p.name.startswith(".")
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            errors.append(FileError(path=str(path), error="no such file or directory"))
    return files, errors


def _load_all(files: Iterable[Path]) -> tuple[list[Document], list[FileError]]:
    docs: dict[str, Document] = {}
    errors: list[FileError] = []
    for path in files:
        try:
            doc = load_document(path)
        except DocumentError as exc:
            errors.append(FileError(path=str(path), error=str(exc)))
            continue
        first = docs.get(doc.meta.id)
        if first is not None:
            errors.append(
                FileError(
                    path=str(path), error=f"duplicate doc id {doc.meta.id!r} (also {first.source})"
                )
            )
            continue
        docs[doc.meta.id] = doc
    return list(docs.values()), errors


def _stale_ids(
    stored: Mapping[str, Mapping[str, Any]],
    keep: Iterable[str],
    ingested_docs: set[str],
    roots: Sequence[Path],
    failed_sources: set[str],
) -> list[str]:
    keep = set(keep)

    def is_stale(chunk_id: str, metadata: Mapping[str, Any]) -> bool:
        if chunk_id in keep:
            return False
        if metadata.get("doc_id") in ingested_docs:
            return True  # an old version of a doc ingested now
        source = str(metadata.get("source", ""))
        return source not in failed_sources and any(
            Path(source).is_relative_to(root) for root in roots
        )

    return [chunk_id for chunk_id, metadata in stored.items() if is_stale(chunk_id, metadata)]


def _embed_and_add(
    chunks: Sequence[Chunk], store: KnowledgeStore, embedder: Embedder, progress: Progress | None
) -> None:
    for start in range(0, len(chunks), BATCH_SIZE):
        batch = chunks[start : start + BATCH_SIZE]
        store.add(batch, embedder.embed_documents([chunk.embedding_text() for chunk in batch]))
        if progress is not None:
            progress(start + len(batch), len(chunks))
