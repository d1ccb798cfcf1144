"""Scoring one turn's answer against its expectations (``docs/eval-format.md``).

- ``communicate_info``: each string appears in the answer;
- ``forbidden_info``: none appears in the answer or its citations (both are shown to the user);
- ``expected_tools``: each expected call matches a call of the turn — same name, and every
  argument the case gives equal to the call's (strings compared like text below);
- ``expected_docs``: each doc id is cited.

Text is compared case-insensitively, with Unicode normalised (NFKC), whitespace runs collapsed,
commas inside numbers dropped ("$12,500" matches "12500") and markdown emphasis marks (``*``,
backticks) ignored, so "**Blocked** in KYC" matches "blocked in KYC".
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic import BaseModel, Field

from agent.answer import AgentAnswer, ToolCallRecord
from eval.cases import ExpectedTool, Turn

_NUMBER_COMMA = re.compile(r"(?<=\d),(?=\d)")
_SPACE = re.compile(r"\s+")
_EMPHASIS = re.compile(r"[*`]")


class Verdict(BaseModel):
    failures: list[str] = Field(default_factory=list, description="Why the turn failed.")
    forbidden_hits: list[str] = Field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", _EMPHASIS.sub("", _NUMBER_COMMA.sub("", text))).strip()


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, str) and isinstance(actual, str):
        return normalize(expected) == normalize(actual)
    return expected == actual


def call_matches(expected: ExpectedTool, call: ToolCallRecord) -> bool:
    return expected.name == call.name and all(
        key in call.args and _same(value, call.args[key]) for key, value in expected.args.items()
    )


def _describe(name: str, args: dict[str, Any]) -> str:
    return f"{name}({', '.join(f'{k}={v!r}' for k, v in args.items())})"


def _shown(answer: AgentAnswer) -> str:
    """Everything the user sees: the answer and each citation's label and link."""
    citations = (f"{c.label} {c.link or ''}" for c in answer.citations)
    return normalize(" ".join([answer.answer, *citations]))


def _missing_calls(expected: list[ExpectedTool], made: list[ToolCallRecord]) -> list[str]:
    listed = ", ".join(_describe(c.name, c.args) for c in made) or "none"
    return [
        f"no call {_describe(e.name, e.args)} (made: {listed})"
        for e in expected
        if not any(call_matches(e, call) for call in made)
    ]


def score_turn(turn: Turn, answer: AgentAnswer) -> Verdict:
    said, shown = normalize(answer.answer), _shown(answer)
    forbidden = [info for info in turn.forbidden_info if normalize(info) in shown]
    cited = {c.record_id for c in answer.citations}
    failures = [
        *(f"missing {info!r}" for info in turn.communicate_info if normalize(info) not in said),
        *(f"forbidden {info!r} shown" for info in forbidden),
        *_missing_calls(turn.expected_tools, answer.tool_calls),
        *(f"doc {doc!r} not cited" for doc in turn.expected_docs if doc not in cited),
    ]
    return Verdict(failures=failures, forbidden_hits=forbidden)
