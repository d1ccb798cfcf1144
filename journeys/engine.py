"""The journey engine: a pure function of (playbook, facts, now) → ``JourneyView``.

1. Each step is *complete* when all its ``complete_when`` clauses hold; *unknown* when one
   depends on a system that could not be reached. An unknown step with a complete step after
   it has been *passed*: the journey moved beyond it. The current step is the first step
   neither complete nor passed; *active* steps are the others of that kind whose dependencies
   are all complete or passed.
2. Blockers are read from the active steps' rules; a step known to be incomplete and past its
   SLA with no other blocker gets an ``sla_breach``. SLAs run from the exact hand-off time.
3. Status, in order of precedence: terminated (a terminal rule holds) → live (every step
   complete or passed) → stalled (no activity anywhere for ``stalled_after_days``; never
   claimed while a system the playbook reads is unreachable, since its activity is unknown)
   → blocked (any blocker) → at_risk (``at_risk_fraction`` of an active step's SLA spent) →
   on_track.
4. Discrepancies, history and sources are gathered from the same facts; what an unreachable
   system left open is listed in ``unconfirmed`` (``journeys.uncertainty``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from journeys.discrepancies import find_discrepancies
from journeys.facts import FactSet, Source, System, calendar_days
from journeys.owners import OwnerResolver, step_task, step_ticket
from journeys.playbook import Playbook, Playbooks, Step
from journeys.rules import as_time, matches
from journeys.templates import render
from journeys.timeline import build_history
from journeys.uncertainty import down_phrase, relevant_down, unconfirmed
from journeys.view import (
    AccountRef,
    Blocker,
    ClientContact,
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
    # The unreachable systems that left it unknown (a complete step: its completion time).
    blind: frozenset[System] = frozenset()
    passed: bool = False  # unknown, but a later step is complete: the journey moved beyond it

    @property
    def settled(self) -> bool:
        """Behind the journey: complete, or passed."""
        return self.complete is True or self.passed


def evaluate_steps(playbook: Playbook, facts: FactSet, now: datetime) -> list[StepResult]:
    return _mark_passed([_evaluate(step, i, facts, now) for i, step in enumerate(playbook.steps)])


def _evaluate(step: Step, index: int, facts: FactSet, now: datetime) -> StepResult:
    outcomes = [(clause, clause.evaluate(facts, now)) for clause in step.complete_when]
    if any(o.holds is False for _, o in outcomes):
        complete: bool | None = False
    elif any(o.holds is None for _, o in outcomes):
        complete = None
    else:
        complete = True
    evidence = tuple(f for _, o in outcomes if o.holds for f in o.evidence)
    times = [o.at for _, o in outcomes if o.at is not None]
    # The team closes the step's ticket once the evidence is in: that is when the step
    # was handed on, so it counts toward the completion time too.
    times += [t.updated_at for t in _solved_step_tickets(step, facts, now) if t.updated_at]
    blind = {c.system for c, o in outcomes if o.holds is None}
    if complete and step.ticket is not None and "zendesk" in facts.unavailable:
        # The hand-off may be a solved ticket we cannot see: the completion time is unknown.
        blind, times = {"zendesk"}, []
    completed_at = max(times) if complete and times else None
    return StepResult(step, index, complete, evidence, completed_at, frozenset(blind))


def _mark_passed(results: list[StepResult]) -> list[StepResult]:
    """Later completion evidence shows the journey went beyond the unknown steps before it."""
    marked: list[StepResult] = []
    later_complete = False
    for result in reversed(results):
        if result.complete is None and later_complete:
            result = replace(result, passed=True)
        later_complete = later_complete or result.complete is True
        marked.append(result)
    return marked[::-1]


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
    if result.complete is None:
        return _Clock(None, None, None)  # it may be done already: no clock to run
    deps = [by_id[d] for d in playbook.dependencies(result.index)]
    if deps:
        finished = [d.completed_at for d in deps if d.completed_at is not None]
        started = max(finished) if len(finished) == len(deps) else None
    else:
        started = _journey_start(facts)
    if started is None:
        return _Clock(None, None, None)
    # The SLA runs from the hand-off itself, not from its midnight: 2.8 days into a 3-day SLA
    # is not breached. The warning is day-grained: a step is at risk from the morning of the
    # day its at-risk point falls on (docs/journey-view.md, "SLA arithmetic").
    due = started + timedelta(days=result.step.sla_days)
    warn = started + timedelta(days=result.step.sla_days * playbook.at_risk_fraction)
    if now > due:
        state: SlaState = "breached"
    elif calendar_days(warn, now) >= 0:
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
        days = calendar_days(clock.started_at, now)
        evidence = _breach_evidence(step, facts, now)
        if evidence is not None:
            found.append(
                Blocker(
                    type="sla_breach",
                    step=step.id,
                    detail=f"{step.title} has been in progress for {days} days, past its "
                    f"{step.sla_days:g}-day SLA",
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


def _quiet_days(playbook: Playbook, last_activity: datetime | None, now: datetime) -> int | None:
    """Days without activity in the systems that answered, when that is long enough to stall."""
    if last_activity is None or now - last_activity < timedelta(days=playbook.stalled_after_days):
        return None
    return calendar_days(last_activity, now)


def derive(playbook: Playbook, facts: FactSet, now: datetime) -> JourneyView:
    """The journey of one account as the facts show it at ``now``."""
    results = evaluate_steps(playbook, facts, now)
    by_id = {r.step.id: r for r in results}
    current = next((r for r in results if not r.settled), None)
    active = [
        r
        for r in results
        if not r.settled and all(by_id[d].settled for d in playbook.dependencies(r.index))
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
    quiet = _quiet_days(playbook, last_activity, now)
    # Activity in an unreachable system is unknown, not absent: no stall is claimed then.
    stalled = quiet if not relevant_down(playbook, facts) else None
    status, reason = _status(current, terminal, blockers, clocks, stalled)
    next_step = None
    if current is not None and status not in ("live", "terminated"):
        next_step = _next_step(playbook, current, clocks, facts, now)
    return JourneyView(
        account=_account_ref(facts),
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
        contacts=[
            ClientContact(name=c.name, title=c.title, email=c.email, source=c.source)
            for c in facts.of_kind("contact")
        ],
        unavailable=[Unavailable(system=s, reason=r) for s, r in facts.unavailable.items()],
        partial=bool(facts.unavailable),
        unconfirmed=unconfirmed(
            playbook,
            facts,
            results,
            active,
            status,
            quiet if stalled is None else None,
            named_by_zendesk=facts.account is None and facts.organization is not None,
        ),
        diagnostics=Diagnostics(
            unlinked_records=len(facts.unlinked),
            notes=[f"{u.source.ref}: {u.reason}" for u in facts.unlinked],
        ),
    )


def _account_ref(facts: FactSet) -> AccountRef:
    account = facts.account
    if account is None:
        # Without the CRM, the Zendesk organization linked to the account still names it.
        return AccountRef(id=facts.account_id, name=facts.organization)
    owner = account.owner
    return AccountRef(
        id=facts.account_id,
        name=account.name,
        dba_name=account.dba_name,
        owner=owner.name if owner else None,
        owner_email=owner.email if owner else None,
        link=account.source.link,
    )


def _next_step(
    playbook: Playbook,
    current: StepResult,
    clocks: dict[str, _Clock],
    facts: FactSet,
    now: datetime,
) -> NextStep:
    step = current.step
    clock = clocks.get(step.id, _Clock(None, None, None))
    return NextStep(
        step=step.id,
        title=step.title,
        action=step.action,
        owner=OwnerResolver(step, facts, now).resolve(playbook.actors[step.owner]),
        started_at=clock.started_at,
        due_at=clock.due_at,
        sla_days=step.sla_days,
        sla_state=clock.state,
    )


def _terminal(playbook: Playbook, facts: FactSet, now: datetime) -> str | None:
    for rule in playbook.terminated_when:
        selected = rule.when.select(facts, now)
        if selected:
            return render(rule.detail, selected[0], now)
    return None


def _status(
    current: StepResult | None,
    terminal: str | None,
    blockers: list[Blocker],
    clocks: dict[str, _Clock],
    stalled_days: int | None,
) -> tuple[Status, str]:
    if terminal:
        return "terminated", terminal
    if current is None:
        return "live", "every step of the journey is complete"
    if stalled_days is not None:
        return "stalled", f"no activity in any system for {stalled_days} days"
    if blockers:
        kinds = sorted({b.type.replace("_", " ") for b in blockers})
        return "blocked", f"{current.step.title}: {', '.join(kinds)}"
    at_risk = [step for step, clock in clocks.items() if clock.state == "at_risk"]
    if at_risk:
        return "at_risk", f"most of the SLA is spent on: {', '.join(at_risk)}"
    if current.complete is None:
        return (
            "on_track",
            f"{current.step.title} could not be checked ({down_phrase(current.blind)})",
        )
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
