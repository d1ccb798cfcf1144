"""The merged history: what each record says happened, and when, from every system."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from journeys.facts import (
    AccountFact,
    BoardingFact,
    ChargeFact,
    CommentFact,
    FactSet,
    HardwareOrderFact,
    KycApplicationFact,
    KycDocumentFact,
    OpportunityFact,
    Person,
    ReaderFact,
    TaskFact,
    TicketFact,
    at_day,
)
from journeys.view import Event

EXCERPT_CHARS = 160


def _name(person: Person | None) -> str | None:
    return person.name if person else None


def _event(fact: Any, at: datetime | None, what: str, who: str | None = None) -> Iterator[Event]:
    if at is not None:
        yield Event(at=at, what=what, who=who, source=fact.source)


def _account(f: AccountFact) -> Iterator[Event]:
    yield from _event(f, f.created_at, f"Account {f.name} created in the CRM", _name(f.owner))
    if f.account_opened_date:
        number = f" ({f.core_account_number})" if f.core_account_number else ""
        yield from _event(f, at_day(f.account_opened_date), f"Deposit account opened{number}")
    if f.first_transaction_date:
        yield from _event(f, at_day(f.first_transaction_date), "First live transaction")


def _opportunity(f: OpportunityFact) -> Iterator[Event]:
    yield from _event(f, f.created_at, f"Opportunity {f.name!r} created")
    if f.is_closed:
        yield from _event(f, f.at, f"Opportunity {f.name!r} {f.stage}")


def _task(f: TaskFact) -> Iterator[Event]:
    yield from _event(f, f.created_at, f"CRM task {f.subject!r} created", _name(f.owner))
    if f.status != "Not Started" and f.updated_at != f.created_at:
        yield from _event(f, f.updated_at, f"CRM task {f.subject!r}: {f.status}", _name(f.owner))


def _ticket(f: TicketFact) -> Iterator[Event]:
    group = f" ({f.group})" if f.group else ""
    ref = f"Ticket #{f.source.record_id}"
    yield from _event(f, f.created_at, f"{ref} {f.subject!r} opened{group}", _name(f.requester))
    if f.status not in ("new", "open") and f.updated_at != f.created_at:
        yield from _event(f, f.updated_at, f"{ref} set to {f.status}", _name(f.assignee))


def _comment(f: CommentFact) -> Iterator[Event]:
    kind = "Public reply" if f.public else "Internal note"
    text = " ".join(f.body.split())
    excerpt = text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"
    if f.at is not None:
        yield Event(
            at=f.at,
            what=f"{kind} on ticket #{f.ticket_id}",
            who=_name(f.author),
            public=f.public,
            excerpt=excerpt or None,
            source=f.source,
        )


def _kyc_application(f: KycApplicationFact) -> Iterator[Event]:
    if not f.events:
        yield from _event(f, f.created_at, f"KYC application {f.source.record_id} started")
        yield from _event(f, f.completed_at, f"KYC application completed: {f.outcome}")
    for event_type, at, detail in f.events:
        what = f"KYC {event_type.replace('_', ' ')}" + (f": {detail}" if detail else "")
        yield from _event(f, at, what)


def _kyc_document(f: KycDocumentFact) -> Iterator[Event]:
    label = f.description or f.type
    yield from _event(f, f.requested_at, f"KYC provider requested the {label}")
    yield from _event(f, f.received_at, f"KYC provider received the {label}")


def _boarding(f: BoardingFact) -> Iterator[Event]:
    ref = f"Boarding application {f.source.record_id}"
    yield from _event(f, f.submitted_at, f"{ref} submitted")
    if f.status != "SUBMITTED":
        error = f": {f.error_code} {f.error_message or ''}".rstrip() if f.error_code else ""
        yield from _event(f, f.updated_at, f"{ref} {f.status}{error}")


def _hardware_order(f: HardwareOrderFact) -> Iterator[Event]:
    items = f" ({f.items})" if f.items else ""
    yield from _event(f, f.created_at, f"Hardware order {f.source.record_id} placed{items}")
    if f.delivered_at:
        yield from _event(f, f.delivered_at, f"Hardware order {f.source.record_id} delivered")
    elif f.status != "ordered":
        yield from _event(f, f.updated_at, f"Hardware order {f.source.record_id} {f.status}")


def _reader(f: ReaderFact) -> Iterator[Event]:
    if f.action_type and f.action_status:
        failure = f": {f.failure_code}" if f.failure_code else ""
        what = f"Reader {f.label or f.source.record_id} {f.action_type} {f.action_status}"
        yield from _event(f, f.updated_at, what + failure)


def _charges(charges: list[ChargeFact], now: datetime) -> Iterator[Event]:
    # One event for the first payment, not one per charge: the timeline is about the journey.
    succeeded = [c for c in charges if c.status == "succeeded" and c.created_at]
    if succeeded:
        first = min(succeeded, key=lambda c: c.created_at or now)
        amount = f"{first.amount / 100:,.2f} {first.currency.upper()}"
        yield from _event(first, first.created_at, f"First card payment ({amount})")


_PER_FACT: dict[type, Callable[[Any], Iterable[Event]]] = {
    AccountFact: _account,
    OpportunityFact: _opportunity,
    TaskFact: _task,
    TicketFact: _ticket,
    CommentFact: _comment,
    KycApplicationFact: _kyc_application,
    KycDocumentFact: _kyc_document,
    BoardingFact: _boarding,
    HardwareOrderFact: _hardware_order,
    ReaderFact: _reader,
}


def build_history(facts: FactSet, now: datetime) -> list[Event]:
    """Every event the facts record, oldest first; nothing from the future (an ETA is not
    history)."""
    events: list[Event] = []
    for fact in facts.all():
        handler = _PER_FACT.get(type(fact))
        if handler:
            events.extend(handler(fact))
    events.extend(_charges([f for f in facts.facts if isinstance(f, ChargeFact)], now))
    return sorted((e for e in events if e.at <= now), key=lambda e: e.at)
