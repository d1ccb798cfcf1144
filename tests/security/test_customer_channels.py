"""End to end: a customer asking through the agent (local planner) and through the HTTP API
with a signed customer token hears nothing confidential about their screening journey."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from agent.planner import LocalPlanner
from api import create_app
from channels.auth import CUSTOMER_TOKEN_HEADER, sign_customer_token
from sandbox.server import EmbeddedSandbox
from tests.agent.scripted import agent_over
from tests.api.support import CHATBOT_KEY, TOKEN_SECRET, channel_settings, runtime_factory
from tests.journeys.conftest import MANIFEST
from tests.security.forbidden import forbidden
from tools.policy import Principal

SCREENED = [j["account_id"] for j in MANIFEST if "screening_hit" in j["blockers"]]
QUESTIONS = (
    "where is my onboarding?",
    "what's blocking us?",
    "what has happened so far?",
    "who is handling it and how do I reach them?",
    "where are the records for this step?",
)


@pytest.mark.parametrize("account_id", SCREENED)
async def test_the_agent_tells_a_screened_customer_nothing_confidential(
    demo_sandbox: EmbeddedSandbox, account_id: str
):
    principal = Principal(kind="customer", id="portal-user-1", account_id=account_id)
    async with agent_over(demo_sandbox, LocalPlanner()) as agent:
        thread = None
        for question in QUESTIONS:
            answer = await agent.ask(question, principal=principal, thread_id=thread)
            thread = answer.thread_id
            assert answer.tool_calls, question  # answered from the tools, not a canned reply
            assert forbidden().leaks(answer.model_dump_json(), account_id) == [], question


@pytest.fixture
def client(journey_sandbox: EmbeddedSandbox) -> Iterator[TestClient]:
    app = create_app(channel_settings(journey_sandbox), runtime_factory(journey_sandbox))
    with TestClient(app) as test_client:
        yield test_client


def customer_headers(account_id: str) -> dict[str, str]:
    token = sign_customer_token(TOKEN_SECRET, subject="portal-user-1", account_id=account_id)
    return {"Authorization": f"Bearer {CHATBOT_KEY}", CUSTOMER_TOKEN_HEADER: token}


@pytest.mark.parametrize("account_id", SCREENED)
def test_the_http_api_serves_a_screened_customer_nothing_confidential(
    client: TestClient, account_id: str
):
    headers = customer_headers(account_id)
    journey = client.get(f"/v1/journeys/{account_id}", headers=headers)
    assert journey.status_code == 200 and journey.json()["account"]["id"] == account_id
    # The scripted model asks get_journey and answers with the tool's text: what a model sees.
    chat = client.post(
        "/v1/chat", json={"message": "how is my application going?"}, headers=headers
    )
    assert chat.status_code == 200 and chat.json()["answer"]
    for body in (journey.json(), chat.json()):
        assert forbidden().leaks(json.dumps(body), account_id) == []
