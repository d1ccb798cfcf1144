"""From requests to tool calls: which bound tool answers each request, with which arguments.

Calls are values (``Call``) so that the planner can tell what the current turn has already
asked for: each model round emits only the calls still missing, and the answer is composed
once nothing is missing. Some calls depend on earlier results of the turn: a request about
"them" after a list in the same message waits for the list, then becomes one call per listed
customer; a name that is no customer may be a colleague's ("what is Tom Okafor working
on?"), whose journeys are then listed.

Every customer answer starts from the journey view (``get_journey``): it holds the status for
the header, the contacts, and what a partial view could not confirm; the blocker and timeline
tools add their detail next to it (views are cached, so the second read costs little).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import ToolMessage

from agent.planner.lexicon import Intent
from agent.planner.reading import MAX_LISTED, Request
from tools.errors import ResolutionFailure

JOURNEY = "get_journey"
LIST = "list_journeys"
KNOWLEDGE = "search_knowledge"
TOOL_FOR: dict[Intent, str] = {
    "status": JOURNEY,
    "next_step": JOURNEY,
    "owner": JOURNEY,
    "sources": JOURNEY,
    "follow_up": JOURNEY,
    "handoff": JOURNEY,
    "blockers": "explain_blocker",
    "history": "journey_timeline",
    "portfolio": LIST,
    "step_sla": LIST,
    "troubleshooting": KNOWLEDGE,
}
# The bound tools: name → OpenAI function schema (its ``parameters`` say which arguments
# the tool accepts).
Tools = Mapping[str, Mapping[str, Any]]


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


def tool_for(request: Request, tools: Tools) -> str | None:
    """The bound tool for a request; the journey view stands in for the blocker and timeline
    tools (it holds both), and nothing stands in for the others."""
    wanted = TOOL_FOR[request.intent]
    if wanted in tools:
        return wanted
    if wanted in ("explain_blocker", "journey_timeline") and JOURNEY in tools:
        return JOURNEY
    return None


def accepted(tools: Tools, name: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments the bound tool ``name`` takes (a filter it does not know would fail the
    whole call; the answer says which filters were left out, see ``refused``)."""
    known = tools.get(name, {}).get("parameters", {}).get("properties", {})
    return {k: v for k, v in args.items() if k in known}


def refused(tools: Tools, name: str, args: Mapping[str, Any]) -> list[str]:
    return [k for k in args if k not in accepted(tools, name, args)]


def list_call(tools: Tools, request: Request) -> Call:
    return Call.of(LIST, accepted(tools, LIST, request.filters.list_args()))


def view_call(customer: str) -> Call:
    return Call.of(JOURNEY, {"customer": customer})


def calls_for(request: Request, tools: Tools, results: Mapping[Call, ToolMessage]) -> list[Call]:
    """The calls that answer ``request``, given the results this turn has so far."""
    tool = tool_for(request, tools)
    if tool is None:
        return []
    if tool == LIST:
        return [list_call(tools, request)]
    if tool == KNOWLEDGE:
        return [Call.of(tool, {"query": request.query})]
    listed = listed_accounts(results)
    customers = (listed or [])[:MAX_LISTED] if request.from_list else [request.customer]
    args: dict[str, Any] = {}
    if tool == "explain_blocker" and request.filters.blocker_type:
        args["blocker_type"] = request.filters.blocker_type
    calls: list[Call] = []
    for customer in filter(None, customers):
        if JOURNEY in tools:
            calls.append(view_call(customer))
        if tool != JOURNEY:
            calls.append(Call.of(tool, {"customer": customer, **args}))
        calls += colleague_calls(request, tools, results)
    return list(dict.fromkeys(calls))


def colleague_calls(
    request: Request, tools: Tools, results: Mapping[Call, ToolMessage]
) -> list[Call]:
    """The journeys of a person the question names, once the name turned out to be no
    customer's: staff are not customers, and "what is Tom Okafor working on?" asks for what
    they own or hold. Only for a clear question (a passing name is not worth a list)."""
    if request.tentative or request.from_list or not request.said or LIST not in tools:
        return []
    if unknown_customer(results.get(view_call(request.customer or ""))) is None:
        return []
    return [Call.of(LIST, accepted(tools, LIST, {"owner": request.said}))]


def unknown_customer(message: ToolMessage | None) -> ResolutionFailure | None:
    """The failure of a lookup whose name matched no customer at all."""
    if message is None or message.status != "error":
        return None
    failure = ResolutionFailure.parse(message.text)
    return failure if failure is not None and failure.error == "customer_unknown" else None


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
        if call.name == LIST and isinstance(message.artifact, dict):
            return [e["account"]["id"] for e in message.artifact.get("entries", [])]
    return None
