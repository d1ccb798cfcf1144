"""The journey as a customer may see it: rebuilt field by field, never copied and trimmed.

Screening results, review queues and reasons, analysts' contact details, internal notes, risk
decisions and links into the bank's tools must not reach a customer, whatever model or prompt
answers them. So the customer's ``JourneyView`` is *constructed* from what is allowed: a field
added to the view later stays hidden until it is allowed here. The rules that are policy rather
than structure (which records, which roles by name, what to say about each blocker type and
status) are data, in ``customer_view.yaml``; ``docs/security.md`` describes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import get_args

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from journeys.facts import Source, System
from journeys.playbook import BlockerType
from journeys.view import (
    AccountRef,
    Blocker,
    Event,
    JourneyView,
    NextStep,
    Owner,
    Status,
    StepProgress,
    Unavailable,
    Unconfirmed,
    UnconfirmedTopic,
)

RULES_PATH = Path(__file__).with_name("customer_view.yaml")


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BlockerWording(_Rules):
    detail: str
    shown_as: BlockerType | None = None
    who: Owner | None = None


class CustomerViewRules(_Rules):
    """``customer_view.yaml``: every blocker type and status must have its customer wording."""

    visible_records: dict[System, frozenset[str]]
    named_roles: frozenset[str]
    blockers: dict[BlockerType, BlockerWording]
    status_reasons: dict[Status, str]
    unavailable_reason: str
    unconfirmed: dict[UnconfirmedTopic, str]

    @model_validator(mode="after")
    def _complete(self) -> CustomerViewRules:
        for name, table, keys in (
            ("blockers", self.blockers, get_args(BlockerType)),
            ("status_reasons", self.status_reasons, get_args(Status)),
            ("unconfirmed", self.unconfirmed, get_args(UnconfirmedTopic)),
        ):
            missing = sorted(set(keys) - set(table))
            if missing:
                raise ValueError(f"{name}: no customer wording for {', '.join(missing)}")
        return self


@cache
def default_rules() -> CustomerViewRules:
    return load_rules(RULES_PATH)


def load_rules(path: Path) -> CustomerViewRules:
    return CustomerViewRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def customer_view(view: JourneyView, rules: CustomerViewRules | None = None) -> JourneyView:
    """``view`` as the customer it is about may see it."""
    redact = _Redactor(rules or default_rules(), view)
    history = [redact.event(e) for e in view.history if redact.shows_event(e)]
    return JourneyView(
        account=AccountRef(
            id=view.account.id,
            name=view.account.name,
            dba_name=view.account.dba_name,
            owner=view.account.owner,  # their relationship manager, by name only
        ),
        product=view.product,
        playbook=view.playbook,
        as_of=view.as_of,
        status=view.status,
        status_reason=redact.status_reason(),
        current_step=view.current_step,
        next_step=redact.next_step(view.next_step),
        blockers=[redact.blocker(b) for b in view.blockers],
        steps=[redact.step(s) for s in view.steps],
        history=history,
        sources=redact.sources(view.sources),
        # The latest activity *they* can see: internal work must not show through its timing.
        last_activity_at=history[-1].at if history else None,
        unavailable=[
            Unavailable(system=u.system, reason=redact.rules.unavailable_reason)
            for u in view.unavailable
        ],
        partial=view.partial,
        unconfirmed=[redact.unconfirmed(u) for u in view.unconfirmed],
        # discrepancies, diagnostics and contacts are the bank's: left at their empty default
    )


class _Redactor:
    def __init__(self, rules: CustomerViewRules, view: JourneyView) -> None:
        self.rules = rules
        self._view = view
        # Private comments are told apart by their event; their sources must go too.
        self._private = {e.source for e in view.history if e.public is False}

    def visible(self, source: Source) -> Source | None:
        allowed = source.record_type in self.rules.visible_records.get(source.system, ())
        return _unlinked(source) if allowed and source not in self._private else None

    def sources(self, sources: Iterable[Source]) -> list[Source]:
        return [s for s in map(self.visible, sources) if s is not None]

    def shows_event(self, event: Event) -> bool:
        return event.public is not False and self.visible(event.source) is not None

    def event(self, event: Event) -> Event:
        return event.model_copy(update={"source": _unlinked(event.source)})

    def owner(self, owner: Owner) -> Owner:
        person = owner.person if owner.role in self.rules.named_roles else None
        return Owner(role=owner.role, team=owner.team, person=person)

    def next_step(self, step: NextStep | None) -> NextStep | None:
        return step.model_copy(update={"owner": self.owner(step.owner)}) if step else None

    def step(self, step: StepProgress) -> StepProgress:
        return step.model_copy(update={"evidence": self.sources(step.evidence)})

    def blocker(self, blocker: Blocker) -> Blocker:
        wording = self.rules.blockers[blocker.type]
        detail = blocker.customer_detail or wording.detail
        return Blocker(
            type=wording.shown_as or blocker.type,
            step=blocker.step,
            detail=detail,
            customer_detail=detail,
            since=blocker.since,
            who=wording.who or self.owner(blocker.who),
            evidence=self.visible(blocker.evidence) if blocker.evidence else None,
        )

    def unconfirmed(self, item: Unconfirmed) -> Unconfirmed:
        wording = self.rules.unconfirmed[item.about]
        return Unconfirmed(
            about=item.about,
            step=item.step,
            systems=item.systems,
            detail=wording.format(step=self._step_title(item.step)),
        )

    def _step_title(self, step_id: str | None) -> str:
        return next((s.title for s in self._view.steps if s.id == step_id), "Your onboarding")

    def status_reason(self) -> str:
        step = self._step_title(self._view.current_step)
        return self.rules.status_reasons[self._view.status].format(step=step)


def _unlinked(source: Source) -> Source:
    """The record's system, type and id only: its link opens the bank's tools, and when it
    last changed can reflect internal work on it."""
    return source.model_copy(update={"link": None, "at": None})
