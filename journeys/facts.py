"""Typed facts: back-office records normalised into what the journey engine reasons about.

Every fact carries its provenance (``Source``: system, record type and id, a link, the time the
record last changed) so that each statement in a ``JourneyView`` can point at the record that
proves it. The engine is a pure function of (playbook, ``FactSet``, now); facts are built from
client records by ``journeys.normalize`` or by hand in tests.

The matchable fields of each fact kind (everything but ``kind``, ``source`` and ``Person``
fields) are what playbook rules may name; ``FACT_KINDS`` maps a kind to its model so the
playbook loader can check rules against them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

System = Literal["salesforce", "zendesk", "kyc", "pos"]
SYSTEMS: tuple[System, ...] = ("salesforce", "zendesk", "kyc", "pos")


class Source(BaseModel):
    """Where a fact comes from."""

    model_config = ConfigDict(frozen=True)

    system: System
    record_type: str = Field(description="Native record type, e.g. Account, ticket, reader.")
    record_id: str
    link: str | None = None
    at: datetime | None = Field(None, description="When the record last changed.")

    @property
    def ref(self) -> str:
        """Short human reference, e.g. ``zendesk ticket 1042``."""
        return f"{self.system} {self.record_type} {self.record_id}"


class Person(BaseModel):
    """Someone named by a record: a CRM user, a Zendesk agent or end user, a contact."""

    model_config = ConfigDict(frozen=True)

    name: str
    email: str | None = None


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: Source

    @property
    def at(self) -> datetime | None:
        """When the fact reached its current state (evidence time); the record's change time."""
        return self.source.at

    @property
    def updated_at(self) -> datetime | None:
        """When the record last changed; every kind offers it to rules."""
        return self.source.at


class AccountFact(_Fact):
    kind: Literal["account"] = "account"
    name: str
    dba_name: str | None = None
    product: str | None = None
    crm_stage: str | None = None
    segment: str | None = None
    owner: Person | None = None
    core_account_number: str | None = None
    account_opened_date: date | None = None
    first_transaction_date: date | None = None
    created_at: datetime | None = None


class OpportunityFact(_Fact):
    kind: Literal["opportunity"] = "opportunity"
    name: str
    stage: str
    is_closed: bool = False
    is_won: bool = False
    close_date: date | None = None
    amount: float | None = None
    created_at: datetime | None = None

    @property
    def at(self) -> datetime | None:
        # A closed opportunity's evidence time is its close date, not its last edit.
        if self.is_closed and self.close_date:
            return at_day(self.close_date)
        return self.source.at


class ContactFact(_Fact):
    kind: Literal["contact"] = "contact"
    name: str
    email: str | None = None
    title: str | None = None


class TaskFact(_Fact):
    kind: Literal["task"] = "task"
    subject: str
    status: str
    step: str | None = None
    priority: str | None = None
    owner: Person | None = None
    due_date: date | None = None
    created_at: datetime | None = None


class TicketFact(_Fact):
    kind: Literal["ticket"] = "ticket"
    subject: str
    status: str
    priority: str | None = None
    tags: tuple[str, ...] = ()
    group: str | None = None
    assignee: Person | None = None
    requester: Person | None = None
    created_at: datetime | None = None
    due_at: datetime | None = None


class CommentFact(_Fact):
    """A ticket comment; timeline only (rules do not read comments)."""

    kind: Literal["comment"] = "comment"
    ticket_id: str
    author: Person | None = None
    public: bool = True
    body: str = ""


class KycApplicationFact(_Fact):
    kind: Literal["kyc_application"] = "kyc_application"
    status: str
    outcome: str | None = None
    entity_name: str | None = None
    created_at: datetime | None = None
    completed_at: datetime | None = None
    review_queue: str | None = None
    review_reason: str | None = None
    review_analyst: Person | None = None
    review_opened_at: datetime | None = None
    # (event_type, timestamp, detail) from the provider's event log, for the timeline.
    events: tuple[tuple[str, datetime, str], ...] = ()

    @property
    def at(self) -> datetime | None:
        return self.completed_at or self.source.at


