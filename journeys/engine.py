"""The journey engine: a pure function of (playbook, facts, now) → ``JourneyView``.

1. Each step is *complete* when all its ``complete_when`` clauses hold; *unknown* when one
   depends on a system that could not be reached; the current step is the first step not known
   to be complete, and *active* steps are the incomplete ones whose dependencies are complete.
2. Blockers are read from the active steps' rules; a step past its SLA with no other blocker
   gets an ``sla_breach``.
3. Status, in order of precedence: terminated (a terminal rule holds) → live (every step
   complete) → stalled (no activity anywhere for ``stalled_after_days``) → blocked (any blocker)
   → at_risk (``at_risk_fraction`` of an active step's SLA spent) → on_track.
4. Discrepancies, history and sources are gathered from the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from journeys.discrepancies import find_discrepancies
from journeys.facts import FactSet, Source, at_day
from journeys.owners import OwnerResolver, step_task, step_ticket
from journeys.playbook import Playbook, Playbooks, Step
from journeys.rules import as_time, matches
from journeys.templates import render
from journeys.timeline import build_history
from journeys.view import (
    AccountRef,
    Blocker,
    Diagnostics,
    JourneyView,
    NextStep,
    SlaState,
    Status,
    StepProgress,
    Unavailable,
)


class NoPlaybook(LookupError):
    """No playbook covers the account's product."""


def choose_playbook(playbooks: Playbooks, facts: FactSet) -> Playbook:
    """By the CRM product; without the CRM, by the product tag the account's tickets carry."""
    product = facts.account.product if facts.account else None
    playbook = playbooks.for_product(product)
    if playbook is None and facts.account is None:
        tags = {tag for t in facts.of_kind("ticket") for tag in t.tags}
        playbook = playbooks.for_tags(tags)
    if playbook is None and facts.account is None:
        reason = facts.unavailable.get("salesforce", "no CRM account")
        raise NoPlaybook(
            f"cannot tell which journey account {facts.account_id} is on: the CRM is "
            f"unreachable ({reason}) and no ticket names the product"
        )
    if playbook is None:
        known = ", ".join(pb.product for pb in playbooks)
        what = f"product {product!r}" if product else "no product"
        raise NoPlaybook(f"account {facts.account_id} has {what}; playbooks cover: {known}")
    return playbook


@dataclass(frozen=True)
class StepResult:
    step: Step
    index: int
    complete: bool | None  # None: unknown (a system it needs was unreachable)
    evidence: tuple[Any, ...]
    completed_at: datetime | None = None


def evaluate_steps(playbook: Playbook, facts: FactSet, now: datetime) -> list[StepResult]:
    results = []
    for index, step in enumerate(playbook.steps):
        outcomes = [clause.evaluate(facts, now) for clause in step.complete_when]
        if any(o.holds is False for o in outcomes):
            complete: bool | None = False
        elif any(o.holds is None for o in outcomes):
            complete = None
        else:
            complete = True
        evidence = tuple(f for o in outcomes if o.holds for f in o.evidence)
        times = [o.at for o in outcomes if o.at is not None]
        # The team closes the step's ticket once the evidence is in: that is when the step
        # was handed on, so it counts toward the completion time too.
        times += [t.updated_at for t in _solved_step_tickets(step, facts, now) if t.updated_at]
        completed_at = max(times) if complete and times else None
        results.append(StepResult(step, index, complete, evidence, completed_at))
    return results


def _solved_step_tickets(step: Step, facts: FactSet, now: datetime) -> list[Any]:
    if step.ticket is None:
        return []
    return [
        t
        for t in facts.of_kind("ticket")
        if t.status in ("solved", "closed") and matches(t, step.ticket, now)
    ]


@dataclass(frozen=True)
class _Clock:
    """SLA arithmetic for one active step."""

    started_at: datetime | None
    due_at: datetime | None
    state: SlaState | None


def _journey_start(facts: FactSet) -> datetime | None:
    starts = [f.created_at for f in facts.of_kind("opportunity") if f.created_at]
    if facts.account and facts.account.created_at:
        starts.append(facts.account.created_at)
    return min(starts, default=None)


def _sla_clock(
    playbook: Playbook,
    result: StepResult,
    by_id: dict[str, StepResult],
    facts: FactSet,
    now: datetime,
) -> _Clock:
    deps = [by_id[d] for d in playbook.dependencies(result.index)]
    if deps:
        finished = [d.completed_at for d in deps if d.completed_at is not None]
        started = max(finished) if len(finished) == len(deps) else None
    else:
        started = _journey_start(facts)
    if started is None:
        return _Clock(None, None, None)
    # SLAs count calendar days: a step handed on at 4 pm is in its second day the next morning.
    started = at_day(started.date())
    due = started + timedelta(days=result.step.sla_days)
    if now > due:
        state: SlaState = "breached"
    elif now - started >= timedelta(days=result.step.sla_days * playbook.at_risk_fraction):
        state = "at_risk"
    else:
        state = "ok"
    return _Clock(started, due, state)


