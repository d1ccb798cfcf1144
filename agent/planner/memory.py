"""What the conversation so far says: who is asking and whom "they" refers to.

The planner keeps no state of its own: everything is read back from the messages the graph
passes in (and the checkpointer keeps). Earlier turns' tool calls and results give:

- ``focus``: the customers the last answered turn was about (pronouns and ellipsis);
- ``candidates``: when that turn ended on an ambiguous name, the customers it listed;
- ``listed``: when it was a list, the customers in it ("and what's blocking them?").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage, ToolMessage

from agent.planner.lexicon import FUNCTION_WORDS
from agent.planner.text import same_word, stem, tokens
from agent.prompts import PRINCIPAL_KEY
from tools.errors import ResolutionFailure
from tools.policy import Principal

CUSTOMER_TOOLS = frozenset({"get_journey", "explain_blocker", "journey_timeline"})
_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "last": -1}
PICK_SHARE, PICK_LEAD = 0.5, 0.25


@dataclass(frozen=True)
class Customer:
    ref: str  # what the tools accept: a CRM id when known
    name: str


@dataclass
class Context:
    principal: Principal | None = None
    focus: list[Customer] = field(default_factory=list)
    candidates: list[Customer] = field(default_factory=list)
    listed: list[Customer] = field(default_factory=list)


def principal_in(messages: Sequence[AnyMessage]) -> Principal | None:
    """The principal the graph put on its system message (context only, never a permission)."""
    for message in messages:
        raw = message.additional_kwargs.get(PRINCIPAL_KEY)
        if isinstance(message, SystemMessage) and isinstance(raw, dict):
            try:
                return Principal.model_validate(raw)
            except ValueError:
                return None
    return None


def split_turn(messages: Sequence[AnyMessage]) -> tuple[list[AnyMessage], str, list[AnyMessage]]:
    """(earlier messages, the current question, the messages after it)."""
    for index in range(len(messages) - 1, -1, -1):
        if isinstance(messages[index], HumanMessage):
            return list(messages[:index]), messages[index].text, list(messages[index + 1 :])
    return list(messages), "", []


def context_from(earlier: Sequence[AnyMessage], principal: Principal | None) -> Context:
    """Read the most recent earlier turn that called tools."""
    context = Context(principal=principal)
    results = {m.tool_call_id: m for m in earlier if isinstance(m, ToolMessage)}
    for message in reversed(earlier):
        if not (isinstance(message, AIMessage) and message.tool_calls):
            continue
        for call in message.tool_calls:
            result = results.get(call["id"] or "")
            if result is not None:
                _remember(context, call["name"], result)
        if context.focus or context.candidates or context.listed:
            break
    return context


def _remember(context: Context, tool: str, result: ToolMessage) -> None:
    artifact = result.artifact
    if tool == "list_journeys" and isinstance(artifact, dict):
        for entry in artifact.get("entries", []):
            account = entry.get("account", {})
            context.listed.append(Customer(account.get("id", ""), account.get("name") or ""))
        return
    if tool not in CUSTOMER_TOOLS:
        return
    if result.status == "error":
        failure = ResolutionFailure.parse(result.text)
        if failure is not None:
            context.candidates.extend(Customer(c.id, c.name) for c in failure.candidates)
        return
    # Every customer tool's artifact names the account it answered about.
    account = artifact.get("account") if isinstance(artifact, dict) else None
    if not isinstance(account, dict) or not account.get("id"):
        return
    customer = Customer(account["id"], account.get("name") or account["id"])
    if customer not in context.focus:
        context.focus.append(customer)


def pick(text: str, options: Sequence[Customer]) -> Customer | None:
    """The option the user's reply points at: by ordinal ("the second one") or by words that
    fit one option's name better than any other's ("the LLC one"); None when not clear."""
    words = [w.norm for w in tokens(text)]
    for word, index in _ORDINALS.items():
        if word in words and len(options) > abs(index) - (index < 0):
            return options[index]
    content = [w for w in words if w not in FUNCTION_WORDS]
    if not content:
        return None
    scored = sorted(((_coverage(content, o), o) for o in options), key=lambda item: -item[0])
    best, runner_up = scored[0][0], scored[1][0] if len(scored) > 1 else 0.0
    return scored[0][1] if best >= PICK_SHARE and best - runner_up >= PICK_LEAD else None


def _coverage(content: list[str], option: Customer) -> float:
    """Share of the user's content words found in the option's name or id; a word found only
    through typo tolerance counts half, so "bakeries" prefers Bakeries Inc over Bakery LLC."""
    names = [w.norm for w in tokens(f"{option.name} {option.ref}")]
    return sum(_fit(w, names) for w in content) / len(content)


def _fit(word: str, names: list[str]) -> float:
    if any(stem(word) == stem(n) for n in names):
        return 1.0
    return 0.5 if any(same_word(word, n) for n in names) else 0.0