class KycDocumentFact(_Fact):
    kind: Literal["kyc_document"] = "kyc_document"
    application_token: str
    type: str
    description: str | None = None
    status: str
    requested_at: datetime | None = None
    received_at: datetime | None = None
    rejection_reason: str | None = None


class BoardingFact(_Fact):
    kind: Literal["boarding"] = "boarding"
    status: str
    merchant_name: str | None = None
    current_step: str | None = None
    mid: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    submitted_at: datetime | None = None


class HardwareOrderFact(_Fact):
    kind: Literal["hardware_order"] = "hardware_order"
    status: str
    items: str | None = Field(None, description="e.g. '2 x BBPOS WisePOS E'")
    carrier: str | None = None
    tracking_number: str | None = None
    eta: date | None = None
    delivered_at: datetime | None = None
    created_at: datetime | None = None

    @property
    def at(self) -> datetime | None:
        return self.delivered_at or self.source.at


class ReaderFact(_Fact):
    kind: Literal["reader"] = "reader"
    status: str
    label: str | None = None
    device_type: str | None = None
    serial_number: str | None = None
    last_seen_at: datetime | None = None
    action_type: str | None = None
    action_status: str | None = None
    failure_code: str | None = None
    failure_message: str | None = None


class ChargeFact(_Fact):
    kind: Literal["charge"] = "charge"
    status: str
    amount: int = Field(description="Minor units (cents).")
    currency: str = "usd"
    description: str | None = None
    created_at: datetime | None = None


Fact = Annotated[
    AccountFact
    | OpportunityFact
    | ContactFact
    | TaskFact
    | TicketFact
    | CommentFact
    | KycApplicationFact
    | KycDocumentFact
    | BoardingFact
    | HardwareOrderFact
    | ReaderFact
    | ChargeFact,
    Field(discriminator="kind"),
]

FACT_KINDS: dict[str, type[_Fact]] = {
    model.model_fields["kind"].default: model
    for model in (
        AccountFact,
        OpportunityFact,
        ContactFact,
        TaskFact,
        TicketFact,
        KycApplicationFact,
        KycDocumentFact,
        BoardingFact,
        HardwareOrderFact,
        ReaderFact,
        ChargeFact,
    )
}
"""Kinds that playbook rules may match (comments are timeline-only)."""

SYSTEM_OF_KIND: dict[str, System] = {
    "account": "salesforce",
    "opportunity": "salesforce",
    "contact": "salesforce",
    "task": "salesforce",
    "ticket": "zendesk",
    "comment": "zendesk",
    "kyc_application": "kyc",
    "kyc_document": "kyc",
    "boarding": "pos",
    "hardware_order": "pos",
    "reader": "pos",
    "charge": "pos",
}


class Unlinked(BaseModel):
    """A record that could not be tied to a journey (left out of it, counted in diagnostics)."""

    source: Source
    reason: str


class FactSet(BaseModel):
    """Everything known about one account's journey, plus what could not be known."""

    account_id: str
    account: AccountFact | None = Field(None, description="None when the CRM was unreachable.")
    organization: str | None = Field(
        None, description="The linked Zendesk organization's name: names the account without a CRM."
    )
    facts: list[Fact] = Field(default_factory=list)
    unavailable: dict[System, str] = Field(
        default_factory=dict, description="system → why it could not be reached"
    )
    unlinked: list[Unlinked] = Field(default_factory=list)

    def of_kind(self, kind: str) -> list[_Fact]:
        if kind == "account":
            return [self.account] if self.account else []
        return [f for f in self.facts if f.kind == kind]

    def all(self) -> list[_Fact]:
        return ([self.account] if self.account else []) + list(self.facts)


def at_day(day: date) -> datetime:
    """A date as the start of that day in UTC (dates carry no time of day)."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def calendar_days(start: date | datetime, end: date | datetime) -> int:
    """Days between two dates in UTC, as a calendar counts them (docs/journey-view.md, "SLA
    arithmetic"): 19:07 one day to 15:00 the next is one day."""
    return _utc_date(end).toordinal() - _utc_date(start).toordinal()


def _utc_date(moment: date | datetime) -> date:
    return moment.astimezone(UTC).date() if isinstance(moment, datetime) else moment
