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
    name: str | None = Field(None, description="None when the CRM could not be reached.")
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
    current_step: str | None = Field(None, description="First step not known to be complete.")
    next_step: NextStep | None = None
    blockers: list[Blocker] = Field(default_factory=list)
    steps: list[StepProgress] = Field(default_factory=list)
    history: list[Event] = Field(default_factory=list, description="Oldest first.")
    sources: list[Source] = Field(default_factory=list)
    discrepancies: list[Discrepancy] = Field(default_factory=list)
    last_activity_at: datetime | None = None
    unavailable: list[Unavailable] = Field(default_factory=list)
    partial: bool = Field(False, description="True when a system could not be reached.")
    diagnostics: Diagnostics = Field(default_factory=Diagnostics)
