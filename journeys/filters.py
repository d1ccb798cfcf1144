"""Portfolio filters, and their values as people type them resolved against the playbooks.

``step`` accepts a step id or title in any case, or enough of it to name one step
(``Credit``, ``credit approval`` → ``credit``); ``team`` a team name or a word of it (``kyc``
→ ``KYC & BSA``); ``product`` a playbook id, product name or tag; ``status`` any case and
spacing (``On Track`` → ``on_track``). A value naming nothing, or several things, is refused
with the valid values: a filter must never silently match nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from rapidfuzz import fuzz, process

from journeys.playbook import BlockerType, Playbooks
from journeys.templates import echo
from journeys.view import Status

FUZZY_MATCH = 85  # rapidfuzz WRatio at or above which a misspelt value names a choice


class InvalidFilter(ValueError):
    """A filter value that names nothing (or several things); the message lists valid ones."""


class PortfolioFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    step: str | None = Field(None, description="Current step: id or title, e.g. kyc, Credit.")
    owner: str | None = Field(
        None, description="Name or email of the relationship manager or of the next step's holder."
    )
    team: str | None = Field(None, description="Team holding the next step, e.g. KYC & BSA.")
    product: str | None = Field(None, description="Playbook id or product name.")
    blocker: BlockerType | None = Field(None, description="Journeys with a blocker of this type.")
    stale_crm: bool | None = Field(
        None, description="true: the CRM stage disagrees with the derived step; false: it agrees."
    )
    overdue: bool | None = Field(
        None, description="true: the current step is past its SLA; false: it is not."
    )

    @field_validator("status", mode="before")
    @classmethod
    def _status_any_case(cls, value: Any) -> Any:
        if isinstance(value, str):
            return re.sub(r"[\s-]+", "_", value.strip().casefold())
        return value


def _key(text: str) -> str:
    """Case, '&' and punctuation do not matter: ``KYC/KYB`` is ``kyc kyb``."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold().replace("&", " and ")).split())


def pick(value: str, choices: Mapping[str, str], what: str) -> str:
    """The one choice ``value`` names; ``choices`` maps each way of saying it to its canonical
    value. By exact key, then by words (every word of the value is a word of one choice), then
    by a close spelling."""
    wanted = _key(value)
    by_key = {_key(said): canonical for said, canonical in choices.items()}
    if wanted in by_key:
        return by_key[wanted]
    words = set(wanted.split())
    found = {c for k, c in by_key.items() if words and words <= set(k.split())}
    if not found:
        scored = process.extract(wanted, list(by_key), scorer=fuzz.WRatio, score_cutoff=FUZZY_MATCH)
        found = {by_key[k] for k, _, _ in scored}
    if len(found) == 1:
        return found.pop()
    valid = ", ".join(sorted(set(choices.values())))
    if found:
        meant = ", ".join(sorted(found))
        raise InvalidFilter(f"{what} {echo(value)} could mean {meant}; say which (valid: {valid})")
    raise InvalidFilter(f"no {what} {echo(value)}; valid {what}s: {valid}")


def step_choices(playbooks: Playbooks) -> dict[str, str]:
    return {said: s.id for pb in playbooks for s in pb.steps for said in (s.id, s.title)}


def team_choices(playbooks: Playbooks) -> dict[str, str]:
    return {a.team: a.team for pb in playbooks for a in pb.actors.values()}


def product_choices(playbooks: Playbooks) -> dict[str, str]:
    return {
        said: pb.id
        for pb in playbooks
        for said in (pb.id, pb.product, pb.title, pb.product_tag or pb.id)
    }


def resolve_filters(filters: PortfolioFilter, playbooks: Playbooks) -> PortfolioFilter:
    """``filters`` with step, team and product in their canonical form (``InvalidFilter``
    when one names nothing or several things)."""
    update: dict[str, str] = {}
    for name, what, choices in (
        ("step", "step", step_choices),
        ("team", "team", team_choices),
        ("product", "product", product_choices),
    ):
        value = getattr(filters, name)
        if value is not None:
            update[name] = pick(value, choices(playbooks), what)
    return filters.model_copy(update=update)
