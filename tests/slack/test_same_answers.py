"""The same question gets the same sourced answer on every channel (with the local planner)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from agent.planner import LocalPlanner
from api import create_app
from config import SlackSettings
from sandbox.server import EmbeddedSandbox
from tests.api.conftest import STAFF
from tests.api.support import ACME, channel_settings, runtime_factory
from tests.slack.conftest import DANA, SIGNING_SECRET, SlackClient
from tests.slack.mock_slack import BOT_TOKEN, BOT_USER, MockSlack

QUESTION = "Where is Acme Bakery LLC in onboarding?"


@pytest.fixture
def planner_slack(
    channel_sandbox: EmbeddedSandbox, slack_api: MockSlack, tmp_path: Path
) -> Iterator[SlackClient]:
    slack = SlackSettings(
        bot_token=SecretStr(BOT_TOKEN),
        signing_secret=SecretStr(SIGNING_SECRET),
        api_url=slack_api.api_url,
        feedback_file=tmp_path / "feedback.jsonl",
    )
    settings = channel_settings(channel_sandbox, slack=slack)
    slack_api.reset()
    app = create_app(settings, runtime_factory(channel_sandbox, LocalPlanner()))
    with TestClient(app) as client:
        yield SlackClient(client, slack_api, settings.slack)


def test_http_mention_dm_assistant_and_command_agree(planner_slack: SlackClient) -> None:
    http = planner_slack.http.post("/v1/chat", json={"message": QUESTION}, headers=STAFF).json()
    assert "Acme Bakery LLC" in http["answer"] and "Tom Okafor" in http["answer"]
    assert any(c["record_id"] == ACME for c in http["citations"])

    planner_slack.event(
        {
            "type": "app_mention",
            "user": DANA,
            "channel": "C0OPS",
            "text": f"<@{BOT_USER}> {QUESTION}",
            "ts": "1700002000.000100",
        }
    )
    planner_slack.event(
        {
            "type": "message",
            "channel_type": "im",
            "channel": "D0DANA",
            "user": DANA,
            "text": QUESTION,
            "ts": "1700002100.000100",
        }
    )
    mention, dm = planner_slack.api.wait_for("chat.postMessage", 2)
    planner_slack.command(QUESTION)
    [command] = planner_slack.api.wait_for("response_url")
    planner_slack.event(
        {
            "type": "message",
            "channel_type": "im",
            "channel": "D0DANA",
            "user": DANA,
            "text": QUESTION,
            "ts": "1700002200.000200",
            "thread_ts": "1700002200.000100",
        }
    )
    [stop] = planner_slack.api.wait_for("chat.stopStream")
    streamed = "".join(
        chunk["text"]
        for call in (
            *planner_slack.api.to("chat.startStream"),
            *planner_slack.api.to("chat.appendStream"),
            stop,
        )
        for chunk in call.get("chunks", [])
        if chunk["type"] == "markdown_text"
    )
    assert mention["text"] == dm["text"] == command["text"] == streamed == http["answer"]