def _blockers(
    playbook: Playbook, result: StepResult, clock: _Clock, facts: FactSet, now: datetime
) -> list[Blocker]:
    step = result.step
    owners = OwnerResolver(step, facts, now)
    found: list[Blocker] = []
    claimed: set[Source] = set()
    # Step rules come first; a record already explaining a blocker is not counted twice.
    for rule in playbook.blockers_for(step):
        for fact in rule.when.select(facts, now):
            if fact.source in claimed:
                continue
            claimed.add(fact.source)
            since_value = getattr(fact, rule.since) if rule.since else fact.at
            since = as_time(since_value) if since_value is not None else None
            found.append(
                Blocker(
                    type=rule.type,
                    step=step.id,
                    detail=render(rule.detail, fact, now, since),
                    customer_detail=render(rule.customer_detail, fact, now, since)
                    if rule.customer_detail
                    else None,
                    since=since,
                    who=owners.resolve(playbook.actors[rule.who or step.owner], fact),
                    evidence=fact.source,
                )
            )
    if not found and clock.state == "breached" and clock.started_at is not None:
        days = (now - clock.started_at).days
        evidence = _breach_evidence(step, facts, now)
        if evidence is not None:
            found.append(
                Blocker(
                    type="sla_breach",
                    step=step.id,
                    detail=f"{step.title} has been in progress for {days} days; its SLA is "
                    f"{step.sla_days:g} days",
                    since=clock.due_at,
                    who=owners.resolve(playbook.actors[step.owner]),
                    evidence=evidence,
                )
            )
    return found


def _breach_evidence(step: Step, facts: FactSet, now: datetime) -> Source | None:
    """The record that shows the step is still open: its ticket or task, else the account."""
    record = step_ticket(step, facts, now) or step_task(step, facts, now) or facts.account
    return record.source if record else None


def _last_activity(facts: FactSet, history_times: list[datetime]) -> datetime | None:
    times = [f.updated_at for f in facts.all() if f.updated_at] + history_times
    return max(times, default=None)


def derive(playbook: Playbook, facts: FactSet, now: datetime) -> JourneyView:
    """The journey of one account as the facts show it at ``now``."""
    results = evaluate_steps(playbook, facts, now)
    by_id = {r.step.id: r for r in results}
    current = next((r for r in results if r.complete is not True), None)
    active = [
        r
        for r in results
        if r.complete is not True and all(by_id[d].complete for d in playbook.dependencies(r.index))
    ]
    clocks = {r.step.id: _sla_clock(playbook, r, by_id, facts, now) for r in active}
    terminal = _terminal(playbook, facts, now)
    # A journey that has ended has nothing left to unblock.
    blockers = [
        b
        for r in ([] if terminal else active)
        for b in _blockers(playbook, r, clocks[r.step.id], facts, now)
    ]
    history = build_history(facts, now)
    last_activity = _last_activity(facts, [e.at for e in history])
    status, reason = _status(playbook, current, terminal, blockers, clocks, last_activity, now)

    next_step = None
    if current is not None and status not in ("live", "terminated"):
        clock = clocks.get(current.step.id, _Clock(None, None, None))
        next_step = NextStep(
            step=current.step.id,
            title=current.step.title,
            action=current.step.action,
            owner=OwnerResolver(current.step, facts, now).resolve(
                playbook.actors[current.step.owner]
            ),
            started_at=clock.started_at,
            due_at=clock.due_at,
            sla_days=current.step.sla_days,
            sla_state=clock.state,
        )

    account = facts.account
    return JourneyView(
        account=AccountRef(
            id=facts.account_id,
            name=account.name if account else None,
            dba_name=account.dba_name if account else None,
            owner=account.owner.name if account and account.owner else None,
            owner_email=account.owner.email if account and account.owner else None,
            link=account.source.link if account else None,
        ),
        product=playbook.product,
        playbook=playbook.id,
        as_of=now,
        status=status,
        status_reason=reason,
        current_step=current.step.id if current else None,
        next_step=next_step,
        blockers=blockers,
        steps=[_progress(r, active) for r in results],
        history=history,
        sources=_sources(facts),
        discrepancies=find_discrepancies(playbook, facts, results, status, now),
        last_activity_at=last_activity,
        unavailable=[Unavailable(system=s, reason=r) for s, r in facts.unavailable.items()],
        partial=bool(facts.unavailable),
        diagnostics=Diagnostics(
            unlinked_records=len(facts.unlinked),
            notes=[f"{u.source.ref}: {u.reason}" for u in facts.unlinked],
        ),
    )


def _terminal(playbook: Playbook, facts: FactSet, now: datetime) -> str | None:
    for rule in playbook.terminated_when:
        selected = rule.when.select(facts, now)
        if selected:
            return render(rule.detail, selected[0], now)
    return None


def _status(
    playbook: Playbook,
    current: StepResult | None,
    terminal: str | None,
    blockers: list[Blocker],
    clocks: dict[str, _Clock],
    last_activity: datetime | None,
    now: datetime,
) -> tuple[Status, str]:
    if terminal:
        return "terminated", terminal
    if current is None:
        return "live", "every step of the journey is complete"
    quiet_since = playbook.stalled_after_days
    if last_activity is not None and now - last_activity >= timedelta(days=quiet_since):
        days = (now - last_activity).days
        return "stalled", f"no activity in any system for {days} days"
    if blockers:
        kinds = sorted({b.type.replace("_", " ") for b in blockers})
        return "blocked", f"{current.step.title}: {', '.join(kinds)}"
    at_risk = [step for step, clock in clocks.items() if clock.state == "at_risk"]
    if at_risk:
        return "at_risk", f"most of the SLA is spent on: {', '.join(at_risk)}"
    if current.complete is None:
        return "on_track", f"{current.step.title}: progress unknown (a system is unreachable)"
    return "on_track", f"{current.step.title} is within its SLA"


def _progress(result: StepResult, active: list[StepResult]) -> StepProgress:
    if result.complete:
        state = "complete"
    elif result.complete is None:
        state = "unknown"
    elif result in active:
        state = "active"
    else:
        state = "pending"
    return StepProgress(
        id=result.step.id,
        title=result.step.title,
        state=state,
        completed_at=result.completed_at,
        evidence=[f.source for f in result.evidence] if result.complete else [],
    )


def _sources(facts: FactSet) -> list[Source]:
    seen: dict[Source, None] = {}
    for fact in facts.all():
        seen.setdefault(fact.source, None)
    return list(seen)
