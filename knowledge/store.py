"""The Chroma collection that holds the chunks, their metadata and their vectors.

Embedded ``PersistentClient`` at ``chroma_path`` by default, ``HttpClient`` when a Chroma server
is configured. Baton embeds text itself and passes vectors in, so the collection has no
embedding function (Chroma's default one downloads a model, which fails offline).

The collection's metadata carries a ``corpus_version`` that every ingest that changes the store
bumps: searchers compare it to rebuild their BM25 index when another process re-ingested.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from config import KnowledgeSettings
from knowledge.chunking import Chunk

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

Where = Mapping[str, Any]


class StoreUnavailable(RuntimeError):
    """The Chroma store cannot be opened or reached."""


@dataclass(frozen=True)
class DenseMatch:
    chunk_id: str
    chunk: Chunk
    similarity: float


class KnowledgeStore:
    def __init__(self, client: ClientAPI, collection_name: str) -> None:
        self._client = client
        self._name = collection_name
        self._collection: Collection = client.get_or_create_collection(
            collection_name,
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=None,
        )

    def stored_metadata(self) -> dict[str, Mapping[str, Any]]:
        """Every stored chunk id → its metadata (what an ingest diffs against)."""
        got = self._collection.get(include=["metadatas"])
        return dict(zip(got["ids"], got["metadatas"] or [], strict=True))

    def chunks(self) -> list[tuple[str, Chunk]]:
        got = self._collection.get(include=["documents", "metadatas"])
        return [
            (chunk_id, Chunk.from_stored(text, metadata))
            for chunk_id, text, metadata in zip(
                got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True
            )
        ]

    def add(self, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]) -> None:
        size = self._client.get_max_batch_size()
        for start in range(0, len(chunks), size):
            batch = chunks[start : start + size]
            self._collection.upsert(
                ids=[chunk.id for chunk in batch],
                documents=[chunk.text for chunk in batch],
                metadatas=[chunk.metadata() for chunk in batch],
                embeddings=[list(v) for v in embeddings[start : start + len(batch)]],
            )

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        size = self._client.get_max_batch_size()
        for start in range(0, len(ids), size):
            self._collection.delete(ids=ids[start : start + size])

    def dense(
        self, embedding: Sequence[float], limit: int, where: Where | None
    ) -> list[DenseMatch]:
        """The ``limit`` nearest chunks passing ``where``, best first."""
        if limit <= 0:
            return []
        got = self._collection.query(
            query_embeddings=[list(embedding)],
            n_results=limit,
            where=dict(where) if where else None,
            include=["documents", "metadatas", "distances"],
        )
        return [
            # Cosine distance is 1 - cosine similarity.
            DenseMatch(chunk_id, Chunk.from_stored(text, metadata), 1.0 - distance)
            for chunk_id, text, metadata, distance in zip(
                got["ids"][0],
                (got["documents"] or [[]])[0],
                (got["metadatas"] or [[]])[0],
                (got["distances"] or [[]])[0],
                strict=True,
            )
        ]

    def corpus_version(self) -> str | None:
        # Re-read: another process may have ingested since this collection object was fetched.
        metadata = self._client.get_collection(self._name, embedding_function=None).metadata or {}
        version = metadata.get("corpus_version")
        return None if version is None else str(version)

    def bump_corpus_version(self) -> None:
        self._collection.modify(metadata={"corpus_version": uuid.uuid4().hex})


def open_store(settings: KnowledgeSettings) -> KnowledgeStore:
    """The configured store (chromadb is imported here, not when this module is)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_host:
            client = chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        else:
            settings.chroma_path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(
                path=str(settings.chroma_path), settings=chroma_settings
            )
        return KnowledgeStore(client, settings.collection)
    except Exception as exc:  # chromadb raises bare Exception/ValueError subclasses for these
        where = (
            f"Chroma server {settings.chroma_host}:{settings.chroma_port}"
            if settings.chroma_host
            else f"Chroma directory {settings.chroma_path}"
        )
        raise StoreUnavailable(f"cannot open {where}: {exc}") from exc
