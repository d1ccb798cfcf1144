"""The agent graph: model node ↔ ``ToolNode``, checkpointed per thread.

::

    START → model ──(tool calls)──→ tools ──→ model … ──(no tool calls)──→ END

- The model node prepends the system message (prompt + who is asking, see ``agent.prompts``)
  on every call; it is never stored in the thread, so a prompt change applies to old threads.
- All tool calls of one model message run concurrently in the ``ToolNode``. Every tool error
  becomes a ``ToolMessage`` the model can relay: the journey tools raise ``ToolException`` for
  expected failures (unknown customer, access denied, a system down), and
  ``tool_error_message`` covers anything unexpected so that no tool can crash a run.
- A final answer without citations (an LLM's) gets them from the turn's tool artifacts.
- The principal is read from ``config["configurable"]["principal"]`` by the tools themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import ToolNode, tools_condition

from agent.answer import current_turn
from agent.citations import citations_from_tools, cited_in
from agent.prompts import system_message
from tools.policy import principal_from

log = logging.getLogger(__name__)

MODEL_NODE = "model"
TOOLS_NODE = "tools"


class ModelCallFailed(RuntimeError):
    """The chat model could not produce a reply (server down, bad key, malformed response)."""


def tool_error_message(error: Exception) -> str:
    """What the model is told when a tool fails unexpectedly (the annotation makes ToolNode
    hand every exception type to this function)."""
    log.error("tool failed unexpectedly", exc_info=error)
    return (
        f"This lookup failed unexpectedly ({type(error).__name__}: {error}). Tell the user it "
        "could not be completed; do not guess its result."
    )


def _with_citations(reply: AIMessage, turn: Sequence[Any]) -> AIMessage:
    if "citations" in reply.response_metadata:
        return reply
    results = [m for m in turn if isinstance(m, ToolMessage)]
    citations = cited_in(reply.text, citations_from_tools(results))
    metadata = {**reply.response_metadata, "citations": [c.model_dump() for c in citations]}
    return reply.model_copy(update={"response_metadata": metadata})


async def _route(state: MessagesState) -> str:
    """``tools_condition``, as a coroutine: LangGraph runs a plain function router in a thread
    pool under ``ainvoke`` — a thread hop on every model reply for a dictionary lookup."""
    return tools_condition(state)


def build_agent(
    model: BaseChatModel,
    tools: Sequence[BaseTool],
    checkpointer: BaseCheckpointSaver | None = None,
) -> CompiledStateGraph:
    """The compiled graph. Run it with ``{"configurable": {"thread_id", "principal"},
    "recursion_limit": N}``; ``agent.service.Agent`` does that for channels."""
    bound = model.bind_tools(list(tools))

    async def call_model(state: MessagesState, config: RunnableConfig) -> dict[str, Any]:
        messages = [system_message(principal_from(config)), *state["messages"]]
        try:
            reply = await bound.ainvoke(messages, config)
        except Exception as exc:
            # Model clients fail in library-specific ways (openai.APIError, httpx errors,
            # validation of a malformed reply); the caller needs one type to answer with.
            raise ModelCallFailed(f"{type(exc).__name__}: {exc}") from exc
        if not isinstance(reply, AIMessage):
            raise ModelCallFailed(f"the model returned {type(reply).__name__}, not an AIMessage")
        if not reply.tool_calls:
            reply = _with_citations(reply, current_turn(state["messages"]))
        return {"messages": [reply]}

    graph = StateGraph(MessagesState)
    graph.add_node(MODEL_NODE, call_model)
    graph.add_node(TOOLS_NODE, ToolNode(list(tools), handle_tool_errors=tool_error_message))
    graph.add_edge(START, MODEL_NODE)
    graph.add_conditional_edges(MODEL_NODE, _route, {"tools": TOOLS_NODE, END: END})
    graph.add_edge(TOOLS_NODE, MODEL_NODE)
    return graph.compile(checkpointer=checkpointer)
