"""Playbooks: the steps of a product's journey, as data (``journeys/playbooks/*.yaml``).

The schema is documented in ``docs/playbooks.md``. A playbook with an error fails to load with a
``PlaybookError`` naming the file, the place (``steps[2] (credit).blockers[0].when``) and the
problem, so that a bank editing a step, owner or SLA never needs to read Python.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from journeys.facts import System
from journeys.rules import Clause, Condition, check_conditions, matchable_fields

PLAYBOOK_DIR = Path(__file__).parent / "playbooks"

BlockerType = Literal[
    "missing_documents",
    "waiting_on_client",
    "approval_delay",
    "failed_integration",
    "vendor_dependency",
    "screening_hit",
    "sla_breach",
]

PersonSource = Literal[
    "account_owner",  # the CRM Account owner (relationship manager)
    "ticket_assignee",  # assignee of the evidence ticket, else of the step's ticket
    "ticket_requester",  # requester of the evidence ticket, else of the step's ticket
    "task_owner",  # owner of the step's open CRM task
    "kyc_analyst",  # the analyst named on the KYC application's review
    "primary_contact",  # the first CRM Contact of the account
]

# Template fields every rule's detail may use besides the fact's own fields.
_COMMON_TEMPLATE_FIELDS = frozenset({"ref", "record_id", "days"})


class PlaybookError(ValueError):
    """A playbook that cannot be loaded; the message says where and why."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Actor(_Model):
    """An accountable party: a role and team, resolved to a person from the records."""

    role: str
    team: str
    team_from_ticket_group: bool = Field(
        False, description="Use the Zendesk group of the step's ticket as the team when set."
    )
    person: tuple[PersonSource, ...] = Field(
        (), description="Where to find the person, tried in order."
    )


def _template_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _check_template(template: str, allowed: set[str]) -> None:
    unknown = _template_fields(template) - allowed
    if unknown:
        raise ValueError(
            f"detail {template!r} names {', '.join(sorted(unknown))}, which the evidence does "
            f"not have; available: {', '.join(sorted(allowed))}"
        )


class BlockerRule(_Model):
    type: BlockerType
    when: Clause
    detail: str = Field(description="Plain-language template over the evidence fact's fields.")
    customer_detail: str | None = Field(
        None,
        description="What the customer is told instead of ``detail``; name only fields the "
        "customer may see. Default: the customer-view policy's generic text for the type.",
    )
    who: str | None = Field(None, description="Actor who must act; default the step owner.")
    since: str | None = Field(None, description="Evidence field giving 'since when'.")

    @model_validator(mode="after")
    def _check(self) -> BlockerRule:
        if self.type == "sla_breach":
            raise ValueError("sla_breach is derived from the step's sla_days, not a rule")
        fields = set(matchable_fields(self.when.fact))
        for template in (self.detail, self.customer_detail):
            if template is not None:
                _check_template(template, fields | _COMMON_TEMPLATE_FIELDS)
        if self.since is not None and self.since not in fields:
            raise ValueError(f"since: {self.since!r} is not a field of {self.when.fact} facts")
        return self


class TerminalRule(_Model):
    when: Clause
    detail: str

    @model_validator(mode="after")
    def _check(self) -> TerminalRule:
        _check_template(
            self.detail, set(matchable_fields(self.when.fact)) | _COMMON_TEMPLATE_FIELDS
        )
        return self


class DiscrepancyRule(_Model):
    """Records that must not all be true at once; each clause is named for the template."""

    id: str
    when: dict[str, Clause] = Field(min_length=2)
    detail: str = Field(description="Template naming clause.field, e.g. {ticket.record_id}.")

    @model_validator(mode="after")
    def _check(self) -> DiscrepancyRule:
        allowed = {
            f"{alias}.{name}"
            for alias, clause in self.when.items()
            for name in (*matchable_fields(clause.fact), *_COMMON_TEMPLATE_FIELDS)
        }
        _check_template(self.detail, allowed)
        return self


