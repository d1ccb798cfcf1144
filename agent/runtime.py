"""Build a ready ``Agent`` from settings, as one async context manager.

Back office clients → journey service → tools (+ ``search_knowledge`` when the knowledge base
can be opened) → chat model → checkpointer → graph. Everything opened here is closed on exit.
The CLI, the HTTP API and the evaluation harness all start the agent this way.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from langchain_core.language_models import BaseChatModel
from langchain_core.tools import BaseTool
from langgraph.checkpoint.base import BaseCheckpointSaver

from agent.checkpoints import open_checkpointer
from agent.graph import build_agent
from agent.models import open_chat_model
from agent.service import Agent
from config import KnowledgeSettings, Settings
from integrations import BackOffice
from journeys.service import Clock, JourneyService, budgets_from, wall_clock
from tools.journeys import make_journey_tools

log = logging.getLogger(__name__)


def knowledge_tools(settings: KnowledgeSettings) -> list[BaseTool]:
    """``[search_knowledge]``, or nothing when the knowledge base cannot be opened: journey
    questions must keep working without it (troubleshooting answers then say they can't)."""
    # Imported here: chromadb costs a second to import and is not needed when disabled.
    from knowledge.search import open_search
    from knowledge.store import StoreUnavailable
    from tools.knowledge import make_search_knowledge

    try:
        return [make_search_knowledge(open_search(settings))]
    except StoreUnavailable as exc:
        log.warning("knowledge base unavailable, answering without it: %s", exc)
        return []


@asynccontextmanager
async def open_agent(
    settings: Settings,
    *,
    clock: Clock = wall_clock,
    checkpointer: BaseCheckpointSaver | None = None,
    model: BaseChatModel | None = None,
) -> AsyncIterator[Agent]:
    """The agent over the configured back office.

    ``clock`` is the journeys' "now" (a sandbox world's frozen time in embedded mode);
    ``checkpointer`` and ``model`` override the configured ones (tests, evaluation).
    """
    agent_settings = settings.agent
    async with AsyncExitStack() as stack:
        office = await stack.enter_async_context(BackOffice(settings))
        service = JourneyService(office, budgets_from(settings), clock=clock)
        tools = make_journey_tools(service)
        if agent_settings.knowledge:
            tools += knowledge_tools(settings.knowledge)
        if checkpointer is None:
            checkpointer = await stack.enter_async_context(open_checkpointer(agent_settings))
        chat_model = model or await stack.enter_async_context(open_chat_model(agent_settings))
        yield Agent(
            build_agent(chat_model, tools, checkpointer),
            model_name=agent_settings.model if model is None else type(model).__name__,
            recursion_limit=agent_settings.recursion_limit,
            max_message_chars=agent_settings.max_message_chars,
        )
