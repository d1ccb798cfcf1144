"""From requests to tool calls: which bound tool answers each request, with which arguments.

Calls are values (``Call``) so that the planner can tell what the current turn has already
asked for: each model round emits only the calls still missing, and the answer is composed
once nothing is missing. A request about "them" after a list in the same message waits for
the list's result, then becomes one call per listed customer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import ToolMessage

from agent.planner.lexicon import Intent
from agent.planner.reading import MAX_LISTED, Request

JOURNEY = "get_journey"
TOOL_FOR: dict[Intent, str] = {
    "status": JOURNEY,
    "next_step": JOURNEY,
    "owner": JOURNEY,
    "sources": JOURNEY,
    "follow_up": JOURNEY,
    "handoff": JOURNEY,
    "blockers": "explain_blocker",
    "history": "journey_timeline",
    "portfolio": "list_journeys",
    "troubleshooting": "search_knowledge",
}


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[tuple[str, Any], ...]

    @classmethod
    def of(cls, name: str, args: Mapping[str, Any]) -> Call:
        return cls(name, tuple(sorted((k, v) for k, v in args.items() if v is not None)))

    @property
    def arguments(self) -> dict[str, Any]:
        return dict(self.args)


def tool_for(request: Request, bound: set[str]) -> str | None:
    """The bound tool for a request; the journey view stands in for the blocker and timeline
    tools (it holds both), and nothing stands in for the others."""
    wanted = TOOL_FOR[request.intent]
    if wanted in bound:
        return wanted
    if wanted in ("explain_blocker", "journey_timeline") and JOURNEY in bound:
        return JOURNEY
    return None


def calls_for(request: Request, bound: set[str], listed: Sequence[str] | None) -> list[Call]:
    """The calls that answer ``request``; ``listed`` is this turn's list result (account ids),
    None while the list has not come back yet."""
    tool = tool_for(request, bound)
    if tool is None:
        return []
    if tool == "list_journeys":
        return [Call.of(tool, request.filters.list_args())]
    if tool == "search_knowledge":
        return [Call.of(tool, {"query": request.query})]
    customers = (listed or [])[:MAX_LISTED] if request.from_list else [request.customer]
    args: dict[str, Any] = {}
    if tool == "explain_blocker" and request.filters.blocker_type:
        args["blocker_type"] = request.filters.blocker_type
    return [Call.of(tool, {"customer": c, **args}) for c in customers if c]


def results_by_call(turn: Sequence[Any]) -> dict[Call, ToolMessage]:
    """The tool results of the current turn, keyed by the call that produced them."""
    results = {m.tool_call_id: m for m in turn if isinstance(m, ToolMessage)}
    found: dict[Call, ToolMessage] = {}
    for message in turn:
        for call in getattr(message, "tool_calls", None) or []:
            result = results.get(call["id"])
            if result is not None:
                found[Call.of(call["name"], call["args"])] = result
    return found


def listed_accounts(results: Mapping[Call, ToolMessage]) -> list[str] | None:
    """Account ids of this turn's list result, or None when no list has come back."""
    for call, message in results.items():
        if call.name == "list_journeys" and isinstance(message.artifact, dict):
            return [e["account"]["id"] for e in message.artifact.get("entries", [])]
    return None
