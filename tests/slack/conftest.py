"""The Slack app over signed HTTP requests to the FastAPI app, with Slack's Web API mocked."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from pydantic import SecretStr
from slack_sdk.signature import SignatureVerifier

from api import create_app
from config import SlackSettings
from sandbox.server import EmbeddedSandbox
from tests.api.conftest import channel_sandbox  # noqa: F401  (the shared session sandbox)
from tests.api.support import channel_settings, runtime_factory
from tests.slack.mock_slack import BOT_TOKEN, BOT_USER, TEAM, MockSlack

SIGNING_SECRET = "test-signing-secret"
DANA = "U0DANA"  # a CRM user (relationship manager), found by email
MAPPED = "U0MAPPED"  # in the mapping file
STRANGER = "U0STRANGER"  # Slack knows them, the bank's CRM does not
EMAILS = {DANA: "dana.whitfield@demo-bank.example", STRANGER: "someone@elsewhere.example"}


@pytest.fixture(scope="session")
def slack_api() -> Iterator[MockSlack]:
    with MockSlack(EMAILS) as mock:
        yield mock


@pytest.fixture
def slack(
    channel_sandbox: EmbeddedSandbox,  # noqa: F811
    slack_api: MockSlack,
    tmp_path: Path,
) -> Iterator[SlackClient]:
    users = tmp_path / "slack-users.yaml"
    users.write_text(f"{MAPPED}:\n  email: jordan.ellis@demo-bank.example\n  role: operations\n")
    settings = channel_settings(
        channel_sandbox,
        slack=SlackSettings(
            bot_token=SecretStr(BOT_TOKEN),
            signing_secret=SecretStr(SIGNING_SECRET),
            api_url=slack_api.api_url,
            users_file=users,
            feedback_file=tmp_path / "feedback.jsonl",
        ),
    )
    slack_api.reset()
    with TestClient(create_app(settings, runtime_factory(channel_sandbox))) as client:
        yield SlackClient(client, slack_api, settings.slack)


def signed_headers(
    body: str, *, timestamp: int | None = None, secret: str = SIGNING_SECRET
) -> dict:
    ts = str(timestamp if timestamp is not None else int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


class SlackClient:
    """Sends what Slack would send, signed, to ``POST /slack/events``."""

    def __init__(self, client: TestClient, api: MockSlack, settings: SlackSettings) -> None:
        self.http = client
        self.api = api
        self.settings = settings
        self._ids = iter(range(1, 10_000))

    def post(self, body: str, content_type: str, **headers: str) -> Response:
        return self.http.post(
            "/slack/events",
            content=body,
            headers={"Content-Type": content_type, **signed_headers(body), **headers},
        )

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, **headers: str
    ) -> Response:
        body = json.dumps(
            {
                "token": "legacy",
                "team_id": TEAM,
                "api_app_id": "A0BATON",
                "type": "event_callback",
                "event_id": event_id or f"Ev{next(self._ids):06d}",
                "event_time": int(time.time()),
                "event": event,
                "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
            }
        )
        return self.post(body, "application/json", **headers)

    def command(self, text: str, user: str = DANA) -> Response:
        form = {
            "token": "legacy",
            "team_id": TEAM,
            "channel_id": "C0OPS",
            "user_id": user,
            "command": "/baton",
            "text": text,
            "response_url": self.api.response_url("cmd"),
            "trigger_id": f"trig-{next(self._ids)}",
        }
        return self.post(urlencode(form), "application/x-www-form-urlencoded")

    def click(
        self, action_id: str, value: str, message: dict[str, Any], user: str = DANA
    ) -> Response:
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM},
            "user": {"id": user},
            "channel": {"id": "C0OPS"},
            "message": message,
            "container": {"type": "message", "message_ts": message["ts"]},
            "response_url": self.api.response_url("action"),
            "trigger_id": f"trig-{next(self._ids)}",
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "baton_feedback",
                    "value": value,
                    "action_ts": str(time.time()),
                }
            ],
        }
        return self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )
