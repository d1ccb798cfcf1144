"""Resolve a playbook actor (role + team) to the person the records name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from journeys.facts import (
    ContactFact,
    FactSet,
    KycApplicationFact,
    Person,
    TaskFact,
    TicketFact,
)
from journeys.playbook import Actor, Step
from journeys.rules import matches
from journeys.view import Owner

_OPEN_TICKET = ("new", "open", "pending", "hold")
_EPOCH = datetime.min.replace(tzinfo=UTC)


def _current_first(records: list[Any], is_open: Callable[[Any], bool]) -> Any | None:
    """The newest open record, else the newest of all (a solved ticket still names its agent)."""
    ranked = sorted(records, key=lambda r: (is_open(r), r.updated_at or _EPOCH), reverse=True)
    return ranked[0] if ranked else None


def step_ticket(step: Step, facts: FactSet, now: datetime) -> TicketFact | None:
    if step.ticket is None:
        return None
    tickets = [t for t in facts.of_kind("ticket") if matches(t, step.ticket, now)]
    return _current_first(tickets, lambda t: t.status in _OPEN_TICKET)


def step_task(step: Step, facts: FactSet, now: datetime) -> TaskFact | None:
    if step.task is None:
        return None
    tasks = [t for t in facts.of_kind("task") if matches(t, step.task, now)]
    return _current_first(tasks, lambda t: t.status != "Completed")


class OwnerResolver:
    """Finds people for one step; a blocker's evidence record is consulted first."""

    def __init__(self, step: Step, facts: FactSet, now: datetime) -> None:
        self._facts = facts
        self._ticket = step_ticket(step, facts, now)
        self._task = step_task(step, facts, now)

    def resolve(self, actor: Actor, evidence: Any | None = None) -> Owner:
        ticket = evidence if isinstance(evidence, TicketFact) else self._ticket
        task = evidence if isinstance(evidence, TaskFact) else self._task
        person = next(
            (p for source in actor.person if (p := self._person(source, ticket, task))), None
        )
        team = actor.team
        if actor.team_from_ticket_group and ticket is not None and ticket.group:
            team = ticket.group
        return Owner(
            role=actor.role,
            team=team,
            person=person.name if person else None,
            email=person.email if person else None,
        )

    def _person(
        self, source: str, ticket: TicketFact | None, task: TaskFact | None
    ) -> Person | None:
        if source == "account_owner":
            return self._facts.account.owner if self._facts.account else None
        if source == "ticket_assignee":
            return ticket.assignee if ticket else None
        if source == "ticket_requester":
            return ticket.requester if ticket else None
        if source == "task_owner":
            return task.owner if task else None
        if source == "kyc_analyst":
            apps = [a for a in self._facts.facts if isinstance(a, KycApplicationFact)]
            latest = max(apps, key=lambda a: a.updated_at or _EPOCH, default=None)
            return latest.review_analyst if latest else None
        if source == "primary_contact":
            contact = next((c for c in self._facts.facts if isinstance(c, ContactFact)), None)
            return Person(name=contact.name, email=contact.email) if contact else None
        raise ValueError(f"unknown person source {source!r}")
