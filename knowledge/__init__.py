"""The knowledge base: product docs chunked, embedded and stored in Chroma, hybrid search.

Importing this package (or any module in it) never imports torch, sentence-transformers or
chromadb: the embedding model and the store load lazily, when an ingest or a query needs them,
so a status question never pays for them.
"""

from pathlib import Path

BUNDLED_DOCS = Path(__file__).resolve().parent / "docs"
