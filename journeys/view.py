"""``JourneyView``: where a customer is, what is next and who holds it, what blocks, and why.

The shape follows DESIGN §1 and is documented for API and CLI consumers in
``docs/journey-view.md`` (its JSON schema is ``JourneyView.model_json_schema()``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from journeys.facts import Source, System
from journeys.playbook import BlockerType

Status = Literal["on_track", "at_risk", "blocked", "stalled", "live", "terminated"]
StepState = Literal["complete", "active", "pending", "unknown"]
SlaState = Literal["ok", "at_risk", "breached"]


class AccountRef(BaseModel):
    id: str
    name: str | None = Field(
        None,
        description="The CRM name; when the CRM could not be reached, the Zendesk "
        "organization's name (None when neither could be read).",
    )
    dba_name: str | None = None
    owner: str | None = Field(None, description="The CRM Account owner (relationship manager).")
    owner_email: str | None = None
    link: str | None = None


class Owner(BaseModel):
    """Who holds the baton: a role and team, and the person when the records name one."""

    role: str
    team: str
    person: str | None = None
    email: str | None = None


class StepProgress(BaseModel):
    id: str
    title: str
    state: StepState
    completed_at: datetime | None = None
    evidence: list[Source] = Field(default_factory=list)


class NextStep(BaseModel):
    step: str
    title: str
    action: str
    owner: Owner
    started_at: datetime | None = Field(None, description="When the step became current.")
    due_at: datetime | None = None
    sla_days: float
    sla_state: SlaState | None = Field(None, description="None when the start is unknown.")


class Blocker(BaseModel):
    type: BlockerType
    step: str
    detail: str
    customer_detail: str | None = Field(
        None, description="The playbook's customer-safe wording, when it has one."
    )
    since: datetime | None = None
    who: Owner = Field(description="Who must act to clear it.")
    evidence: Source | None = Field(
        description="The record that proves it; None in a customer's view when that record is "
        "internal to the bank."
    )


class Event(BaseModel):
    at: datetime
    what: str
    who: str | None = None
    public: bool | None = Field(None, description="For comments: visible to the customer.")
    excerpt: str | None = Field(None, description="Start of a comment's text (quoted data).")
    source: Source


class Discrepancy(BaseModel):
    kind: str = Field(description="crm_stage, step_order, open_ticket or a playbook rule id.")
    detail: str
    sources: list[Source]


class Unavailable(BaseModel):
    system: System
    reason: str


UnconfirmedTopic = Literal["account", "step", "blockers", "status"]


class Unconfirmed(BaseModel):
    """One thing a partial view could not confirm, in words a person can be shown."""

    about: UnconfirmedTopic = Field(
        description="account (name not from the CRM), step (a step's completion), blockers "
        "(of an active step), status (the journey's status)."
    )
    step: str | None = Field(None, description="The step concerned, when there is one.")
    systems: list[System] = Field(description="The unreachable systems that left it open.")
    detail: str = Field(description="e.g. 'KYC / KYB verification could not be checked: ...'")


class ClientContact(BaseModel):
    """A person at the customer, from the CRM's Contacts (staff views only)."""

    name: str
    title: str | None = None
    email: str | None = None
    source: Source


class Diagnostics(BaseModel):
    unlinked_records: int = 0
    notes: list[str] = Field(default_factory=list)


class JourneyView(BaseModel):
    account: AccountRef
    product: str | None = None
    playbook: str | None = None
    as_of: datetime
    status: Status
    status_reason: str
    current_step: str | None = Field(
        None,
        description="First step neither complete nor passed (an unknown step counts as passed "
        "when a later step is complete).",
    )
    next_step: NextStep | None = None
    blockers: list[Blocker] = Field(default_factory=list)
    steps: list[StepProgress] = Field(default_factory=list)
    history: list[Event] = Field(default_factory=list, description="Oldest first.")
    sources: list[Source] = Field(default_factory=list)
    discrepancies: list[Discrepancy] = Field(default_factory=list)
    last_activity_at: datetime | None = None
    contacts: list[ClientContact] = Field(
        default_factory=list, description="The customer's contacts in the CRM."
    )
    unavailable: list[Unavailable] = Field(default_factory=list)
    partial: bool = Field(False, description="True when a system could not be reached.")
    unconfirmed: list[Unconfirmed] = Field(
        default_factory=list,
        description="What could not be confirmed because a system was unreachable.",
    )
    diagnostics: Diagnostics = Field(default_factory=Diagnostics)
