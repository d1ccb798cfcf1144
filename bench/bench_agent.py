"""Agent answer latency and tool use with the local planner; model round trips in LLM mode.

    .venv/bin/python -m bench.bench_agent [--cases eval/cases/dev.jsonl] [--world DIR] [--json]

Local planner: every turn of the case file runs through the real graph over an
``EmbeddedSandbox`` (loopback HTTP), twice — a first pass on cold caches (directory, journey
views, the embedding model for troubleshooting), then the measured warm pass. Reported per
answer: latency p50/p95/max, tool calls mean/max, model round trips; and the pass rate.

Scripted LLM mode: the real ``ChatOpenAI`` against the scripted OpenAI-compatible server of the
tests, asked one single-intent status question: model round trips, tokens and latency.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import time
from pathlib import Path
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver

from agent.principals import DEMO_STAFF
from agent.runtime import open_agent
from config import DEMO_WORLD, PROJECT_ROOT, Settings
from eval.cases import load_cases
from eval.report import CaseResult
from eval.runner import run_cases
from journeys.service import Clock
from sandbox.embedded import sandbox_settings
from sandbox.server import EmbeddedSandbox
from tests.agent.openai_server import ScriptedOpenAI, echo_tool_results, serve, tool_calls

DEV_CASES = PROJECT_ROOT / "eval" / "cases" / "dev.jsonl"
STATUS_QUESTION = "where is Acme Bakery LLC in onboarding?"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _answers_summary(results: list[CaseResult]) -> dict[str, Any]:
    turns = [t for r in results for t in r.turns]
    latencies = [t.latency_ms for t in turns]
    tools = [len(t.answer.tool_calls) for t in turns]
    return {
        "answers": len(turns),
        "pass_rate": sum(r.passed for r in results) / len(results),
        "latency_ms": {
            "p50": round(statistics.median(latencies), 1),
            "p95": round(_percentile(latencies, 0.95), 1),
            "max": round(max(latencies), 1),
        },
        "tool_calls_per_answer": {"mean": round(statistics.fmean(tools), 2), "max": max(tools)},
        "model_calls_per_answer": round(
            statistics.fmean(t.answer.usage.model_calls for t in turns), 2
        ),
    }


async def bench_local(settings: Settings, clock: Clock, cases_file: Path) -> dict[str, Any]:
    cases = load_cases(cases_file)
    async with open_agent(settings, clock=clock, checkpointer=InMemorySaver()) as agent:
        cold = await run_cases(agent, cases)
        warm = await run_cases(agent, cases)
    return {
        "cases": str(cases_file),
        "cold": _answers_summary(cold),
        "warm": _answers_summary(warm),
    }


async def bench_llm(settings: Settings, clock: Clock) -> dict[str, Any]:
    server = ScriptedOpenAI()
    with serve(server) as base_url:
        llm = settings.agent.model_copy(
            update={"model": "openai:scripted", "base_url": base_url, "api_key": "sk-bench"}
        )
        async with open_agent(
            settings.model_copy(update={"agent": llm}),
            clock=clock,
            checkpointer=InMemorySaver(),
        ) as agent:
            server.script(
                tool_calls(("get_journey", {"customer": "Acme Bakery LLC"})), echo_tool_results
            )
            started = time.perf_counter()
            answer = await agent.ask(STATUS_QUESTION, principal=DEMO_STAFF)
            latency_ms = (time.perf_counter() - started) * 1000
    return {
        "question": STATUS_QUESTION,
        "model_round_trips": len(server.requests),
        "tool_calls": len(answer.tool_calls),
        "tokens": answer.usage.total_tokens,
        "latency_ms": round(latency_ms, 1),
    }


async def main_async(world: Path, cases_file: Path) -> dict[str, Any]:
    with EmbeddedSandbox(world) as sandbox:
        now = sandbox.app.state.world.now
        settings = sandbox_settings(Settings(), sandbox)
        return {
            "world": sandbox.app.state.world.name,
            "local": await bench_local(settings, lambda: now, cases_file),
            "llm_scripted": await bench_llm(settings, lambda: now),
        }


def _print(report: dict[str, Any]) -> None:
    local = report["local"]
    print(f"world {report['world']}, cases {local['cases']}")
    print(
        f"{'local planner':<16} {'answers':>7} {'pass':>6} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'max ms':>8} {'tools/ans':>9} {'max':>4} {'model/ans':>9}"
    )
    for name in ("cold", "warm"):
        s = local[name]
        print(
            f"  {name:<14} {s['answers']:>7} {s['pass_rate']:>6.1%} "
            f"{s['latency_ms']['p50']:>8} {s['latency_ms']['p95']:>8} {s['latency_ms']['max']:>8} "
            f"{s['tool_calls_per_answer']['mean']:>9} {s['tool_calls_per_answer']['max']:>4} "
            f"{s['model_calls_per_answer']:>9}"
        )
    llm = report["llm_scripted"]
    print(
        f"scripted LLM: {llm['question']!r}: {llm['model_round_trips']} model round trips, "
        f"{llm['tool_calls']} tool call(s), {llm['tokens']} tokens, {llm['latency_ms']} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEV_CASES)
    parser.add_argument("--world", type=Path, default=DEMO_WORLD)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    report = asyncio.run(main_async(args.world, args.cases))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print(report)


if __name__ == "__main__":
    main()
