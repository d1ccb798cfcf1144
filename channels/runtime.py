"""What the channels need from a running Baton, built once per process.

``api.py`` enters a ``RuntimeFactory`` in its lifespan. ``open_runtime`` is the real one: it
assembles the agent from the same parts as ``agent.runtime.open_agent`` (back office → journey
service → tools → model → checkpointer → graph) but keeps hold of the parts the channels use
directly: the journey service (``/v1/journeys``, journey cards, the digest), the back office
(Slack identity) and what ``/readyz`` probes (each system, the checkpointer, the knowledge
base).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field

from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.base import BaseCheckpointSaver

from agent.checkpoints import open_checkpointer
from agent.graph import build_agent
from agent.models import open_chat_model
from agent.runtime import knowledge_tools
from agent.service import Agent
from channels.health import Probe, backoffice_probes
from config import Settings
from integrations import BackOffice
from journeys.service import Clock, JourneyService, budgets_from, journey_clock
from tools.journeys import make_journey_tools

READYZ_THREAD = "baton-readyz"


@dataclass
class ChannelRuntime:
    agent: Agent
    journeys: JourneyService
    office: BackOffice
    probes: dict[str, Probe] = field(default_factory=dict)


RuntimeFactory = Callable[[Settings], AbstractAsyncContextManager[ChannelRuntime]]


def checkpointer_probe(checkpointer: BaseCheckpointSaver) -> Probe:
    async def probe() -> str:
        # A read of a thread that never exists: proves the store answers, writes nothing.
        await checkpointer.aget_tuple({"configurable": {"thread_id": READYZ_THREAD}})
        return f"{type(checkpointer).__name__} ok"

    return probe


def knowledge_probe(enabled: bool, loaded: bool) -> Probe:
    async def probe() -> str:
        if not enabled:
            return "disabled (BATON_AGENT__KNOWLEDGE=false)"
        if not loaded:
            raise RuntimeError("the knowledge base could not be opened; run `baton ingest`")
        return "search_knowledge ready"

    return probe


@asynccontextmanager
async def open_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    checkpointer: BaseCheckpointSaver | None = None,
    model: BaseChatModel | None = None,
) -> AsyncIterator[ChannelRuntime]:
    """The runtime over the configured back office; ``clock``, ``checkpointer`` and ``model``
    as in ``open_agent`` (the frozen world time in embedded mode; test overrides). Without a
    clock, journeys are judged at ``BATON_JOURNEYS__NOW``, else by the wall clock."""
    agent_settings = settings.agent
    async with AsyncExitStack() as stack:
        office = await stack.enter_async_context(BackOffice(settings))
        clock = clock or journey_clock(settings)
        service = JourneyService(office, budgets_from(settings), clock=clock)
        knowledge = knowledge_tools(settings.knowledge) if agent_settings.knowledge else []
        if checkpointer is None:
            checkpointer = await stack.enter_async_context(open_checkpointer(agent_settings))
        chat_model = model or await stack.enter_async_context(open_chat_model(agent_settings))
        agent = Agent(
            build_agent(chat_model, [*make_journey_tools(service), *knowledge], checkpointer),
            model_name=agent_settings.model if model is None else type(model).__name__,
            recursion_limit=agent_settings.recursion_limit,
            max_message_chars=agent_settings.max_message_chars,
        )
        probes = {
            **backoffice_probes(office),
            "checkpointer": checkpointer_probe(checkpointer),
            "knowledge": knowledge_probe(agent_settings.knowledge, bool(knowledge)),
        }
        yield ChannelRuntime(agent=agent, journeys=service, office=office, probes=probes)
