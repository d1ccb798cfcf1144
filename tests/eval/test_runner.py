"""The harness end to end: cases through the real graph and tools over a sandbox world."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from typer.testing import CliRunner

from config import DEMO_WORLD, Settings, get_settings
from eval.cases import parse_cases
from eval.report import render_report
from eval.runner import evaluate
from tests.agent.openai_server import ScriptedOpenAI, echo_tool_results, serve, tool_calls
from tests.agent.scripted import ScriptedChatModel, echo_results

ACME = "001Dn0000hKCHEnIAP"

CASES = [
    {
        "id": "status-by-name",
        "category": "status",
        "user": "Acme Bakery LLC",
        "communicate_info": ["blocked", "Tom Okafor"],
        "expected_tools": [{"name": "get_journey", "args": {"customer": "acme bakery llc"}}],
    },
    {
        "id": "two-turns",
        "category": "follow_up",
        "turns": [
            {"user": "Northwind Traders", "communicate_info": ["E-104"]},
            {"user": "#1222", "communicate_info": ["Acme Bakery LLC"]},
        ],
    },
    {
        "id": "customer-sees-own-account",
        "category": "adversarial",
        "principal": {"kind": "customer", "id": "portal-user-1", "account_id": ACME},
        "user": "Northwind Traders",
        "communicate_info": ["only share information about your own account"],
        "forbidden_info": ["Northwind"],
    },
    {
        "id": "deliberately-wrong",
        "category": "status",
        "user": "Acme Bakery LLC",
        "communicate_info": ["is live"],
        "forbidden_info": ["Tom Okafor"],
    },
]


def journey_of_the_question(messages: list[BaseMessage]) -> AIMessage:
    """A stand-in model: the question names a customer; look it up, then relay the result."""
    last = messages[-1]
    if isinstance(last, HumanMessage):
        call = {"name": "get_journey", "args": {"customer": last.text}, "id": "c1"}
        return AIMessage(content="", tool_calls=[call])
    return echo_results(messages)


def _settings() -> Settings:
    settings = Settings()
    return settings.model_copy(
        update={"agent": settings.agent.model_copy(update={"knowledge": False})}
    )


async def test_cases_are_scored_per_turn_category_and_overall():
    cases = parse_cases([json.dumps(c) for c in CASES], "inline")
    report = await evaluate(
        cases,
        world=DEMO_WORLD,
        settings=_settings(),
        cases_file="inline",
        model=ScriptedChatModel(script=journey_of_the_question),
    )

    assert report.world == "demo"
    assert (report.overall.passed, report.overall.total) == (3, 4)
    assert {k: (v.passed, v.total) for k, v in report.categories.items()} == {
        "adversarial": (1, 1),
        "follow_up": (1, 1),
        "status": (1, 2),
    }
    assert report.forbidden_hits == 1
    (failed,) = report.failures
    assert failed.id == "deliberately-wrong"
    assert failed.turns[0].failures == ["missing 'is live'", "forbidden 'Tom Okafor' shown"]
    two_turns = next(r for r in report.results if r.id == "two-turns")
    assert [len(t.answer.tool_calls) for t in two_turns.turns] == [1, 1]
    assert len({t.answer.thread_id for t in two_turns.turns}) == 1  # one thread per case
    assert all(t.latency_ms > 0 for r in report.results for t in r.turns)

    text = render_report(report)
    assert "overall                       3      4   75.0%" in text
    assert "forbidden strings shown: 1" in text
    assert "- deliberately-wrong [status]" in text and "missing 'is live'" in text


async def test_a_crashing_case_is_a_failure_not_an_aborted_run():
    def malformed_citations(messages: list[BaseMessage]) -> AIMessage:
        # A model bug the graph cannot absorb: the answer's metadata breaks the contract.
        return AIMessage(content="ok", response_metadata={"citations": [{"system": "crm"}]})

    cases = parse_cases([json.dumps(CASES[0]), json.dumps(CASES[1])], "inline")
    model = ScriptedChatModel(script=malformed_citations)
    report = await evaluate(
        cases, world=DEMO_WORLD, settings=_settings(), cases_file="inline", model=model
    )

    assert [r.id for r in report.results] == ["status-by-name", "two-turns"]
    assert all(not r.passed and "ValidationError" in r.error for r in report.results)
    assert "error: ValidationError" in render_report(report)


@pytest.fixture
def llm_env(monkeypatch: pytest.MonkeyPatch):
    """``baton`` configured for a scripted OpenAI-compatible server that looks up the
    customer named by each question and relays the result."""

    def lookup(request: dict) -> dict:
        return tool_calls(("get_journey", {"customer": request["messages"][-1]["content"]}))

    server = ScriptedOpenAI()
    server.script(*[lookup, echo_tool_results] * 6)
    with serve(server) as base_url:
        for name, value in {
            "BATON_MODEL": "openai:scripted",
            "BATON_AGENT__BASE_URL": base_url,
            "BATON_AGENT__API_KEY": "sk-test",
            "BATON_AGENT__KNOWLEDGE": "false",
        }.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


@pytest.mark.parametrize(("min_pass", "exit_code"), [(0.7, 0), (0.8, 1)])
def test_baton_eval_exits_non_zero_below_min_pass(
    llm_env: None, tmp_path: Path, min_pass: float, exit_code: int
):
    from cli import app

    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in CASES))
    result = CliRunner().invoke(app, ["eval", str(path), "--min-pass", str(min_pass), "--json"])

    assert result.exit_code == exit_code, result.output
    report = json.loads(result.stdout)
    assert report["model"] == "openai:scripted" and report["overall"]["rate"] == 0.75


def test_baton_eval_reports_a_bad_case_file(tmp_path: Path):
    from cli import app

    path = tmp_path / "cases.jsonl"
    path.write_text('{"id": "x", "user": "q", "expected_tool": []}\n')
    result = CliRunner().invoke(app, ["eval", str(path)])

    assert result.exit_code == 2
    assert "cases.jsonl:1: expected_tool: Extra inputs are not permitted" in result.output
