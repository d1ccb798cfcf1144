"""The local planner when a back-office system is down or answers garbage: every answer built
from a partial view or list says which system could not be reached and what it leaves
unconfirmed. Each test faults one system of a demo sandbox of its own."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from agent.planner import LocalPlanner
from config import DEMO_WORLD
from sandbox.server import EmbeddedSandbox
from tests.agent.scripted import agent_over
from tools.policy import Principal

DANA = Principal(kind="staff", id="dana.whitfield@demo-bank.example", role="relationship_manager")


@pytest.fixture
def sandbox() -> Iterator[EmbeddedSandbox]:
    with EmbeddedSandbox(DEMO_WORLD) as fresh:
        yield fresh


def fault(sandbox: EmbeddedSandbox, system: str, spec: str) -> None:
    httpx.put(f"{sandbox.url}/_sandbox/faults/{system}", json={"spec": spec}).raise_for_status()


async def test_blockers_with_the_kyc_provider_down_say_what_is_unconfirmed(
    sandbox: EmbeddedSandbox,
) -> None:
    fault(sandbox, "kyc", "status=503")
    async with agent_over(sandbox, LocalPlanner()) as agent:
        answer = await agent.ask("what's blocking Sunrise Auto Repair?", principal=DANA)
    assert "Partial answer: I could not reach kyc" in answer.answer
    assert "Could not be confirmed:" in answer.answer
    assert "KYC / KYB verification" in answer.answer.split("Could not be confirmed:")[1]


async def test_a_history_with_zendesk_malformed_says_it_is_partial(
    sandbox: EmbeddedSandbox,
) -> None:
    fault(sandbox, "zendesk", "malformed")
    async with agent_over(sandbox, LocalPlanner()) as agent:
        answer = await agent.ask("what has happened on Acme Bakery LLC?", principal=DANA)
    assert "Partial answer: I could not reach zendesk" in answer.answer


async def test_a_list_with_a_system_down_says_it_is_partial(sandbox: EmbeddedSandbox) -> None:
    fault(sandbox, "kyc", "status=503")
    async with agent_over(sandbox, LocalPlanner()) as agent:
        answer = await agent.ask("which clients are stuck in KYC?", principal=DANA)
    assert "⚠️ Partial list:" in answer.answer and "could not" in answer.answer
