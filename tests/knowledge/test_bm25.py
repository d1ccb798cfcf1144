from __future__ import annotations

from knowledge.bm25 import Bm25Index, is_code, tokenize
from knowledge.chunking import Chunk
from knowledge.filters import ChunkFilter


def _chunk(doc_id: str, text: str, audience: str = "customer", product: str = "pos") -> Chunk:
    return Chunk(
        doc_id=doc_id,
        title=doc_id,
        product=product,
        audience=audience,
        updated="2026-01-01",
        source=f"/{doc_id}.md",
        section="S",
        text=text,
    )


def test_codes_tokenize_the_same_however_written() -> None:
    assert "e104" in tokenize("E-104")
    assert "e104" in tokenize("error E104 on screen")
    assert tokenize("R03") == ["r03"]
    assert tokenize("the terminal is offline") == ["terminal", "offline"]


def test_is_code_is_letters_then_digits() -> None:
    assert is_code("e104") and is_code("r03") and is_code("pp03") and is_code("ob101")
    assert not is_code("2fa") and not is_code("104") and not is_code("w9")


INDEX = Bm25Index(
    [
        ("a", _chunk("activation", "E-104 terminal not assigned to this location")),
        ("b", _chunk("printer", "P-01 paper out: load a new thermal roll")),
        ("c", _chunk("risk", "E-104 reassignment by tier two", audience="internal")),
        ("d", _chunk("ach", "R03 no account, unable to locate", product="ach")),
    ]
)


def test_exact_code_ranks_the_chunk_that_has_it() -> None:
    [hit] = INDEX.search(tokenize("R03"), limit=5, where=ChunkFilter("internal"))
    assert hit.chunk.doc_id == "ach"


def test_audience_and_product_filters_apply() -> None:
    customer = INDEX.search(tokenize("E-104"), limit=5, where=ChunkFilter("customer"))
    assert [m.chunk.doc_id for m in customer] == ["activation"]
    staff = INDEX.search(tokenize("E-104"), limit=5, where=ChunkFilter("internal"))
    assert {m.chunk.doc_id for m in staff} == {"activation", "risk"}
    assert INDEX.search(tokenize("R03"), limit=5, where=ChunkFilter("internal", "pos")) == []


def test_mentions_respects_audience() -> None:
    assert INDEX.mentions("reassignment", ChunkFilter("internal"))
    assert not INDEX.mentions("reassignment", ChunkFilter("customer"))
    assert not INDEX.mentions("e999", ChunkFilter("internal"))


def test_spelling_is_corrected_to_corpus_words_but_codes_never_are() -> None:
    assert INDEX.correct_spelling("Termnal locaton") == "terminal location"
    # E-105 is one edit away from E-104: it must stay E-105.
    assert INDEX.correct_spelling("E-105 and E105") == "e-105 and e105"
    # Short words and other first letters are left alone.
    assert INDEX.correct_spelling("jamed roll") == "jamed roll"


def test_empty_index_finds_nothing() -> None:
    empty = Bm25Index([])
    assert empty.search(["paper"], limit=5, where=ChunkFilter("internal")) == []
    assert not empty.vocabulary
