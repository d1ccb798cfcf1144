"""The documented JourneyView schema is the model's."""

from __future__ import annotations

import json

from config import PROJECT_ROOT
from journeys.view import JourneyView


def test_journey_view_doc_has_the_current_schema():
    text = (PROJECT_ROOT / "docs" / "journey-view.md").read_text(encoding="utf-8")
    block = text.split("## JSON schema", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    assert json.loads(block) == JourneyView.model_json_schema(), (
        "docs/journey-view.md is stale: paste JourneyView.model_json_schema() into it"
    )
