from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.documents import DocumentError, load_document
from tests.knowledge.conftest import DocWriter
from tests.knowledge.pdf import write_pdf


def test_markdown_front_matter_becomes_metadata(write_doc: DocWriter) -> None:
    path = write_doc("a.md", "# Title\n\nBody text.\n", doc_id="doc-a", audience="internal")
    doc = load_document(path)
    assert doc.meta.id == "doc-a"
    assert doc.meta.audience == "internal"
    assert doc.meta.updated == date(2026, 11, 1)
    assert doc.body.strip() == "# Title\n\nBody text."
    assert doc.source == str(path.resolve())


def _front(**fields: str | None) -> str:
    """A front-matter block from valid defaults; a field set to None is left out."""
    values = {
        "id": "x",
        "title": "T",
        "product": "pos",
        "audience": "customer",
        "updated": "2026-01-01",
    } | fields
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in values.items() if v is not None) + "---\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("# No front matter\n", "no front matter"),
        ("---\nid: [unclosed\n---\nbody\n", "not valid YAML"),
        ("---\n- a list\n---\nbody\n", "must be a YAML mapping"),
        (
            _front(audience="everyone") + "body",
            "bad front matter: audience: Input should be 'customer' or 'internal'",
        ),
        (_front(updated=None) + "body", "bad front matter: updated: Field required"),
        (_front(id="Bad Id") + "body", "bad front matter: id: String should match pattern"),
        (_front() + "\n\n", "no text after the front matter"),
    ],
)
def test_bad_front_matter_names_the_file_and_the_problem(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.md"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DocumentError, match=message) as excinfo:
        load_document(path)
    assert str(path) in str(excinfo.value)


def test_undecodable_file_is_a_document_error(tmp_path: Path) -> None:
    path = tmp_path / "binary.md"
    path.write_bytes(b"---\nid: x\n\xff\xfe\x00---\n")
    with pytest.raises(DocumentError, match="cannot read"):
        load_document(path)


def test_unsupported_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "doc.docx"
    path.write_bytes(b"PK")
    with pytest.raises(DocumentError, match="unsupported file type"):
        load_document(path)


def test_html_meta_tags_and_headings(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        """<html><head><title>Printer help</title>
        <meta name="id" content="html-doc"><meta name="product" content="pos">
        <meta name="audience" content="customer"><meta name="updated" content="2026-05-01">
        <style>p { color: red }</style></head>
        <body><h1>Printer help</h1><h2>Paper out</h2><p>Load a  new
        roll.</p><ul><li>Close the cover.</li></ul><script>ignored()</script></body></html>""",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert doc.meta.id == "html-doc"
    assert doc.meta.title == "Printer help"
    assert "## Paper out" in doc.body
    assert "Load a new roll." in doc.body
    assert "- Close the cover." in doc.body
    assert "color" not in doc.body and "ignored" not in doc.body


def test_pdf_text_with_front_matter(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "guide.pdf",
        [
            "---",
            "id: pdf-guide",
            "title: PDF guide",
            "product: pos",
            "audience: customer",
            "updated: 2026-02-03",
            "---",
            "# Restart",
            "Hold the power key (5 seconds).",
        ],
    )
    doc = load_document(path)
    assert doc.meta.id == "pdf-guide"
    assert "Hold the power key (5 seconds)." in doc.body


def test_corrupt_pdf_is_a_document_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not a pdf body")
    with pytest.raises(DocumentError, match=str(path.name)):
        load_document(path)
