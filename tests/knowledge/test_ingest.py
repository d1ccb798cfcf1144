from __future__ import annotations

from pathlib import Path

from knowledge.ingest import ingest
from knowledge.store import KnowledgeStore
from tests.knowledge.conftest import CountingEmbedder, DocWriter

RESET = (
    "# Reset\n\n## Soft restart\n\nHold power 5 seconds.\n\n## Factory reset\n\nClose the batch.\n"
)
PRINTER = "# Printer\n\n## Paper out\n\nLoad a new roll.\n"


def _docs_by_id(store: KnowledgeStore) -> dict[str, set[str]]:
    """doc id → audiences of its stored chunks."""
    found: dict[str, set[str]] = {}
    for _, chunk in store.chunks():
        found.setdefault(chunk.doc_id, set()).add(chunk.audience)
    return found


def test_first_ingest_adds_every_chunk_and_reports_progress(
    write_doc: DocWriter, tmp_store: KnowledgeStore
) -> None:
    write_doc("reset.md", RESET)
    write_doc("printer.md", PRINTER)
    embedder = CountingEmbedder()
    calls: list[tuple[int, int]] = []
    report = ingest(
        [write_doc("x.md", "x").parent],
        tmp_store,
        embedder,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert (report.documents, report.chunks, report.added, report.unchanged) == (3, 4, 4, 0)
    assert report.errors == []
    assert len(embedder.embedded) == 4
    assert calls[-1] == (4, 4)
    assert set(_docs_by_id(tmp_store)) == {"reset", "printer", "x"}


def test_reingest_skips_unchanged_and_replaces_edited_chunks(
    write_doc: DocWriter, tmp_store: KnowledgeStore
) -> None:
    reset = write_doc("reset.md", RESET)
    write_doc("printer.md", PRINTER)
    ingest([reset.parent], tmp_store, CountingEmbedder())

    again = CountingEmbedder()
    report = ingest([reset.parent], tmp_store, again)
    assert (report.added, report.unchanged, report.removed) == (0, 3, 0)
    assert again.embedded == []

    write_doc("reset.md", RESET.replace("Close the batch.", "Close the batch first."))
    edited = CountingEmbedder()
    report = ingest([reset.parent], tmp_store, edited)
    assert (report.added, report.unchanged, report.removed) == (1, 2, 1)
    assert edited.embedded == ["A test doc — Factory reset\nClose the batch first."]
    texts = {chunk.text for _, chunk in tmp_store.chunks()}
    assert "Close the batch first." in texts and "Close the batch." not in texts


def test_audience_change_retags_the_stored_chunks(
    write_doc: DocWriter, tmp_store: KnowledgeStore
) -> None:
    path = write_doc("printer.md", PRINTER)
    ingest([path.parent], tmp_store, CountingEmbedder())
    write_doc("printer.md", PRINTER, audience="internal")
    ingest([path.parent], tmp_store, CountingEmbedder())
    assert _docs_by_id(tmp_store) == {"printer": {"internal"}}


def test_deleted_file_is_removed_but_other_roots_are_kept(
    write_doc: DocWriter, tmp_store: KnowledgeStore, tmp_path: Path
) -> None:
    reset = write_doc("reset.md", RESET)
    printer = write_doc("printer.md", PRINTER)
    other_root = tmp_path / "other"
    other_root.mkdir()
    (other_root / "extra.md").write_text(
        "---\nid: extra\ntitle: Extra\nproduct: pos\naudience: customer\nupdated: 2026-01-01\n"
        "---\nExtra text.\n",
        encoding="utf-8",
    )
    ingest([reset.parent, other_root], tmp_store, CountingEmbedder())

    printer.unlink()
    report = ingest([reset.parent], tmp_store, CountingEmbedder())
    assert report.removed == 1
    assert set(_docs_by_id(tmp_store)) == {"reset", "extra"}


def test_bad_files_are_reported_and_skipped(
    write_doc: DocWriter, tmp_store: KnowledgeStore, tmp_path: Path
) -> None:
    good = write_doc("good.md", PRINTER)
    (good.parent / "no-front-matter.md").write_text("# Just text\n", encoding="utf-8")
    (good.parent / "binary.txt").write_bytes(b"\xff\xfe\x00\x01")
    (good.parent / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    write_doc("zz-dup.md", RESET, doc_id="good")  # files are read in name order: good.md wins
    (good.parent / "image.png").write_bytes(b"\x89PNG")  # not a doc type: ignored silently
    missing = tmp_path / "nowhere"

    report = ingest([good.parent, missing], tmp_store, CountingEmbedder())

    assert report.documents == 1
    errors = {Path(e.path).name: e.error for e in report.errors}
    assert set(errors) == {"no-front-matter.md", "binary.txt", "broken.pdf", "zz-dup.md", "nowhere"}
    assert "duplicate doc id 'good'" in errors["zz-dup.md"]
    assert errors["nowhere"] == "no such file or directory"
    assert set(_docs_by_id(tmp_store)) == {"good"}


def test_a_file_that_became_unreadable_keeps_its_stored_chunks(
    write_doc: DocWriter, tmp_store: KnowledgeStore
) -> None:
    path = write_doc("printer.md", PRINTER)
    ingest([path.parent], tmp_store, CountingEmbedder())
    path.write_text("---\nid: printer\n", encoding="utf-8")  # a half-saved edit
    report = ingest([path.parent], tmp_store, CountingEmbedder())
    assert len(report.errors) == 1
    assert report.removed == 0
    assert set(_docs_by_id(tmp_store)) == {"printer"}


def test_html_and_text_files_are_ingested(tmp_path: Path, tmp_store: KnowledgeStore) -> None:
    (tmp_path / "page.html").write_text(
        '<html><head><title>HTML doc</title><meta name="id" content="html-doc">'
        '<meta name="product" content="pos"><meta name="audience" content="customer">'
        '<meta name="updated" content="2026-01-01"></head>'
        "<body><h2>Contactless</h2><p>Hold the card flat.</p></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "notes.txt").write_text(
        "---\nid: txt-doc\ntitle: Text\nproduct: pos\naudience: internal\nupdated: 2026-01-01\n"
        "---\nPlain text notes.\n",
        encoding="utf-8",
    )
    report = ingest([tmp_path / "page.html", tmp_path / "notes.txt"], tmp_store, CountingEmbedder())
    assert report.errors == []
    sections = {(chunk.doc_id, chunk.section) for _, chunk in tmp_store.chunks()}
    assert sections == {("html-doc", "Contactless"), ("txt-doc", "Text")}
