"""Run case files through the real graph over a sandbox world and score every turn.

``evaluate`` starts the sandbox on the world (the demo world by default), builds the agent as
the CLI does — tools, the configured model, the world's frozen clock — and runs each case on a
fresh thread, its turns in order, as the case's principal.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.memory import InMemorySaver

from agent.runtime import open_agent
from agent.service import Agent, new_thread_id
from config import Settings
from eval.cases import Case
from eval.report import CaseResult, EvalReport, TurnResult, summarize
from eval.scoring import score_turn
from sandbox.embedded import sandbox_settings
from sandbox.server import EmbeddedSandbox

log = logging.getLogger(__name__)


async def run_case(agent: Agent, case: Case) -> CaseResult:
    thread_id = f"eval-{case.id}-{new_thread_id()}"
    turns: list[TurnResult] = []
    try:
        for turn in case.turns:
            started = time.perf_counter()
            answer = await agent.ask(turn.user, principal=case.principal, thread_id=thread_id)
            latency_ms = (time.perf_counter() - started) * 1000
            verdict = score_turn(turn, answer)
            turns.append(
                TurnResult(
                    user=turn.user,
                    answer=answer,
                    failures=verdict.failures,
                    forbidden_hits=verdict.forbidden_hits,
                    latency_ms=latency_ms,
                )
            )
    except Exception as exc:
        # One broken case must not hide the scores of the others; it counts as failed.
        log.exception("case %s crashed", case.id)
        error = f"{type(exc).__name__}: {exc}"
        return CaseResult(id=case.id, category=case.category, turns=turns, error=error)
    return CaseResult(id=case.id, category=case.category, turns=turns)


async def run_cases(agent: Agent, cases: list[Case]) -> list[CaseResult]:
    """Sequentially: latencies stay comparable and the output deterministic."""
    return [await run_case(agent, case) for case in cases]


async def evaluate(
    cases: list[Case],
    *,
    world: Path,
    settings: Settings,
    cases_file: str,
    model: BaseChatModel | None = None,
) -> EvalReport:
    """Score ``cases`` against a sandbox over ``world``; ``model`` overrides the configured one."""
    with EmbeddedSandbox(world) as sandbox:
        now = sandbox.app.state.world.now
        async with open_agent(
            sandbox_settings(settings, sandbox),
            clock=lambda: now,
            checkpointer=InMemorySaver(),
            model=model,
        ) as agent:
            results = await run_cases(agent, cases)
        return summarize(
            results,
            cases_file=cases_file,
            world=sandbox.app.state.world.name,
            model=agent.model_name,
        )
