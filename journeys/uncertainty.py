"""What a partial view could not confirm, said precisely enough to be shown to a person.

A system that cannot be reached leaves some of the journey open: a step whose evidence lives
there, the blockers of an active step, the account's CRM details, or the status itself (the
current step is unknown, the stall cannot be judged, blockers cannot be ruled out, the SLA
clock has no start). The engine decides what it can from the evidence it has; this module
names what is left open, and only for systems the playbook reads (a treasury journey does not
depend on the POS vendor).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from journeys.facts import SYSTEMS, FactSet, System
from journeys.playbook import Playbook
from journeys.view import Status, Unconfirmed

if TYPE_CHECKING:
    from journeys.engine import StepResult

SYSTEM_NAMES: dict[System, str] = {
    "salesforce": "Salesforce",
    "zendesk": "Zendesk",
    "kyc": "the KYC provider",
    "pos": "the POS vendor",
}


def relevant_down(playbook: Playbook, facts: FactSet) -> set[System]:
    """The unreachable systems this playbook reads."""
    return {s for s in facts.unavailable if s in playbook.systems()}


def names(systems: Iterable[System]) -> str:
    """``the KYC provider`` / ``Zendesk and the POS vendor``, in a stable order."""
    return " and ".join(SYSTEM_NAMES[s] for s in SYSTEMS if s in set(systems))


def down_phrase(systems: Iterable[System]) -> str:
    found = set(systems)
    return f"{names(found)} {'is' if len(found) == 1 else 'are'} unavailable"


def blocker_systems(playbook: Playbook, result: StepResult) -> set[System]:
    """Systems holding the evidence of the step's blockers (its rules and the shared ones)."""
    return {rule.when.system for rule in playbook.blockers_for(result.step)}


def unconfirmed(
    playbook: Playbook,
    facts: FactSet,
    results: list[StepResult],
    active: list[StepResult],
    status: Status,
    quiet_days: int | None,
    named_by_zendesk: bool,
) -> list[Unconfirmed]:
    """Everything the view leaves open; ``quiet_days`` is set when the visible activity is old
    enough to mean *stalled* were nothing unreachable."""
    down = relevant_down(playbook, facts)
    if not down:
        return []
    found: list[Unconfirmed] = []
    if "salesforce" in down:
        found.append(_account(named_by_zendesk))
    found += [_step(r) for r in results if r.complete is None]
    by_step = {r.step.id: blocker_systems(playbook, r) & down for r in active}
    found += [
        Unconfirmed(
            about="blockers",
            step=r.step.id,
            systems=sorted(by_step[r.step.id]),
            detail=f"Blockers on {r.step.title} could not all be checked: "
            f"{down_phrase(by_step[r.step.id])}",
        )
        for r in active
        if by_step[r.step.id]
    ]
    status_item = _status(playbook, results, active, status, quiet_days, down, by_step)
    return found + ([status_item] if status_item else [])


def _account(named_by_zendesk: bool) -> Unconfirmed:
    shown = "; the name shown is the Zendesk organization's" if named_by_zendesk else ""
    return Unconfirmed(
        about="account",
        systems=["salesforce"],
        detail=f"The account's CRM details (name, relationship manager, contacts) could not be "
        f"read: {down_phrase(['salesforce'])}{shown}",
    )


def _step(result: StepResult) -> Unconfirmed:
    title = result.step.title
    if result.passed:
        detail = (
            f"{title} could not be checked ({down_phrase(result.blind)}), but later steps are "
            "complete: the journey has moved past it"
        )
    else:
        detail = f"{title} could not be checked: {down_phrase(result.blind)}"
    return Unconfirmed(
        about="step", step=result.step.id, systems=sorted(result.blind), detail=detail
    )


def _status(
    playbook: Playbook,
    results: list[StepResult],
    active: list[StepResult],
    status: Status,
    quiet_days: int | None,
    down: set[System],
    blockers_open: dict[str, set[System]],
) -> Unconfirmed | None:
    """Why the status may differ from what the unreachable systems would show, if it may."""
    if status in ("live", "terminated"):
        return None  # both rest on evidence that is present
    reasons: list[tuple[str, set[System]]] = []
    current = next((r for r in results if not r.settled), None)
    if current is not None and current.complete is None:
        reasons.append((f"{current.step.title} could not be checked", set(current.blind)))
    if quiet_days is not None:
        quiet = f"no activity seen for {quiet_days} days in the systems that answered"
        reasons.append((quiet, down))
    if status in ("on_track", "at_risk"):
        open_steps = {s for systems in blockers_open.values() for s in systems}
        if open_steps:
            reasons.append(("blockers could not be ruled out", open_steps))
        by_id = {r.step.id: r for r in results}
        for r in active:
            deps = [by_id[d] for d in playbook.dependencies(r.index)]
            blind = {s for d in deps for s in d.blind}
            if blind and r.complete is False:
                reasons.append((f"when {r.step.title} started is unknown", blind))
    if not reasons:
        return None
    systems = {s for _, blind in reasons for s in blind}
    why = "; ".join(text for text, _ in reasons)
    return Unconfirmed(
        about="status",
        step=current.step.id if current else None,
        systems=sorted(systems),
        detail=f"Status {status.replace('_', ' ')} is not confirmed: {why} "
        f"({down_phrase(systems)})",
    )
