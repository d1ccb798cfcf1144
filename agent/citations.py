"""Citations: the records an answer rests on, as ``{system, record_id, link, label}``.

The local planner fills ``response_metadata["citations"]`` itself. An LLM does not, so the graph
derives them from the artifacts of the turn's tool results: every journey fact carries a
``Source`` (system, record type, id, link) and every knowledge hit a doc id and section.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.messages import ToolMessage
from pydantic import BaseModel

KNOWLEDGE_SYSTEM = "knowledge"


class Citation(BaseModel):
    system: str
    record_id: str
    link: str | None = None
    label: str


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every dict nested anywhere in a JSON-like artifact."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def _as_citation(node: dict[str, Any]) -> Citation | None:
    # A journeys.facts.Source, as dumped in every journey tool's artifact.
    if {"system", "record_type", "record_id"} <= node.keys():
        return Citation(
            system=str(node["system"]),
            record_id=str(node["record_id"]),
            link=node.get("link"),
            label=f"{node['system']} {node['record_type']} {node['record_id']}",
        )
    # A knowledge.search.Hit, as dumped by search_knowledge.
    if {"doc_id", "section"} <= node.keys():
        return Citation(
            system=KNOWLEDGE_SYSTEM,
            record_id=str(node["doc_id"]),
            label=f"{node['doc_id']} § {node['section']}",
        )
    return None


def citations_from_tools(messages: Sequence[ToolMessage]) -> list[Citation]:
    """Every distinct source in the artifacts of these tool results, in order of appearance."""
    found: dict[tuple[str, str, str], Citation] = {}
    for message in messages:
        for node in _walk(message.artifact):
            citation = _as_citation(node)
            if citation is not None:
                found.setdefault((citation.system, citation.record_id, citation.label), citation)
    return list(found.values())


def cited_in(answer: str, available: Sequence[Citation]) -> list[Citation]:
    """The sources an answer names (by record id); all of them when it names none, because the
    answer still rests on what the tools returned."""
    named = [c for c in available if c.record_id in answer]
    return named or list(available)