class Step(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    action: str = Field(description="What must happen to complete the step (the next action).")
    owner: str = Field(description="Name of the accountable actor (see the playbook's actors).")
    sla_days: float = Field(gt=0)
    depends_on: tuple[str, ...] | None = Field(
        None, description="Steps that must be complete first; omitted → the previous step."
    )
    crm_stages: tuple[str, ...] = Field((), description="CRM stage values meaning this step.")
    ticket: dict[str, Condition] | None = Field(None, description="Selects the step's tickets.")
    task: dict[str, Condition] | None = Field(None, description="Selects the step's CRM tasks.")
    complete_when: tuple[Clause, ...] = Field(min_length=1)
    blockers: tuple[BlockerRule, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Step:
        check_conditions("ticket", self.ticket or {})
        check_conditions("task", self.task or {})
        return self


class Playbook(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    product: str = Field(description="The CRM Account's product value this playbook serves.")
    product_tag: str | None = Field(None, description="Zendesk tag marking the product.")
    stalled_after_days: float = Field(14, gt=0)
    at_risk_fraction: float = Field(0.75, gt=0, le=1)
    live_crm_stages: tuple[str, ...] = ("Live",)
    terminated_crm_stages: tuple[str, ...] = ("Closed",)
    actors: dict[str, Actor]
    step_blockers: tuple[BlockerRule, ...] = Field(
        (), description="Rules applied to every step's own tickets/tasks (its selectors)."
    )
    steps: tuple[Step, ...] = Field(min_length=1)
    terminated_when: tuple[TerminalRule, ...] = ()
    discrepancies: tuple[DiscrepancyRule, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Playbook:
        for i, rule in enumerate(self.step_blockers):
            if rule.when.fact not in ("ticket", "task"):
                raise ValueError(
                    f"step_blockers[{i}]: applies to a step's own records, so its fact must be "
                    f"ticket or task, not {rule.when.fact!r}"
                )
        seen: list[str] = []
        crm_stages: dict[str, str] = {}
        for i, step in enumerate(self.steps):
            where = f"steps[{i}] ({step.id})"
            if step.id in seen:
                raise ValueError(f"{where}: duplicate step id {step.id!r}")
            for dep in step.depends_on or ():
                if dep not in seen:
                    raise ValueError(
                        f"{where}.depends_on: {dep!r} is not an earlier step; earlier steps: "
                        f"{', '.join(seen) or '(none)'}"
                    )
            rules = self.blockers_for(step)
            for actor in (step.owner, *(b.who for b in rules if b.who)):
                if actor not in self.actors:
                    raise ValueError(
                        f"{where}: unknown actor {actor!r}; actors: {', '.join(self.actors)}"
                    )
            for stage in step.crm_stages:
                if stage in crm_stages:
                    raise ValueError(
                        f"{where}.crm_stages: {stage!r} already means step {crm_stages[stage]!r}"
                    )
                crm_stages[stage] = step.id
            seen.append(step.id)
        return self

    def blockers_for(self, step: Step) -> tuple[BlockerRule, ...]:
        """The step's own rules, then the playbook-wide ones scoped to its tickets/tasks."""
        scoped = []
        for rule in self.step_blockers:
            scope = step.ticket if rule.when.fact == "ticket" else step.task
            if scope is not None:
                scoped.append(rule.model_copy(update={"when": rule.when.scoped(scope)}))
        return step.blockers + tuple(scoped)

    def systems(self) -> set[System]:
        """Systems whose records the playbook's rules read (others need not be asked)."""
        clauses = [
            *(c for step in self.steps for c in step.complete_when),
            *(r.when for step in self.steps for r in self.blockers_for(step)),
            *(r.when for r in self.terminated_when),
            *(c for r in self.discrepancies for c in r.when.values()),
        ]
        return {"salesforce"} | {c.system for c in clauses}

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    def dependencies(self, index: int) -> tuple[str, ...]:
        step = self.steps[index]
        if step.depends_on is not None:
            return step.depends_on
        return (self.steps[index - 1].id,) if index else ()

    def step_for_crm_stage(self, stage: str) -> str | None:
        return next((s.id for s in self.steps if stage in s.crm_stages), None)


# -- loading ---------------------------------------------------------------------------------


def _where(loc: tuple[int | str, ...], data: Any) -> str:
    """``('steps', 2, 'blockers', 0)`` → ``steps[2] (credit).blockers[0]`` using the raw data."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(part, int) and isinstance(node, dict) and isinstance(node.get("id"), str):
            out += f" ({node['id']})"
    return out


def _describe(exc: ValidationError, data: Any) -> str:
    problems = []
    for error in exc.errors(include_url=False):
        # Drop pydantic's internal tags for unions/validators from the location.
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and "[" in p))
        message = error["msg"].removeprefix("Value error, ")
        place = _where(loc, data)
        problems.append(f"{place}: {message}" if place else message)
    return "; ".join(problems)


def parse_playbook(data: Any, origin: str) -> Playbook:
    if not isinstance(data, dict):
        raise PlaybookError(f"{origin}: a playbook must be a mapping with id, steps, ...")
    try:
        return Playbook.model_validate(data)
    except ValidationError as exc:
        raise PlaybookError(f"{origin}: {_describe(exc, data)}") from None


def load_playbook(path: str | Path) -> Playbook:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PlaybookError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise PlaybookError(f"{path}: not valid YAML: {exc}") from exc
    return parse_playbook(data, path.name)


class Playbooks:
    """The loaded playbooks, looked up by id or by the CRM product value."""

    def __init__(self, playbooks: list[Playbook]) -> None:
        self._by_id: dict[str, Playbook] = {}
        self._by_product: dict[str, Playbook] = {}
        for pb in playbooks:
            for key, index in ((pb.id, self._by_id), (pb.product.casefold(), self._by_product)):
                if key in index:
                    raise PlaybookError(f"two playbooks for {key!r}: {index[key].id}, {pb.id}")
                index[key] = pb

    def __iter__(self) -> Iterator[Playbook]:
        return iter(self._by_id.values())

    def by_id(self, playbook_id: str) -> Playbook | None:
        return self._by_id.get(playbook_id)

    def for_product(self, product: str | None) -> Playbook | None:
        return self._by_product.get(product.casefold()) if product else None

    def for_tags(self, tags: set[str]) -> Playbook | None:
        """The playbook whose product tag a set of ticket tags carries (CRM unavailable)."""
        found = [pb for pb in self if pb.product_tag and pb.product_tag in tags]
        return found[0] if len(found) == 1 else None


def load_playbooks(directory: str | Path = PLAYBOOK_DIR) -> Playbooks:
    files = sorted(Path(directory).glob("*.yaml"))
    if not files:
        raise PlaybookError(f"{directory}: no playbooks (*.yaml) found")
    return Playbooks([load_playbook(f) for f in files])
