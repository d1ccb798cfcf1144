"""LLM mode end to end: ChatOpenAI → HTTP → a scripted OpenAI-compatible server → graph →
tools → sandbox, built by the model factory from settings exactly as ``BATON_MODEL`` would."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from config import DEMO_WORLD
from sandbox.server import EmbeddedSandbox
from tests.agent.openai_server import (
    USAGE,
    ScriptedOpenAI,
    echo_tool_results,
    serve,
    text,
    tool_calls,
)
from tests.agent.scripted import STAFF, agent_over

MODEL = "scripted-gpt"


@pytest.fixture(scope="module")
def llm() -> Iterator[tuple[ScriptedOpenAI, str]]:
    server = ScriptedOpenAI()
    with serve(server) as base_url:
        yield server, base_url


def _llm_settings(base_url: str) -> dict[str, object]:
    return {
        "model": f"openai:{MODEL}",
        "base_url": base_url,
        "api_key": "sk-test",
        "max_retries": 0,
        "timeout_s": 10,
    }


def _tool_messages(request: dict) -> list[dict]:
    return [m for m in request["messages"] if m["role"] == "tool"]


async def test_a_status_question_takes_two_round_trips(
    demo_sandbox: EmbeddedSandbox, llm: tuple[ScriptedOpenAI, str]
):
    server, base_url = llm
    server.script(
        tool_calls(("get_journey", {"customer": "Acme Bakery LLC"})),
        text(
            "**Blocked** in KYC: waiting on documents; Tom Okafor holds it [zendesk ticket 1222]."
        ),
    )
    async with agent_over(demo_sandbox, **_llm_settings(base_url)) as agent:
        answer = await agent.ask("where's acme bakery at?", principal=STAFF)

    first, second = server.requests  # exactly two model round trips
    assert first["model"] == MODEL
    assert first["messages"][0]["role"] == "system" and STAFF.id in first["messages"][0]["content"]
    assert first["messages"][-1] == {"role": "user", "content": "where's acme bakery at?"}
    schemas = {t["function"]["name"]: t["function"]["parameters"] for t in first["tools"]}
    assert set(schemas) == {"get_journey", "list_journeys", "explain_blocker", "journey_timeline"}
    # The principal is never a model-chosen argument.
    assert all(
        "config" not in s["properties"] and "principal" not in s["properties"]
        for s in schemas.values()
    )
    assert "baton_principal" not in json.dumps(first)

    (call,) = second["messages"][-2]["tool_calls"]
    (result,) = _tool_messages(second)
    assert result["tool_call_id"] == call["id"]
    assert "Tom Okafor" in result["content"] and "BLOCKED" in result["content"]

    assert answer.answer.startswith("**Blocked** in KYC")
    assert answer.model == f"openai:{MODEL}"
    assert [c.model_dump() for c in answer.tool_calls] == [
        {"name": "get_journey", "args": {"customer": "Acme Bakery LLC"}}
    ]
    assert [(c.system, c.record_id) for c in answer.citations] == [("zendesk", "1222")]
    assert answer.usage.model_calls == 2
    assert answer.usage.total_tokens == 2 * USAGE["total_tokens"]


async def test_parallel_calls_and_a_failing_tool_reach_the_model_as_tool_messages(
    demo_sandbox: EmbeddedSandbox, llm: tuple[ScriptedOpenAI, str]
):
    server, base_url = llm
    server.script(
        tool_calls(
            ("explain_blocker", {"customer": "Northwind Traders"}),
            ("get_journey", {"customer": "Zyxwv Quantum Holdings"}),
        ),
        echo_tool_results,
    )
    async with agent_over(demo_sandbox, **_llm_settings(base_url)) as agent:
        answer = await agent.ask("what blocks northwind, and zyxwv quantum?", principal=STAFF)

    assert len(server.requests) == 2
    blocker, unknown = _tool_messages(server.requests[1])
    assert (blocker["tool_call_id"], unknown["tool_call_id"]) == (
        "call_1_explain_blocker",
        "call_2_get_journey",
    )
    assert "E-104" in blocker["content"]
    assert "Zyxwv Quantum Holdings" in unknown["content"]  # the resolver's "no such customer"
    assert "E-104" in answer.answer and "Zyxwv Quantum Holdings" in answer.answer
    assert [c.name for c in answer.tool_calls] == ["explain_blocker", "get_journey"]


@pytest.fixture
def sandbox() -> Iterator[EmbeddedSandbox]:
    with EmbeddedSandbox(DEMO_WORLD) as fresh:
        yield fresh


async def test_a_system_down_is_relayed_by_name(
    sandbox: EmbeddedSandbox, llm: tuple[ScriptedOpenAI, str]
):
    server, base_url = llm
    faults = httpx.put(f"{sandbox.url}/_sandbox/faults/salesforce", json={"spec": "status=503"})
    faults.raise_for_status()
    server.script(tool_calls(("get_journey", {"customer": "Acme Bakery LLC"})), echo_tool_results)
    async with agent_over(sandbox, **_llm_settings(base_url)) as agent:
        answer = await agent.ask("status of acme bakery llc?", principal=STAFF)

    (result,) = _tool_messages(server.requests[1])
    assert "salesforce" in result["content"].lower() and "503" in result["content"]
    assert "salesforce" in answer.answer.lower()


async def test_an_unreachable_model_server_is_a_clear_answer(demo_sandbox: EmbeddedSandbox):
    # Port 9 (discard) on loopback: the connection is refused at once.
    async with agent_over(demo_sandbox, **_llm_settings("http://127.0.0.1:9/v1")) as agent:
        answer = await agent.ask("where is acme bakery?", principal=STAFF)

    assert f"language model (openai:{MODEL})" in answer.answer
    assert answer.usage.model_calls == 0
