"""The agent: a LangGraph graph over Baton's tools, driven by the local planner or an LLM.

``open_agent(settings)`` builds a ready ``Agent``; ``await agent.ask(question, principal=…,
thread_id=…)`` returns an ``AgentAnswer``. See ``docs/agent.md``.
"""

from agent.answer import AgentAnswer, ToolCallRecord, Usage
from agent.citations import Citation
from agent.graph import build_agent
from agent.runtime import open_agent
from agent.service import Agent

__all__ = [
    "Agent",
    "AgentAnswer",
    "Citation",
    "ToolCallRecord",
    "Usage",
    "build_agent",
    "open_agent",
]
