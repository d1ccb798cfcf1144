from __future__ import annotations

import pytest
from langchain_core.messages import ToolMessage

from knowledge.search import KnowledgeSearch
from tools.knowledge import make_search_knowledge, principal_audience
from tools.policy import Principal

STAFF = Principal(kind="staff", id="dana.whitfield@demo-bank.example", role="relationship_manager")
CUSTOMER = Principal(kind="customer", id="portal-user-7", account_id="001000000000001AAA")


@pytest.mark.parametrize(
    ("configurable", "audience"),
    [
        # Channels put the principal in the config as a model or as its model_dump().
        ({"principal": STAFF}, "internal"),
        ({"principal": STAFF.model_dump()}, "internal"),
        ({"principal": CUSTOMER}, "customer"),
        ({"principal": CUSTOMER.model_dump()}, "customer"),
        # Anything that is not a valid principal fails closed.
        ({"principal": {"audience": "internal"}}, "customer"),
        ({"principal": {"kind": "customer", "id": "x"}}, "customer"),
        ({"principal": "staff"}, "customer"),
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
    message = _call(tool, "terminal shows E-104 during activation", CUSTOMER.model_dump())
    assert (
        "[pos-activation-errors § E-104 Terminal not assigned to this location]" in message.content
    )
    assert "Reassign" in message.content
    assert message.artifact["hits"][0]["doc_id"] == "pos-activation-errors"


def test_tool_audience_comes_from_the_principal_not_the_model(bundled_kb: KnowledgeSearch) -> None:
    tool = make_search_knowledge(bundled_kb)
    assert "audience" not in tool.args  # the model cannot even ask
    query = "merchant risk on-call contact after a tamper alert"
    staff = _call(tool, query, STAFF.model_dump())
    assert "pos-tamper-handling" in {hit["doc_id"] for hit in staff.artifact["hits"]}
    for principal in (CUSTOMER.model_dump(), {"audience": "internal"}, None):
        customer = _call(tool, query, principal)
        assert "7711" not in customer.content
        assert all(hit["audience"] == "customer" for hit in customer.artifact["hits"])


def test_tool_says_when_nothing_is_relevant(bundled_kb: KnowledgeSearch) -> None:
    message = _call(make_search_knowledge(bundled_kb), "E-999", STAFF)
    assert message.content == (
        "Nothing relevant found in the knowledge base: no document mentions E-999."
    )
    assert message.artifact["hits"] == []
