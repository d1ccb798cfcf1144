"""``Agent``: the facade channels call — one question in, one ``AgentAnswer`` out.

It owns what the graph cannot decide for itself: the run config (thread, principal, recursion
limit), questions that never reach the model (empty, too long), and closing a turn that was cut
short (step limit, model down) so that the thread stays valid for the next question — every
tool call answered, the last message an answer.
"""

from __future__ import annotations

import logging
import uuid

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.errors import GraphRecursionError
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Durability

from agent.answer import AgentAnswer, answer_from_turn, current_turn, synthetic_message
from agent.graph import MODEL_NODE, ModelCallFailed
from tools.policy import Principal

log = logging.getLogger(__name__)

EMPTY_QUESTION = (
    "Please type a question — for example “where is Acme Bakery LLC in onboarding?”, "
    "“what's blocking Northwind Traders?” or “help”."
)


# A turn is checkpointed once, when it ends — answered or failed (LangGraph writes the state on
# an error too, which is what ``_close_turn`` reads). Writing after every step (LangGraph's
# default) would only let a turn resume midway after a crash, which no channel does, and costs
# three or four store writes per answer instead of one.
TURN_DURABILITY: Durability = "exit"


def new_thread_id() -> str:
    return uuid.uuid4().hex


class Agent:
    def __init__(
        self,
        graph: CompiledStateGraph,
        *,
        model_name: str,
        recursion_limit: int,
        max_message_chars: int,
    ) -> None:
        self.graph = graph
        self.model_name = model_name
        self.recursion_limit = recursion_limit
        self.max_message_chars = max_message_chars

    def run_config(self, thread_id: str, principal: Principal) -> RunnableConfig:
        """The config of one run (also what a streaming channel passes to ``graph.astream``)."""
        return {
            "configurable": {"thread_id": thread_id, "principal": principal.model_dump()},
            "recursion_limit": self.recursion_limit,
        }

    async def ask(
        self, message: str, *, principal: Principal, thread_id: str | None = None
    ) -> AgentAnswer:
        thread_id = thread_id or new_thread_id()
        refusal = self._refusal(message)
        if refusal is not None:
            return AgentAnswer(answer=refusal, thread_id=thread_id, model=self.model_name)
        config = self.run_config(thread_id, principal)
        try:
            state = await self.graph.ainvoke(
                {"messages": [HumanMessage(message)]}, config, durability=TURN_DURABILITY
            )
            messages: list[AnyMessage] = state["messages"]
        except GraphRecursionError:
            log.warning("thread %s: recursion limit %d reached", thread_id, self.recursion_limit)
            messages = await self._close_turn(
                config,
                f"I stopped after {self.recursion_limit} steps without a complete answer. "
                "Please ask about one customer or one topic at a time.",
            )
        except ModelCallFailed as exc:
            log.error("thread %s: model %s failed: %s", thread_id, self.model_name, exc)
            messages = await self._close_turn(
                config,
                f"I couldn't get an answer from the language model ({self.model_name}): "
                f"{str(exc).rstrip('.')}. Please try again shortly.",
            )
        return answer_from_turn(current_turn(messages), thread_id=thread_id, model=self.model_name)

    def _refusal(self, message: str) -> str | None:
        if not message.strip():
            return EMPTY_QUESTION
        if len(message) > self.max_message_chars:
            return (
                f"That message is {len(message):,} characters long; I can take up to "
                f"{self.max_message_chars:,}. Please ask a shorter question."
            )
        return None

    async def _close_turn(self, config: RunnableConfig, notice: str) -> list[AnyMessage]:
        """End an interrupted turn with ``notice``, answering any tool call left pending."""
        snapshot = await self.graph.aget_state(config)
        messages: list[AnyMessage] = snapshot.values.get("messages", [])
        closing: list[AnyMessage] = []
        last = messages[-1] if messages else None
        if isinstance(last, AIMessage):
            closing += [
                ToolMessage("Not run: the turn was cut short.", tool_call_id=call["id"])
                for call in last.tool_calls
            ]
        closing.append(synthetic_message(notice))
        await self.graph.aupdate_state(config, {"messages": closing}, as_node=MODEL_NODE)
        return [*messages, *closing]
