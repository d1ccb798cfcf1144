from __future__ import annotations

import itertools
from datetime import date

import pytest

from knowledge.chunking import chunk_document, split_long, split_sections
from knowledge.documents import DocMeta, Document


def _doc(body: str, audience: str = "customer") -> Document:
    meta = DocMeta.model_validate(
        {
            "id": "d",
            "title": "Doc",
            "product": "pos",
            "audience": audience,
            "updated": date(2026, 1, 1),
        }
    )
    return Document(meta=meta, body=body, source="/docs/d.md")


def test_sections_follow_headings_and_skip_empty_ones() -> None:
    body = "Intro line.\n\n# Doc\n\n## Paper out\n\nLoad paper.\n\n### P-02 Cover open\nPress it.\n"
    assert split_sections(body, default_title="Doc") == [
        ("Doc", "Intro line."),
        ("Paper out", "Load paper."),
        ("P-02 Cover open", "Press it."),
    ]


def test_short_section_is_one_chunk_with_metadata() -> None:
    [chunk] = chunk_document(_doc("## Reset\n\nHold power.\n"))
    assert chunk.section == "Reset"
    assert chunk.text == "Hold power."
    assert chunk.metadata() == {
        "doc_id": "d",
        "title": "Doc",
        "product": "pos",
        "audience": "customer",
        "updated": "2026-01-01",
        "source": "/docs/d.md",
        "section": "Reset",
    }
    assert chunk.embedding_text() == "Doc — Reset\nHold power."


def test_long_section_splits_with_overlap() -> None:
    paragraphs = [" ".join(f"p{p}w{w}" for w in range(30)) for p in range(8)]
    pieces = split_long("\n\n".join(paragraphs), max_words=100, overlap_words=20)
    assert len(pieces) > 1
    for piece in pieces:
        assert len(piece.split()) <= 100
    for before, after in itertools.pairwise(pieces):
        # The next piece starts with the tail of the previous one.
        assert before.split()[-20:] == after.split()[:20]
    words = {word for piece in pieces for word in piece.split()}
    assert words == {word for paragraph in paragraphs for word in paragraph.split()}


def test_paragraph_longer_than_a_chunk_is_windowed() -> None:
    text = " ".join(f"w{i}" for i in range(250))
    pieces = split_long(text, max_words=100, overlap_words=20)
    assert [piece.split()[0] for piece in pieces] == ["w0", "w80", "w160"]
    assert pieces[-1].split()[-1] == "w249"


def test_overlap_must_be_smaller_than_chunk() -> None:
    with pytest.raises(ValueError, match="overlap_words"):
        split_long("a b c", max_words=10, overlap_words=10)


def test_chunk_id_changes_with_text_and_with_audience() -> None:
    [base] = chunk_document(_doc("## S\n\nText.\n"))
    [same] = chunk_document(_doc("## S\n\nText.\n"))
    [edited] = chunk_document(_doc("## S\n\nOther text.\n"))
    [retagged] = chunk_document(_doc("## S\n\nText.\n", audience="internal"))
    assert base.id == same.id
    assert len({base.id, edited.id, retagged.id}) == 3
    assert base.id.startswith("d:")
