"""What one question returns: the answer, its sources, the tools called and the tokens spent.

``AgentAnswer`` is the shape every channel receives (CLI ``--json``, HTTP API, Slack); it is
read off the messages of one turn — everything after the user's question.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from pydantic import BaseModel, Field

from agent.citations import Citation

# response_metadata flag on an AIMessage Baton wrote itself (a refusal, a run cut short):
# it is part of the conversation but was not a model round trip.
SYNTHETIC_KEY = "baton_synthetic"


class ToolCallRecord(BaseModel):
    name: str
    args: dict[str, Any]


class Usage(BaseModel):
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    model_calls: int = Field(0, description="Model round trips the answer took.")


class AgentAnswer(BaseModel):
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    thread_id: str
    model: str
    usage: Usage = Field(default_factory=Usage)


def synthetic_message(text: str) -> AIMessage:
    return AIMessage(content=text, response_metadata={SYNTHETIC_KEY: True})


def current_turn(messages: Sequence[AnyMessage]) -> list[AnyMessage]:
    """The messages after the last user question."""
    for index in range(len(messages) - 1, -1, -1):
        if isinstance(messages[index], HumanMessage):
            return list(messages[index + 1 :])
    return list(messages)


def _usage(replies: Sequence[AIMessage]) -> Usage:
    model_replies = [m for m in replies if not m.response_metadata.get(SYNTHETIC_KEY)]
    counts = [m.usage_metadata for m in model_replies if m.usage_metadata]
    return Usage(
        input_tokens=sum(c["input_tokens"] for c in counts),
        output_tokens=sum(c["output_tokens"] for c in counts),
        total_tokens=sum(c["total_tokens"] for c in counts),
        model_calls=len(model_replies),
    )


def answer_from_turn(turn: Sequence[AnyMessage], *, thread_id: str, model: str) -> AgentAnswer:
    replies = [m for m in turn if isinstance(m, AIMessage)]
    final = replies[-1]  # every turn ends with an answer: the graph's or a synthetic one
    cited = final.response_metadata.get("citations", [])
    return AgentAnswer(
        answer=final.text,
        citations=[Citation.model_validate(c) for c in cited],
        tool_calls=[
            ToolCallRecord(name=call["name"], args=call["args"])
            for reply in replies
            for call in reply.tool_calls
        ],
        thread_id=thread_id,
        model=model,
        usage=_usage(replies),
    )
