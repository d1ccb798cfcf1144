"""A journey scenario: the intended truth about one customer's onboarding, declared as data."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sandbox.worlds.generator.conventions import (
    AT_RISK_FRACTION,
    BLOCKER_TYPES,
    CRM_STAGE,
    LIVE_STAGE,
    SLA_DAYS,
    STALLED_AFTER_DAYS,
    STEPS,
    Product,
    Status,
)

# Steps at which a journey can end without going live, and how.
TERMINAL_STEPS = {
    "intake": "Opportunity Closed Lost",
    "kyc": "KYC application Denied",
    "provisioning": "boarding application DECLINED",
}


@dataclass(frozen=True)
class Scenario:
    name: str
    product: Product
    step: str | None  # the current step; None once live
    status: Status
    story: str
    industry: str
    city: str  # "Portland, OR"
    rm: str  # key of the relationship manager (cast.STAFF)
    days: float  # days in the current step (live: days since the first transaction)
    idle: float = 1.0  # days since the last activity in any system
    blockers: tuple[str, ...] = ()
    crm_stage: str | None = None  # a stale Onboarding_Stage__c; None → the true stage
    dba: str | None = None
    variant: str | None = None  # which evidence a step shows for a blocker, when it has several
    injection: str | None = None  # a prompt injection the client posts on the step's ticket

    def __post_init__(self) -> None:
        problem = self._problem()
        if problem:
            raise ValueError(f"scenario {self.name!r}: {problem}")

    @property
    def key(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower().replace("'", "")).strip("-")

    @property
    def steps(self) -> tuple[str, ...]:
        return STEPS[self.product]

    @property
    def true_stage(self) -> str:
        if self.status == "terminated":
            return "Closed"
        return LIVE_STAGE if self.step is None else CRM_STAGE[self.step]

    @property
    def stage(self) -> str:
        return self.crm_stage or self.true_stage

    @property
    def stale_stage(self) -> bool:
        return self.stage != self.true_stage

    def _problem(self) -> str | None:
        """Why the declared status contradicts the rest of the scenario, if it does."""
        if (self.step is None) != (self.status == "live"):
            return "a journey is live exactly when it has no current step"
        if self.step is not None and self.step not in self.steps:
            return f"{self.step!r} is not a step of {self.product}"
        unknown = set(self.blockers) - set(BLOCKER_TYPES)
        if unknown:
            return f"unknown blocker types {sorted(unknown)}"
        if self.idle > self.days and self.status != "live":
            return "the last activity cannot predate the current step"
        stalled = self.idle >= STALLED_AFTER_DAYS
        if stalled != (self.status == "stalled") and self.status not in ("terminated", "live"):
            return f"stalled means no activity for {STALLED_AFTER_DAYS}+ days"
        if self.status == "terminated" and self.step not in TERMINAL_STEPS:
            return f"journeys end early only at {', '.join(TERMINAL_STEPS)}"
        if self.status in ("on_track", "at_risk", "live", "terminated") and self.blockers:
            return f"a {self.status} journey has no blockers"
        if self.status == "blocked" and not self.blockers:
            return "a blocked journey needs blocker types"
        if self.step is None:
            return None
        spent = self.days / SLA_DAYS[self.step]
        if self.status == "at_risk" and not AT_RISK_FRACTION <= spent < 1:
            return "at risk means 70-100% of the step's SLA is spent"
        if self.status == "on_track" and spent >= AT_RISK_FRACTION:
            return "on track means less than 70% of the step's SLA is spent"
        if "sla_breach" in self.blockers and (len(self.blockers) > 1 or spent < 1.3):
            return "sla_breach is the only blocker of a step well past its SLA"
        return None
