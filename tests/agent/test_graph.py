"""The graph over the demo world with a scripted model: tool rounds, parallel calls, errors,
threads, principals, and turns cut short."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from langchain_core.messages import AIMessage, BaseMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

from agent.graph import build_agent
from agent.service import Agent
from config import DEMO_WORLD
from sandbox.faults import FaultSpec
from sandbox.server import EmbeddedSandbox
from tests.agent.scripted import (
    STAFF,
    ScriptedChatModel,
    agent_over,
    call,
    echo_results,
    tool_round_then_echo,
)
from tools.policy import Principal

ACME = "001Dn0000hKCHEnIAP"  # Acme Bakery LLC: blocked in KYC, next step held by Tom Okafor


def scripted(*calls: dict) -> ScriptedChatModel:
    return ScriptedChatModel(script=tool_round_then_echo(*calls))


def tool_results(messages: list[BaseMessage]) -> list[ToolMessage]:
    return [m for m in messages if isinstance(m, ToolMessage)]


async def test_one_tool_round_then_an_answer_with_citations(demo_sandbox: EmbeddedSandbox):
    model = scripted(call("get_journey", customer="Acme Bakery LLC"))
    async with agent_over(demo_sandbox, model) as agent:
        answer = await agent.ask("where is acme bakery?", principal=STAFF)

    assert "BLOCKED" in answer.answer and "Tom Okafor" in answer.answer
    assert [c.model_dump() for c in answer.tool_calls] == [
        {"name": "get_journey", "args": {"customer": "Acme Bakery LLC"}}
    ]
    assert answer.usage.model_calls == 2
    assert answer.usage.total_tokens == 15  # the tool round reports none, the answer 15
    cited = {(c.system, c.record_id) for c in answer.citations}
    assert ("salesforce", ACME) in cited and ("zendesk", "1222") in cited
    # Only sources the answer names: Acme's journey text does not mention other customers.
    assert all(c.record_id in answer.answer for c in answer.citations)
    assert set(model.bound_tools) >= {"get_journey", "list_journeys", "explain_blocker"}


async def test_the_model_is_told_who_asks_in_the_system_message(demo_sandbox: EmbeddedSandbox):
    model = scripted(call("list_journeys", status="stalled"))
    async with agent_over(demo_sandbox, model) as agent:
        await agent.ask("which clients are stalled?", principal=STAFF)

    for conversation in model.conversations:
        system = conversation[0]
        assert isinstance(system, SystemMessage)
        assert system.additional_kwargs["baton_principal"] == STAFF.model_dump()
        assert STAFF.id in system.text
        # The system message is added per call, never stored in the thread.
        assert not any(isinstance(m, SystemMessage) for m in conversation[1:])


async def test_parallel_tool_calls_each_get_their_result(demo_sandbox: EmbeddedSandbox):
    calls = [
        call("get_journey", customer="Northwind Traders"),
        call("explain_blocker", customer="Acme Bakery LLC"),
    ]
    model = scripted(*calls)
    async with agent_over(demo_sandbox, model) as agent:
        answer = await agent.ask("Northwind status and what blocks Acme Bakery?", principal=STAFF)

    request, results = model.conversations[1][-3], tool_results(model.conversations[1])
    assert isinstance(request, AIMessage) and len(request.tool_calls) == 2
    assert [r.tool_call_id for r in results] == [c["id"] for c in request.tool_calls]
    assert [r.status for r in results] == ["success", "success"]
    assert "Northwind Traders" in answer.answer and "missing_documents" in answer.answer
    assert [c.name for c in answer.tool_calls] == ["get_journey", "explain_blocker"]
    assert answer.usage.model_calls == 2


async def test_an_ambiguous_customer_comes_back_as_a_tool_message(demo_sandbox: EmbeddedSandbox):
    model = scripted(call("get_journey", customer="acme"))
    async with agent_over(demo_sandbox, model) as agent:
        answer = await agent.ask("where is acme?", principal=STAFF)

    (result,) = tool_results(model.conversations[1])
    assert result.status == "error"
    for candidate in ("Acme Bakery LLC", "Acme Bakeries Inc", "ACME Baking Co"):
        assert candidate in answer.answer


async def test_an_unexpected_tool_failure_never_crashes_the_run():
    @tool
    def explode(customer: str) -> str:
        """A tool with a bug."""
        raise ZeroDivisionError(f"division by zero while reading {customer}")

    model = scripted(call("explode", customer="Acme"))
    agent = Agent(
        build_agent(model, [explode], InMemorySaver()),
        model_name="scripted",
        recursion_limit=10,
        max_message_chars=4000,
    )
    answer = await agent.ask("go", principal=STAFF)

    (result,) = tool_results(model.conversations[1])
    assert result.status == "error"
    assert "failed unexpectedly" in answer.answer and "ZeroDivisionError" in answer.answer


@pytest.fixture
def crm_down() -> Iterator[EmbeddedSandbox]:
    with EmbeddedSandbox(DEMO_WORLD) as sandbox:
        sandbox.ctx.options.faults["salesforce"] = FaultSpec.parse("status=503")
        yield sandbox


async def test_a_backoffice_outage_names_the_system(crm_down: EmbeddedSandbox):
    model = scripted(call("get_journey", customer="Acme Bakery LLC"))
    async with agent_over(crm_down, model) as agent:
        answer = await agent.ask("where is acme bakery?", principal=STAFF)

    (result,) = tool_results(model.conversations[1])
    assert result.status == "error" and "salesforce" in result.text.lower()
    assert "salesforce" in answer.answer.lower()


async def test_a_thread_remembers_earlier_turns(demo_sandbox: EmbeddedSandbox):
    model = scripted(call("get_journey", customer="Acme Bakery LLC"))
    async with agent_over(demo_sandbox, model) as agent:
        first = await agent.ask("where is acme bakery?", principal=STAFF)
        second = await agent.ask("and now?", principal=STAFF, thread_id=first.thread_id)
        other = await agent.ask("fresh start", principal=STAFF)

    assert second.thread_id == first.thread_id != other.thread_id
    followup, fresh = model.conversations[2], model.conversations[4]
    assert [m.text for m in followup if m.type == "human"] == ["where is acme bakery?", "and now?"]
    assert [m.text for m in fresh if m.type == "human"] == ["fresh start"]
    # Each answer reports its own turn only.
    assert len(second.tool_calls) == 1 and second.usage.model_calls == 2


async def test_a_customer_only_ever_sees_their_own_account(demo_sandbox: EmbeddedSandbox):
    customer = Principal(kind="customer", id="portal-user-7", account_id=ACME)
    model = scripted(call("get_journey", customer="Northwind Traders"))
    async with agent_over(demo_sandbox, model) as agent:
        answer = await agent.ask("how is Northwind Traders doing?", principal=customer)

    # Naming another customer is refused (tools.own_account), not answered about Acme.
    assert answer.answer == "I can only share information about your own account."
    assert "Northwind" not in answer.answer
    assert "own account" in model.conversations[0][0].text


async def test_the_step_limit_ends_the_turn_and_keeps_the_thread_usable(
    demo_sandbox: EmbeddedSandbox,
):
    def always_another_tool(messages: list[BaseMessage]) -> AIMessage:
        if messages[-1].text == "just answer":
            return echo_results(messages)
        return AIMessage(content="", tool_calls=[call("get_journey", customer="Acme Bakery LLC")])

    model = ScriptedChatModel(script=always_another_tool)
    async with agent_over(demo_sandbox, model, recursion_limit=4) as agent:
        stopped = await agent.ask("loop forever", principal=STAFF)
        after = await agent.ask("just answer", principal=STAFF, thread_id=stopped.thread_id)

    assert "stopped after 4 steps" in stopped.answer
    assert stopped.usage.model_calls == 2  # the closing notice is not a model call
    history = model.conversations[-1]
    requested = [c["id"] for m in history if isinstance(m, AIMessage) for c in m.tool_calls]
    answered = [m.tool_call_id for m in history if isinstance(m, ToolMessage)]
    assert requested == answered  # no dangling tool call for the next model call to choke on
    assert after.usage.model_calls == 1


async def test_a_failing_model_gets_a_clear_answer(demo_sandbox: EmbeddedSandbox):
    def unreachable(messages: list[BaseMessage]) -> AIMessage:
        raise ConnectionError("connection refused")

    async with agent_over(demo_sandbox, ScriptedChatModel(script=unreachable)) as agent:
        answer = await agent.ask("where is acme bakery?", principal=STAFF)

    assert "language model" in answer.answer and "connection refused" in answer.answer
    assert answer.usage.model_calls == 0


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("", "Please type a question"),
        ("   \n", "Please type a question"),
        ("x" * 10_000, "10,000 characters"),
    ],
)
async def test_empty_and_overlong_questions_never_reach_the_model(
    demo_sandbox: EmbeddedSandbox, question: str, expected: str
):
    model = scripted(call("get_journey", customer="Acme Bakery LLC"))
    async with agent_over(demo_sandbox, model) as agent:
        answer = await agent.ask(question, principal=STAFF)

    assert expected in answer.answer
    assert model.conversations == [] and answer.tool_calls == []
