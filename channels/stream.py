"""One agent turn as a stream of events, for the channels that show progress.

``stream_answer`` runs the agent's graph with ``astream`` and turns what LangGraph reports into
three kinds of event, which the HTTP API sends as server-sent events and the Slack app as
assistant-thread status plus a streamed message:

- ``StatusEvent``: what Baton is doing ("Checking Zendesk…"): the tools the model just called,
  and any progress line a tool writes with LangGraph's stream writer (``custom`` mode);
- ``DeltaEvent``: answer text as the model produces it (one piece for the local planner);
- ``DoneEvent``: the complete ``AgentAnswer`` (text, citations, tool calls), read back from the
  thread's checkpoint so it is exactly what ``Agent.ask`` would have returned.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Literal

from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage
from pydantic import BaseModel

from agent.answer import AgentAnswer, answer_from_turn, current_turn
from agent.graph import MODEL_NODE
from agent.service import TURN_DURABILITY, Agent
from tools.policy import Principal

# What a person is told while a tool runs; unknown tools get a generic line.
TOOL_STATUS = {
    "get_journey": "Checking the CRM, Zendesk, KYC and POS records…",
    "list_journeys": "Scanning the onboarding portfolio…",
    "explain_blocker": "Checking what is blocking the journey…",
    "journey_timeline": "Reading the history across systems…",
    "search_knowledge": "Searching the product docs…",
}


class StatusEvent(BaseModel):
    kind: Literal["status"] = "status"
    text: str


class DeltaEvent(BaseModel):
    kind: Literal["delta"] = "delta"
    text: str


class DoneEvent(BaseModel):
    kind: Literal["done"] = "done"
    answer: AgentAnswer


AgentEvent = StatusEvent | DeltaEvent | DoneEvent


def _status_for(update: Any) -> list[StatusEvent]:
    """Status lines for the tool calls in a model-node update."""
    messages = (update or {}).get("messages", []) if isinstance(update, dict) else []
    names = [c["name"] for m in messages if isinstance(m, AIMessage) for c in m.tool_calls]
    return [StatusEvent(text=TOOL_STATUS.get(n, f"Running {n}…")) for n in dict.fromkeys(names)]


def _delta_for(chunk: Any, metadata: dict[str, Any]) -> DeltaEvent | None:
    """Answer text from the model node; tool-calling messages and tool results are not."""
    if metadata.get("langgraph_node") != MODEL_NODE:
        return None
    if not isinstance(chunk, AIMessage | AIMessageChunk) or chunk.tool_calls:
        return None
    if isinstance(chunk, AIMessageChunk) and chunk.tool_call_chunks:
        return None
    return DeltaEvent(text=chunk.text) if chunk.text else None


async def stream_answer(
    agent: Agent, message: str, *, thread_id: str, principal: Principal
) -> AsyncIterator[AgentEvent]:
    if not message.strip() or len(message) > agent.max_message_chars:
        # Refused before the graph runs: ``ask`` words the refusal without touching the thread.
        answer = await agent.ask(message, principal=principal, thread_id=thread_id)
        yield DeltaEvent(text=answer.answer)
        yield DoneEvent(answer=answer)
        return
    config = agent.run_config(thread_id, principal)
    streamed = False
    async for mode, chunk in agent.graph.astream(
        {"messages": [HumanMessage(message)]},
        config,
        stream_mode=["updates", "messages", "custom"],
        durability=TURN_DURABILITY,
    ):
        if mode == "updates":
            for event in _status_for(chunk.get(MODEL_NODE)):
                yield event
        elif mode == "messages":
            delta = _delta_for(*chunk)
            if delta is not None:
                streamed = True
                yield delta
        elif mode == "custom" and isinstance(chunk, str):
            yield StatusEvent(text=chunk)
    snapshot = await agent.graph.aget_state(config)
    answer = answer_from_turn(
        current_turn(snapshot.values["messages"]), thread_id=thread_id, model=agent.model_name
    )
    if not streamed:  # a model that does not report its reply through callbacks
        yield DeltaEvent(text=answer.answer)
    yield DoneEvent(answer=answer)
