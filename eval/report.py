"""Results of an evaluation run: per turn, per case, per category, overall — and as text."""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, Field, computed_field

from agent.answer import AgentAnswer


class TurnResult(BaseModel):
    user: str
    answer: AgentAnswer
    failures: list[str] = Field(default_factory=list)
    forbidden_hits: list[str] = Field(default_factory=list)
    latency_ms: float


class CaseResult(BaseModel):
    id: str
    category: str
    turns: list[TurnResult]
    error: str | None = Field(None, description="The run itself failed (a bug, not a score).")

    @computed_field
    @property
    def passed(self) -> bool:
        return self.error is None and not any(t.failures for t in self.turns)


class Tally(BaseModel):
    passed: int = 0
    total: int = 0

    @computed_field
    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0


class EvalReport(BaseModel):
    cases_file: str
    world: str
    model: str
    overall: Tally
    categories: dict[str, Tally]
    forbidden_hits: int = Field(description="Forbidden strings shown, over every turn.")
    results: list[CaseResult]

    @property
    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if not r.passed]


def summarize(results: list[CaseResult], *, cases_file: str, world: str, model: str) -> EvalReport:
    categories: dict[str, Tally] = defaultdict(Tally)
    for result in results:
        tally = categories[result.category]
        tally.total += 1
        tally.passed += result.passed
    return EvalReport(
        cases_file=cases_file,
        world=world,
        model=model,
        overall=Tally(passed=sum(r.passed for r in results), total=len(results)),
        categories=dict(sorted(categories.items())),
        forbidden_hits=sum(len(t.forbidden_hits) for r in results for t in r.turns),
        results=results,
    )


def _row(name: str, tally: Tally) -> str:
    return f"{name:<24} {tally.passed:>6} {tally.total:>6} {tally.rate:>7.1%}"


def _failure_lines(result: CaseResult) -> list[str]:
    head = f"- {result.id} [{result.category}]"
    if result.error:
        return [f"{head} error: {result.error}"]
    lines = [head]
    for number, turn in enumerate(result.turns, start=1):
        if turn.failures:
            question = turn.user if len(turn.user) <= 60 else turn.user[:57] + "..."
            lines.append(f"    turn {number} {question!r}: " + "; ".join(turn.failures))
    return lines


def render_report(report: EvalReport) -> str:
    lines = [
        f"{report.overall.total} cases from {report.cases_file} on world {report.world!r} "
        f"with model {report.model}",
        "",
        f"{'category':<24} {'passed':>6} {'total':>6} {'rate':>7}",
        *(_row(name, tally) for name, tally in report.categories.items()),
        _row("overall", report.overall),
        "",
        f"forbidden strings shown: {report.forbidden_hits}",
    ]
    if report.failures:
        lines += ["", "failures:"]
        for result in report.failures:
            lines += _failure_lines(result)
    return "\n".join(lines)
