from __future__ import annotations

from types import SimpleNamespace

import pytest
from langchain_core.messages import ToolMessage

from knowledge.search import KnowledgeSearch
from tools.knowledge import make_search_knowledge, principal_audience


@pytest.mark.parametrize(
    ("configurable", "audience"),
    [
        ({"principal": {"audience": "internal"}}, "internal"),
        ({"principal": SimpleNamespace(audience="internal")}, "internal"),
        ({"principal": {"audience": "customer"}}, "customer"),
        ({"principal": {"audience": "INTERNAL"}}, "customer"),
        ({"principal": SimpleNamespace(role="rm")}, "customer"),
        ({}, "customer"),
    ],
)
def test_principal_audience_fails_closed(configurable: dict, audience: str) -> None:
    assert principal_audience({"configurable": configurable}) == audience


def _call(tool, query: str, principal: object) -> ToolMessage:
    call = {
        "name": "search_knowledge",
        "args": {"query": query},
        "id": "call-1",
        "type": "tool_call",
    }
    return tool.invoke(call, config={"configurable": {"principal": principal}})


def test_tool_answers_with_steps_and_citations(bundled_kb: KnowledgeSearch) -> None:
    tool = make_search_knowledge(bundled_kb)
    message = _call(tool, "terminal shows E-104 during activation", {"audience": "customer"})
    assert (
        "[pos-activation-errors § E-104 Terminal not assigned to this location]" in message.content
    )
    assert "Reassign" in message.content
    assert message.artifact["hits"][0]["doc_id"] == "pos-activation-errors"


def test_tool_audience_comes_from_the_principal_not_the_model(bundled_kb: KnowledgeSearch) -> None:
    tool = make_search_knowledge(bundled_kb)
    assert "audience" not in tool.args  # the model cannot even ask
    query = "merchant risk on-call contact after a tamper alert"
    staff = _call(tool, query, SimpleNamespace(audience="internal"))
    assert "pos-tamper-handling" in {hit["doc_id"] for hit in staff.artifact["hits"]}
    for principal in ({"audience": "customer"}, None):
        customer = _call(tool, query, principal)
        assert "7711" not in customer.content
        assert all(hit["audience"] == "customer" for hit in customer.artifact["hits"])


def test_tool_says_when_nothing_is_relevant(bundled_kb: KnowledgeSearch) -> None:
    message = _call(make_search_knowledge(bundled_kb), "E-999", {"audience": "internal"})
    assert message.content == (
        "Nothing relevant found in the knowledge base: no document mentions E-999."
    )
    assert message.artifact["hits"] == []
