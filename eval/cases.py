"""Agent evaluation cases — a public format (``docs/eval-format.md``): case files written by
others, against other worlds, must load unchanged.

A case file is JSON Lines: one case per line, blank lines allowed. Unknown fields are errors,
so that a misspelt expectation cannot make a case pass silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from agent.principals import DEMO_STAFF
from tools.policy import Principal

TURN_FIELDS = ("user", "communicate_info", "forbidden_info", "expected_tools", "expected_docs")


class CaseFileError(ValueError):
    """A case file that cannot be read; the message names the file and line."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExpectedTool(_Strict):
    name: str = Field(min_length=1)
    args: dict[str, Any] = Field(
        default_factory=dict, description="Only these arguments are compared (subset match)."
    )


class Turn(_Strict):
    user: str = Field(description="What the user says (may be empty: bad input is a case too).")
    communicate_info: list[str] = Field(default_factory=list)
    forbidden_info: list[str] = Field(default_factory=list)
    expected_tools: list[ExpectedTool] = Field(default_factory=list)
    expected_docs: list[str] = Field(default_factory=list)


class Case(_Strict):
    id: str = Field(min_length=1)
    category: str = Field("general", min_length=1)
    principal: Principal = DEMO_STAFF
    turns: list[Turn] = Field(min_length=1)
    world: str | None = Field(None, description="The world the case was written for (a note).")
    notes: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _single_turn_shorthand(cls, data: Any) -> Any:
        """``{"id", "user", "communicate_info", …}`` is a one-turn case."""
        if isinstance(data, dict) and "turns" not in data and "user" in data:
            turn = {key: data[key] for key in TURN_FIELDS if key in data}
            rest = {key: value for key, value in data.items() if key not in TURN_FIELDS}
            return {**rest, "turns": [turn]}
        return data


def parse_cases(lines: list[str], source: str) -> list[Case]:
    cases: list[Case] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            case = Case.model_validate_json(line)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'line'}: {e['msg']}" for e in exc.errors()
            )
            raise CaseFileError(f"{source}:{number}: {problems}") from exc
        if case.id in seen:
            raise CaseFileError(
                f"{source}:{number}: duplicate case id {case.id!r} (first on line {seen[case.id]})"
            )
        seen[case.id] = number
        cases.append(case)
    if not cases:
        raise CaseFileError(f"{source}: no cases")
    return cases


def load_cases(path: Path) -> list[Case]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CaseFileError(f"cannot read {path}: {exc.strerror}") from exc
    return parse_cases(text.splitlines(), str(path))
