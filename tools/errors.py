"""Tool failures with a stable, JSON-parsable shape, for callers that act on them.

A tool error reaches the model as the text of a ``ToolMessage`` (``status="error"``; LangChain
gives errors no artifact). When a customer's name does not resolve, the text is this model as
JSON: a model reads its ``message``, and the local planner reads ``candidates`` to ask which
customer was meant, without parsing prose.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ValidationError

from journeys.resolve import Candidate, Resolution
from journeys.templates import clip


class ResolutionFailure(BaseModel):
    error: Literal["customer_ambiguous", "customer_unknown"]
    message: str
    query: str
    candidates: list[Candidate] = []

    @classmethod
    def of(cls, resolution: Resolution) -> ResolutionFailure:
        return cls(
            error="customer_ambiguous" if resolution.outcome == "ambiguous" else "customer_unknown",
            message=resolution.message,
            query=clip(resolution.query),  # a pasted page must not come back whole
            candidates=resolution.candidates,
        )

    @classmethod
    def parse(cls, text: str) -> ResolutionFailure | None:
        """The failure a tool error's text carries, or None when it is another error."""
        try:
            return cls.model_validate_json(text)
        except ValidationError:
            return None
