"""Where the systems disagree: Baton points these out instead of repeating a stale field.

Four kinds: the CRM's hand-maintained stage against the derived step (``crm_stage``); a step
complete while one it depends on is not (``step_order``); a complete step whose ticket is still
open (``open_ticket``); and the playbook's own rules (their ``id``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from journeys.facts import FactSet, Source
from journeys.playbook import Playbook
from journeys.rules import matches
from journeys.templates import days_since, render_many
from journeys.view import Discrepancy, Status

if TYPE_CHECKING:
    from journeys.engine import StepResult

_OPEN_TICKET = ("new", "open", "pending", "hold")


def find_discrepancies(
    playbook: Playbook, facts: FactSet, results: list[StepResult], status: Status, now: datetime
) -> list[Discrepancy]:
    return [
        *_crm_stage(playbook, facts, results, status, now),
        *_step_order(playbook, results),
        *_open_tickets(facts, results, now),
        *_rules(playbook, facts, now),
    ]


def _crm_stage(
    playbook: Playbook, facts: FactSet, results: list[StepResult], status: Status, now: datetime
) -> list[Discrepancy]:
    account = facts.account
    if account is None or not account.crm_stage:
        return []
    stage = account.crm_stage
    current = next((r for r in results if not r.settled), None)
    if current is not None and current.complete is None:
        return []  # the derived step is itself uncertain: no grounds to call the CRM stale
    says = f"The CRM says {stage!r}"
    if stage in playbook.terminated_crm_stages:
        if status == "terminated":
            return []
        return [
            _crm(f"{says} but no terminal evidence was found; the journey is {status}", account)
        ]
    if status == "terminated":
        return [_crm(f"{says} but the journey has ended", account)]
    if stage in playbook.live_crm_stages:
        if current is None:
            return []
        return [_crm(f"{says} but {current.step.title!r} is not complete", account)]
    claimed = playbook.step_for_crm_stage(stage)
    if claimed is None:
        return [_crm(f"{says}, which is not a stage of the {playbook.title} playbook", account)]
    by_id = {r.step.id: r for r in results}
    claimed_result = by_id[claimed]
    if current is None:
        return [
            _crm(
                f"{says} but every step is complete: the journey is live",
                account,
                _last_evidence(results),
            )
        ]
    if claimed == current.step.id:
        return []
    if claimed_result.passed:
        detail = (
            f"{says} but later steps are complete (it could not be checked itself); the journey "
            f"is at {current.step.title!r}"
        )
        return [_crm(detail, account)]
    if claimed_result.complete:
        days = days_since(claimed_result.completed_at, now)
        ago = f" {days} days ago" if days is not None else ""
        detail = (
            f"{says} but {claimed_result.step.title!r} was completed{ago}; the journey is at "
            f"{current.step.title!r}"
        )
        return [_crm(detail, account, claimed_result.evidence)]
    detail = f"{says} but the journey is still at {current.step.title!r}"
    return [_crm(detail, account)]


def _unique(sources: list[Source]) -> list[Source]:
    """Each record once: one record can be both the stale field and the evidence against it."""
    return list(dict.fromkeys(sources))


def _crm(detail: str, account: Any, evidence: tuple[Any, ...] = ()) -> Discrepancy:
    return Discrepancy(
        kind="crm_stage",
        detail=detail,
        sources=_unique([account.source, *(f.source for f in evidence)]),
    )


def _last_evidence(results: list[StepResult]) -> tuple[Any, ...]:
    return results[-1].evidence if results else ()


def _step_order(playbook: Playbook, results: list[StepResult]) -> list[Discrepancy]:
    by_id = {r.step.id: r for r in results}
    found = []
    for result in results:
        if not result.complete:
            continue
        for dep in playbook.dependencies(result.index):
            if by_id[dep].complete is False:
                found.append(
                    Discrepancy(
                        kind="step_order",
                        detail=f"{result.step.title!r} is complete but {by_id[dep].step.title!r}"
                        " before it is not",
                        sources=_unique([f.source for f in result.evidence]),
                    )
                )
    return found


def _open_tickets(facts: FactSet, results: list[StepResult], now: datetime) -> list[Discrepancy]:
    found = []
    for result in results:
        if not result.complete or result.step.ticket is None:
            continue
        for ticket in facts.of_kind("ticket"):
            if ticket.status in _OPEN_TICKET and matches(ticket, result.step.ticket, now):
                found.append(
                    Discrepancy(
                        kind="open_ticket",
                        detail=f"{result.step.title!r} is complete but ticket "
                        f"#{ticket.source.record_id} {ticket.subject!r} is still {ticket.status}",
                        sources=_unique([ticket.source, *(f.source for f in result.evidence)]),
                    )
                )
    return found


def _rules(playbook: Playbook, facts: FactSet, now: datetime) -> list[Discrepancy]:
    found = []
    for rule in playbook.discrepancies:
        picked = {}
        for alias, clause in rule.when.items():
            selected = clause.select(facts, now)
            if not selected:
                break
            picked[alias] = selected[0]
        else:
            found.append(
                Discrepancy(
                    kind=rule.id,
                    detail=render_many(rule.detail, picked, now),
                    sources=_unique([f.source for f in picked.values()]),
                )
            )
    return found
