"""Who may see which chunks: the audience rule and the optional product filter.

Applied identically to the dense query (as a Chroma ``where``) and to BM25 (as a predicate), so
the two halves of a hybrid search can never disagree about what is visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from knowledge.chunking import Chunk
from knowledge.documents import Audience

# Staff see everything; a customer sees customer docs only. Anything else fails closed.
_VISIBLE: dict[str, frozenset[str]] = {
    "internal": frozenset({"customer", "internal"}),
    "customer": frozenset({"customer"}),
}


@dataclass(frozen=True)
class ChunkFilter:
    audience: Audience
    product: str | None = None

    @property
    def visible_audiences(self) -> frozenset[str]:
        return _VISIBLE.get(self.audience, _VISIBLE["customer"])

    def accepts(self, chunk: Chunk) -> bool:
        return chunk.audience in self.visible_audiences and (
            self.product is None or chunk.product == self.product
        )

    def where(self) -> dict[str, Any]:
        clauses: list[dict[str, Any]] = [{"audience": {"$in": sorted(self.visible_audiences)}}]
        if self.product is not None:
            clauses.append({"product": self.product})
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}
