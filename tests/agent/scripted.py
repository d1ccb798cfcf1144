"""A scripted chat model and an agent over a sandbox, for tests of the graph and runtime.

``ScriptedChatModel`` replies with whatever its script returns for the conversation so far and
records every conversation it was given, so tests can assert what the model saw.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import Field

from agent.runtime import open_agent
from agent.service import Agent
from config import Settings
from sandbox.embedded import sandbox_settings
from sandbox.server import EmbeddedSandbox
from tools.policy import Principal

Script = Callable[[list[BaseMessage]], AIMessage]

STAFF = Principal(kind="staff", id="jordan.ellis@demo-bank.example", role="operations")
_ids = itertools.count(1)


class ScriptedChatModel(BaseChatModel):
    script: Script
    conversations: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[str] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:
        self.bound_tools = [tool.name for tool in tools]
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        self.conversations.append(list(messages))
        return ChatResult(generations=[ChatGeneration(message=self.script(list(messages)))])


def call(name: str, **args: Any) -> dict[str, Any]:
    return {"name": name, "args": args, "id": f"call_{next(_ids)}", "type": "tool_call"}


def tool_round_then_echo(*calls: dict[str, Any]) -> Script:
    """After a question: call ``calls`` (in one message); then answer with the tool results."""

    def script(messages: list[BaseMessage]) -> AIMessage:
        if isinstance(messages[-1], HumanMessage):
            return AIMessage(
                content="", tool_calls=[dict(c, id=f"call_{next(_ids)}") for c in calls]
            )
        return echo_results(messages)

    return script


def echo_results(messages: Sequence[BaseMessage]) -> AIMessage:
    """An answer made of the tool results that follow the last question."""
    results: list[str] = []
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            break
        if isinstance(message, ToolMessage):
            results.insert(0, str(message.content))
    usage = {"input_tokens": 10, "output_tokens": 5, "total_tokens": 15}
    return AIMessage(content="\n\n".join(results), usage_metadata=usage)


def demo_settings(sandbox: EmbeddedSandbox, **agent: Any) -> Settings:
    settings = sandbox_settings(Settings(), sandbox)
    return settings.model_copy(
        update={"agent": settings.agent.model_copy(update={"knowledge": False, **agent})}
    )


@asynccontextmanager
async def agent_over(
    sandbox: EmbeddedSandbox,
    chat_model: BaseChatModel | None = None,
    checkpointer: BaseCheckpointSaver | None = None,
    **agent_settings: Any,
) -> AsyncIterator[Agent]:
    """An agent over ``sandbox`` at its world's frozen now, without the knowledge base;
    ``chat_model`` replaces the one ``agent_settings`` (e.g. ``model="openai:…"``) configure."""
    now = sandbox.app.state.world.now
    async with open_agent(
        demo_settings(sandbox, **agent_settings),
        clock=lambda: now,
        checkpointer=checkpointer or InMemorySaver(),
        model=chat_model,
    ) as agent:
        yield agent
