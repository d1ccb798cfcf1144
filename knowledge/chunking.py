"""Documents → chunks: one per heading section, long sections split with overlap.

A chunk's id is a hash of its text *and* metadata, so re-ingesting skips what did not change and
a changed audience or product re-tags the chunk instead of leaving the old tag in the store.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from knowledge.documents import Document

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)

# all-MiniLM-L6-v2 reads at most 256 word pieces (~190 words of prose). 160 words keeps a
# chunk plus its title line inside that window while a whole troubleshooting section — the
# cause and its numbered steps — usually stays one chunk, so the steps are cited together.
MAX_WORDS = 160
OVERLAP_WORDS = 32
# Marks a paragraph break inside a piece being packed (counted as a word: a safe overestimate).
_BREAK = "\n\n"


@dataclass(frozen=True)
class Chunk:
    doc_id: str
    title: str
    product: str
    audience: str
    updated: str
    source: str
    section: str
    text: str

    @property
    def id(self) -> str:
        payload = json.dumps(self.metadata() | {"text": self.text}, sort_keys=True)
        return f"{self.doc_id}:{hashlib.sha256(payload.encode()).hexdigest()[:24]}"

    def metadata(self) -> dict[str, str]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "product": self.product,
            "audience": self.audience,
            "updated": self.updated,
            "source": self.source,
            "section": self.section,
        }

    def embedding_text(self) -> str:
        # The title and section say what a terse step list is about; both models see them.
        return f"{self.title} — {self.section}\n{self.text}"

    @classmethod
    def from_stored(cls, text: str, metadata: dict[str, object]) -> Chunk:
        return cls(text=text, **{name: str(metadata[name]) for name in _METADATA_FIELDS})


_METADATA_FIELDS = ("doc_id", "title", "product", "audience", "updated", "source", "section")


def chunk_document(
    doc: Document, max_words: int = MAX_WORDS, overlap_words: int = OVERLAP_WORDS
) -> list[Chunk]:
    """Every section's text in chunks of at most ``max_words`` words (duplicates dropped)."""
    meta = doc.meta
    chunks: dict[str, Chunk] = {}
    for section, text in split_sections(doc.body, default_title=meta.title):
        for piece in split_long(text, max_words, overlap_words):
            chunk = Chunk(
                doc_id=meta.id,
                title=meta.title,
                product=meta.product,
                audience=meta.audience,
                updated=meta.updated.isoformat(),
                source=doc.source,
                section=section,
                text=piece,
            )
            chunks.setdefault(chunk.id, chunk)
    return list(chunks.values())


def split_sections(body: str, default_title: str) -> list[tuple[str, str]]:
    """``(heading, text)`` per heading; text before the first heading belongs to the title.

    A heading with no text of its own (e.g. the document's H1 right before an H2) is dropped.
    """
    sections: list[tuple[str, str]] = []
    heading, start = default_title, 0
    for match in _HEADING.finditer(body):
        sections.append((heading, body[start : match.start()]))
        heading, start = match.group(2).strip(), match.end()
    sections.append((heading, body[start:]))
    return [(title, text.strip()) for title, text in sections if text.strip()]


def split_long(text: str, max_words: int, overlap_words: int) -> list[str]:
    """Pack paragraphs into pieces of ≤ ``max_words``; each piece repeats the previous one's
    last ``overlap_words`` words so a step cut at a boundary is whole in one of them."""
    if overlap_words >= max_words:
        raise ValueError("overlap_words must be smaller than max_words")
    words_in = [paragraph.split() for paragraph in re.split(r"\n\s*\n", text) if paragraph.strip()]
    if sum(len(words) for words in words_in) <= max_words:
        return ["\n\n".join(" ".join(words) for words in words_in)]
    pieces: list[list[str]] = []
    current: list[str] = []
    for words in _windows(words_in, max_words, overlap_words):
        if current and len(current) + len(words) > max_words:
            pieces.append(current)
            carry = current[-overlap_words:]
            # A window of a long paragraph already overlaps its neighbour: carry nothing then.
            current = carry if len(carry) + len(words) <= max_words else []
        current = [*current, _BREAK, *words] if current else list(words)
    if current:
        pieces.append(current)
    return [" ".join(piece).replace(f" {_BREAK} ", "\n\n").strip() for piece in pieces]


def _windows(paragraphs: list[list[str]], max_words: int, overlap_words: int) -> list[list[str]]:
    """Paragraphs, with any paragraph longer than ``max_words`` cut into overlapping windows."""
    step = max_words - overlap_words
    out: list[list[str]] = []
    for words in paragraphs:
        if len(words) <= max_words:
            out.append(words)
            continue
        out.extend(words[i : i + max_words] for i in range(0, len(words) - overlap_words, step))
    return out
