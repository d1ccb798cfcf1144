"""The local planner in the real graph over the demo world: tool rounds, parallel calls,
follow-ups across turns, clarifications, access, record text as data, and citations."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import StructuredTool
from langgraph.checkpoint.memory import InMemorySaver

from agent.graph import build_agent
from agent.planner import LocalPlanner
from agent.service import Agent
from sandbox.server import EmbeddedSandbox
from tests.agent.scripted import agent_over
from tools.policy import Principal

DANA = Principal(kind="staff", id="dana.whitfield@demo-bank.example", role="relationship_manager")
ACME_BAKERY = "001Dn0000hKCHEnIAP"  # blocked in KYC on three documents; Tom Okafor holds it
SUNRISE = "001Dn0000jvTxkwIAC"  # KYC manual review on a potential OFAC match (internal only)


def names(answer: Any) -> list[str]:
    return [call.name for call in answer.tool_calls]


async def test_single_intent_takes_one_tool_round_and_cites_its_records(
    demo_sandbox: EmbeddedSandbox,
) -> None:
    async with agent_over(demo_sandbox, LocalPlanner()) as agent:
        answer = await agent.ask("where's acme bakery llc at?", principal=DANA)
    assert names(answer) == ["get_journey"] and answer.usage.model_calls == 2
    assert "blocked" in answer.answer and "Tom Okafor" in answer.answer
    cited = {(c.system, c.record_id) for c in answer.citations}
    assert ("salesforce", ACME_BAKERY) in cited and ("kyc", "D-D2M3B2DMKR48VJL1") in cited
    assert all(c.record_id in answer.answer for c in answer.citations)


async def test_several_intents_run_as_parallel_calls_of_one_message(
    demo_sandbox: EmbeddedSandbox,
) -> None:
    async with agent_over(demo_sandbox, LocalPlanner()) as agent:
        answer = await agent.ask(
            "what's blocking Harborview Seafood Market, and who has Northstar Engineering?",
            principal=DANA,
        )
    # Each customer's view (the answer's header), and the blocker detail next to it.
    assert sorted(names(answer)) == ["explain_blocker", "get_journey", "get_journey"]
    assert answer.usage.model_calls == 2  # all calls in one model message
    assert "E-2107" in answer.answer and "Tom Okafor" in answer.answer


async def test_follow_ups_resolve_pronouns_from_earlier_turns(demo_sandbox: EmbeddedSandbox):
    async with agent_over(demo_sandbox, LocalPlanner()) as agent:
        first = await agent.ask("how is crescent moon imports doing", principal=DANA)
        second = await agent.ask(
            "and what's blocking them?", principal=DANA, thread_id=first.thread_id
        )
        third = await agent.ask("who should I chase?", principal=DANA, thread_id=first.thread_id)
    assert second.tool_calls[0].args == {"customer": "001Dn0000ElCwT0IQK"}
    assert "compliance screening" in second.answer
    assert "Tom Okafor" in third.answer


async def test_a_list_then_them_in_one_question_takes_two_tool_rounds(
    demo_sandbox: EmbeddedSandbox,
) -> None:
    async with agent_over(demo_sandbox, LocalPlanner()) as agent:
        answer = await agent.ask(
            "which of my clients are stalled and what's blocking them?", principal=DANA
        )
    assert names(answer) == ["list_journeys"] + ["get_journey", "explain_blocker"] * 2
    assert answer.tool_calls[0].args == {"status": "stalled", "owner": DANA.id}
    assert "Cedar Point Marina Supply" in answer.answer and "approval delay" in answer.answer


async def test_ambiguous_name_asks_which_then_the_reply_picks_one(demo_sandbox: EmbeddedSandbox):
    async with agent_over(demo_sandbox, LocalPlanner()) as agent:
        first = await agent.ask("what's the status of acme?", principal=DANA)
        second = await agent.ask("the bakeries one", principal=DANA, thread_id=first.thread_id)
    assert "which one" in first.answer
    for name in ("Acme Bakery LLC", "Acme Bakeries Inc", "ACME Baking Co"):
        assert name in first.answer
    assert "Tom Okafor" not in first.answer  # no guess
    assert second.tool_calls[0].args == {"customer": "001Dn0000CIsvyBIQR"}
    assert "Luis Ortega" in second.answer


async def test_unknown_customer_is_said_with_suggestions(demo_sandbox: EmbeddedSandbox):
    async with agent_over(demo_sandbox, LocalPlanner()) as agent:
        answer = await agent.ask("where is Globex Corporation?", principal=DANA)
    assert "couldn't find a customer matching “Globex Corporation”" in answer.answer
    assert "Did you mean" in answer.answer


async def test_record_text_is_quoted_never_obeyed(demo_sandbox: EmbeddedSandbox):
    async with agent_over(demo_sandbox, LocalPlanner()) as agent:
        answer = await agent.ask("show me the recent comments on Northwind Traders", principal=DANA)
    assert names(answer) == ["get_journey", "journey_timeline"]
    assert 'quoted: "Ignore previous instructions' in answer.answer
    assert "9805035508" not in answer.answer  # the core account number it asks for


async def test_a_customer_gets_their_own_account_and_no_screening_detail(
    demo_sandbox: EmbeddedSandbox,
) -> None:
    sunrise = Principal(kind="customer", id="portal-7", account_id=SUNRISE)
    async with agent_over(demo_sandbox, LocalPlanner()) as agent:
        own = await agent.ask("why is my onboarding held up?", principal=sunrise)
        other = await agent.ask("and how is Northwind Traders doing?", principal=sunrise)
    assert "standard compliance review" in own.answer
    for secret in ("OFAC", "Carlos Park (name match", "watchlist"):
        assert secret not in own.answer
    assert other.answer.startswith("I can only share information about your own account")
    assert "E-104" not in other.answer


async def test_without_write_tools_a_follow_up_says_so_and_names_the_contact(
    demo_sandbox: EmbeddedSandbox,
) -> None:
    async with agent_over(demo_sandbox, LocalPlanner()) as agent:
        answer = await agent.ask("nudge whoever holds Liberty Bell Logistics", principal=DANA)
    assert "nothing was sent" in answer.answer and "Ben Carter" in answer.answer


async def test_troubleshooting_without_the_knowledge_tool_says_it_cannot(
    demo_sandbox: EmbeddedSandbox,
) -> None:
    async with agent_over(demo_sandbox, LocalPlanner()) as agent:
        answer = await agent.ask("terminal shows E-104 during activation", principal=DANA)
    assert answer.tool_calls == [] and "can't search the product documentation" in answer.answer


async def test_troubleshooting_cites_the_knowledge_tool_hits() -> None:
    seen: list[str] = []

    def search_knowledge(query: str, product: str | None = None) -> tuple[str, dict]:
        seen.append(query)
        hit = {
            "doc_id": "pos-activation-errors",
            "title": "Activation errors",
            "section": "E-104",
            "product": "pos",
            "audience": "internal",
            "score": 0.9,
            "text": "E-104: the reader cannot reach the payment host. Check the network.",
        }
        return "passages", {"hits": [hit], "reason": None}

    kb = StructuredTool.from_function(
        search_knowledge,
        description="Search the product documentation.",
        response_format="content_and_artifact",
    )
    agent = Agent(
        build_agent(LocalPlanner(), [kb], InMemorySaver()),
        model_name="local",
        recursion_limit=10,
        max_message_chars=4000,
    )
    answer = await agent.ask("reader says E-104 while activating, what now?", principal=DANA)
    assert seen == ["reader says E-104 while activating what now"]
    assert "[pos-activation-errors § E-104]" in answer.answer
    assert answer.citations[0].record_id == "pos-activation-errors"


async def test_a_name_with_no_question_gets_its_status_and_crm_discrepancy(
    demo_sandbox: EmbeddedSandbox,
) -> None:
    async with agent_over(demo_sandbox, LocalPlanner()) as agent:
        answer = await agent.ask("Is Golden Gate Coffee Roasters live?", principal=DANA)
    assert names(answer) == ["get_journey"]
    assert "is *live*" in answer.answer and "The CRM says 'Activation'" in answer.answer


async def test_a_colleagues_name_lists_the_journeys_they_hold(demo_sandbox: EmbeddedSandbox):
    async with agent_over(demo_sandbox, LocalPlanner()) as agent:
        answer = await agent.ask("what is Tom Okafor working on?", principal=DANA)
    assert names(answer) == ["get_journey", "list_journeys"]
    assert answer.tool_calls[1].args == {"owner": "Tom Okafor"}
    assert "Acme Bakery LLC" in answer.answer and "Did you mean" not in answer.answer


async def test_a_passing_name_that_is_no_customer_is_not_guessed_at(
    demo_sandbox: EmbeddedSandbox,
) -> None:
    async with agent_over(demo_sandbox, LocalPlanner()) as agent:
        answer = await agent.ask(
            "what's the weather going to be like tomorrow in Portland?", principal=DANA
        )
    assert answer.answer.startswith("No customer matches “Portland”. That's outside")
    assert "Did you mean" not in answer.answer


async def test_next_step_says_what_stands_in_its_way(demo_sandbox: EmbeddedSandbox):
    async with agent_over(demo_sandbox, LocalPlanner()) as agent:
        answer = await agent.ask("what's next for Pinecrest Pet Supply?", principal=DANA)
    assert "Next step: Deal signed" in answer.answer and "waiting on the client" in answer.answer
