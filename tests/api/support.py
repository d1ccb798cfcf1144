"""What the API and Slack tests share: a runtime over the demo sandbox with a scripted model.

The scripted model stands in for the chat model so that these tests exercise the channels —
auth, wire formats, threads, streaming, Slack calls — through the real graph, tools, journey
service and sandbox, without depending on the local planner's wording.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import SecretStr

from channels.runtime import ChannelRuntime, RuntimeFactory, open_runtime
from config import ApiKey, Settings, TransportSettings
from sandbox.embedded import sandbox_settings
from sandbox.server import EmbeddedSandbox

STAFF_KEY = "test-staff-key-000001"
CHATBOT_KEY = "test-chatbot-key-00001"
TOKEN_SECRET = "test-customer-token-secret-0123456789abcdef"
ACME = "001Dn0000hKCHEnIAP"  # Acme Bakery LLC in the demo world
NORTHWIND = "001Dn0000SNGsiEIQT"  # Northwind Traders

FAST = TransportSettings(
    timeout_s=2.0, connect_timeout_s=1.0, retries=0, backoff_base_s=0.01, breaker_failures=100
)
KEYS = [
    ApiKey(name="ops", key=SecretStr(STAFF_KEY), kind="staff", role="onboarding_specialist"),
    ApiKey(
        name="portal",
        key=SecretStr(CHATBOT_KEY),
        kind="chatbot",
        customer_token_secret=SecretStr(TOKEN_SECRET),
    ),
]


class ScriptedModel(BaseChatModel):
    """Asks ``get_journey`` about the customer the question names (the whole question), then
    answers with the tool's text and the turn number of the thread."""

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Any, **kwargs: Any) -> ScriptedModel:
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._reply(messages))])

    async def _agenerate(
        self, messages: list[BaseMessage], *args: Any, **kwargs: Any
    ) -> ChatResult:
        return self._generate(messages)

    def _reply(self, messages: list[BaseMessage]) -> AIMessage:
        last = messages[-1]
        turn = sum(isinstance(m, HumanMessage) for m in messages)
        if isinstance(last, HumanMessage):
            call = {"name": "get_journey", "args": {"customer": last.text}, "id": f"call-{turn}"}
            return AIMessage(content="", tool_calls=[call])
        assert isinstance(last, ToolMessage)
        return AIMessage(content=f"{last.text}\n(turn {turn})")


def channel_settings(sandbox: EmbeddedSandbox, **updates: Any) -> Settings:
    settings = sandbox_settings(Settings(), sandbox)
    systems = {
        name: getattr(settings, name).model_copy(update={"transport": FAST})
        for name in ("salesforce", "zendesk", "kyc", "pos")
    }
    return settings.model_copy(
        update={
            **systems,
            "agent": settings.agent.model_copy(update={"knowledge": False}),
            "api": settings.api.model_copy(update={"keys": KEYS}),
            **updates,
        }
    )


def runtime_factory(sandbox: EmbeddedSandbox, model: BaseChatModel | None = None) -> RuntimeFactory:
    """A ``RuntimeFactory`` over ``sandbox`` with in-memory checkpoints and the frozen clock."""

    @asynccontextmanager
    async def factory(settings: Settings) -> AsyncIterator[ChannelRuntime]:
        async with open_runtime(
            settings,
            clock=lambda: sandbox.ctx.now,
            checkpointer=InMemorySaver(),
            model=model or ScriptedModel(),
        ) as runtime:
            yield runtime

    return factory


def sse_events(text: str) -> Iterator[tuple[str, str]]:
    """(event, data) pairs of a text/event-stream body."""
    for block in text.replace("\r\n", "\n").split("\n\n"):
        event, data = "message", []
        for line in block.splitlines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip())
        if data:
            yield event, "\n".join(data)
