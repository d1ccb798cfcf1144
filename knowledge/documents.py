"""Product docs on disk → ``Document``: front matter (metadata) plus a markdown-style body.

Markdown and text files start with a YAML front-matter block::

    ---
    id: pos-activation-errors
    title: Terminal activation error codes
    product: pos-terminals
    audience: customer        # or internal: never shown to a customer
    updated: 2026-10-14
    ---

HTML files carry the same fields as ``<meta name="..." content="...">`` tags (the title may come
from ``<title>``); their headings become markdown headings so every format chunks the same way.
PDF files are read as text with pypdf and must start with the same front-matter block.
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError

Audience = Literal["customer", "internal"]

SUPPORTED_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".html", ".htm", ".pdf"})

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


class DocumentError(ValueError):
    """A file that cannot become a document (unreadable, no or bad front matter, empty)."""


class DocMeta(BaseModel):
    """The front matter every doc carries; ``audience`` decides who may ever see it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=120)
    title: str = Field(min_length=1)
    product: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    audience: Audience
    updated: date


class Document(BaseModel):
    meta: DocMeta
    body: str
    source: str


def load_document(path: Path) -> Document:
    """Read and parse one file; every failure is a ``DocumentError`` naming the file."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"{path}: unsupported file type {suffix!r}")
    try:
        if suffix == ".pdf":
            raw_meta, body = split_front_matter(_pdf_text(path))
        else:
            text = path.read_text(encoding="utf-8")
            if suffix in (".html", ".htm"):
                raw_meta, body = html_to_markdown(text)
            else:
                raw_meta, body = split_front_matter(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"{path}: cannot read: {exc}") from exc
    except DocumentError as exc:
        raise DocumentError(f"{path}: {exc}") from exc
    try:
        meta = DocMeta.model_validate(raw_meta)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'front matter'}: {err['msg']}"
            for err in exc.errors()
        )
        raise DocumentError(f"{path}: bad front matter: {problems}") from exc
    if not body.strip():
        raise DocumentError(f"{path}: no text after the front matter")
    return Document(meta=meta, body=body, source=str(path.resolve()))


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise DocumentError("no front matter (a '---' YAML block must open the file)")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise DocumentError(f"front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise DocumentError("front matter must be a YAML mapping")
    return meta, text[match.end() :]


def html_to_markdown(html: str) -> tuple[dict[str, object], str]:
    """Metadata from ``<meta>``/``<title>``, body as text with ``#`` headings."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    meta: dict[str, object] = dict(parser.meta)
    if "title" not in meta and parser.title.strip():
        meta["title"] = parser.title.strip()
    return meta, parser.markdown()


class _HtmlText(HTMLParser):
    _HEADINGS = {f"h{n}": n for n in range(1, 7)}
    _BLOCKS = frozenset({"p", "div", "li", "tr", "br", "pre", "section", "article", "ul", "ol"})
    _SKIPPED = frozenset({"script", "style", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self._lines: list[str] = []
        self._current: list[str] = []
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name") and attributes.get("content") is not None:
            self.meta[str(attributes["name"]).lower()] = str(attributes["content"])
        elif tag == "title":
            self._in_title = True
        elif tag in self._SKIPPED:
            self._skip_depth += 1
        elif tag in self._HEADINGS or tag in self._BLOCKS:
            self._flush()
        if tag == "li":
            self._current.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self._SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in self._HEADINGS:
            self._flush(prefix="#" * self._HEADINGS[tag] + " ")
        elif tag in self._BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip_depth:
            self._current.append(data)

    def _flush(self, prefix: str = "") -> None:
        text = " ".join("".join(self._current).split())
        self._current = []
        if text and text != "-":
            self._lines.append(prefix + text)

    def markdown(self) -> str:
        self._flush()
        return "\n\n".join(self._lines) + "\n"


def _pdf_text(path: Path) -> str:
    # pypdf is imported here: only PDF ingests pay for it.
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise DocumentError(f"unreadable PDF: {exc}") from exc
