"""``LocalPlanner``: a deterministic LangChain chat model that plans tool calls and answers.

Each call reads the conversation the graph passes in:

1. the current question (the last human message) is read into requests (``reading``), with
   the earlier turns as context (``memory``) and the principal from the system message;
2. the calls those requests need that the current turn has not made yet are returned as one
   ``AIMessage`` with ``tool_calls`` (several run in parallel in the ``ToolNode``);
3. once nothing is missing, the answer is composed from the turn's tool results
   (``compose``), with ``response_metadata["citations"]``.

No network, no key, no randomness: the same conversation always gives the same message.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import Field

from agent.planner.calls import Call, calls_for, results_by_call
from agent.planner.compose import compose
from agent.planner.memory import context_from, principal_in, split_turn
from agent.planner.reading import read

MODEL_NAME = "baton-local-planner"
# Rounds of tool calls in one turn: the list (or a lookup), then one call per listed customer
# (or the journeys of a colleague the name turned out to be).
MAX_ROUNDS = 3
NO_USAGE = {"input_tokens": 0, "output_tokens": 0, "total_tokens": 0}


class LocalPlanner(BaseChatModel):
    """Plans tool calls for the bound tools and composes grounded answers from their results."""

    tools: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Bound tools by name: their OpenAI function schema."
    )

    @property
    def _llm_type(self) -> str:
        return "baton-local-planner"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": MODEL_NAME, "tools": sorted(self.tools)}

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """A planner that knows these tools (names and argument schemas); ``tool_choice`` and
        provider options such as ``parallel_tool_calls`` do not apply and are ignored."""
        schemas = [convert_to_openai_tool(tool)["function"] for tool in tools]
        return self.model_copy(update={"tools": {s["name"]: s for s in schemas}})

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.respond(messages))])

    # The planner does no I/O: BaseChatModel's default _agenerate runs _generate in an executor,
    # which costs a thread hop per call; answering inline keeps a turn in the millisecond range.
    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.respond(messages))])

    def respond(self, messages: Sequence[BaseMessage]) -> AIMessage:
        earlier, question, turn = split_turn(messages)
        principal = principal_in(messages)
        reading = read(question, context_from(earlier, principal))
        results = results_by_call(turn)
        rounds = sum(1 for m in turn if isinstance(m, AIMessage) and m.tool_calls)
        if rounds < MAX_ROUNDS:
            needed = [c for r in reading.requests for c in calls_for(r, self.tools, results)]
            missing = list(dict.fromkeys(c for c in needed if c not in results))
            if missing:
                return self._calls(missing, len(earlier) + len(turn))
        text, citations = compose(reading, results, self.tools, principal)
        return AIMessage(
            content=text,
            response_metadata={"citations": citations, "model_name": MODEL_NAME},
            usage_metadata=NO_USAGE,
        )

    def _calls(self, calls: list[Call], position: int) -> AIMessage:
        return AIMessage(
            content="",
            tool_calls=[
                {
                    "name": c.name,
                    "args": c.arguments,
                    "id": _call_id(c, position),
                    "type": "tool_call",
                }
                for c in calls
            ],
            response_metadata={"model_name": MODEL_NAME},
            usage_metadata=NO_USAGE,
        )


def _call_id(call: Call, position: int) -> str:
    """Deterministic and unique within a thread (the position of the message in it)."""
    digest = hashlib.sha1(
        json.dumps([call.name, call.args, position], default=str).encode(), usedforsecurity=False
    ).hexdigest()
    return f"call_{digest[:20]}"
