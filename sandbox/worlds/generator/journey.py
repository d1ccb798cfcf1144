"""One customer's journey being written: its account, people, timeline and record helpers.

Step writers (``steps``) call these helpers so that every record of a journey is linked the same
way (Account Id, Zendesk organization, requester, tags) and timed from the journey's timeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from random import Random

from sandbox.worlds.generator.bank import Bank
from sandbox.worlds.generator.cast import FIRST_NAMES, LAST_NAMES, STAFF_BY_KEY, Staff, team_members
from sandbox.worlds.generator.clock import Clock, iso, salesforce_datetime, unix
from sandbox.worlds.generator.conventions import (
    MERCHANT,
    ONBOARDING_TAG,
    PRODUCT_LABEL,
    SLA_DAYS,
    STEP_GROUP,
    step_tag,
)
from sandbox.worlds.generator.ids import IdFactory
from sandbox.worlds.generator.records import CommentDraft, Record, TicketDraft, WorldRecords
from sandbox.worlds.generator.scenario import Scenario
from sandbox.worlds.generator.timeline import StepWindow, plan

LEGAL_SUFFIXES = re.compile(r"\b(llc|inc|co|corp|pllc|lp|ltd|group)\b\.?", re.IGNORECASE)


@dataclass(frozen=True)
class Contact:
    salesforce_id: str
    first: str
    last: str
    title: str
    email: str
    ownership: int = 0  # percent of the business owned (beneficial owners have 25+)

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(frozen=True)
class Line:
    """One comment of a ticket thread: who writes it (``client``, ``agent``, ``rm`` or a staff
    key), a text template filled from the journey's facts, and whether the client sees it."""

    who: str
    text: str
    public: bool = True


class Journey:
    def __init__(
        self, scenario: Scenario, world: WorldRecords, bank: Bank, ids: IdFactory, clock: Clock
    ) -> None:
        self.scenario = scenario
        self.world, self.bank, self.ids, self.clock = world, bank, ids, clock
        self.rng = Random(f"baton-demo:{scenario.key}")
        self.windows = plan(scenario, self.rng)
        self.domain = LEGAL_SUFFIXES.sub("", scenario.name.lower())
        self.domain = re.sub(r"[^a-z0-9]", "", self.domain) + ".example"
        self.account_id = ids.salesforce("001", f"account:{scenario.key}")
        self.amount = self._amount()
        self.contacts = self._people()
        self.rm = STAFF_BY_KEY[scenario.rm]
        self.account: Record = {}  # written by ``customers.open_account``
        self.org_id: int | None = None
        self.end_user_ids: dict[str, int] = {}  # contact email → Zendesk user id
        self._assigned: dict[str, Staff] = {}
        self._injected = False
        self._tasks = 0

    # -- facts ---------------------------------------------------------------------------------
    @property
    def product(self) -> str:
        return self.scenario.product

    @property
    def label(self) -> str:
        return PRODUCT_LABEL[self.product]

    @property
    def display_name(self) -> str:
        return self.scenario.dba or self.scenario.name

    @property
    def client(self) -> Contact:
        return self.contacts[0]

    @property
    def started(self) -> float:
        return self.windows[0].start

    @property
    def last_activity(self) -> float:
        return self.scenario.idle

    def staff(self, team: str) -> Staff:
        """The person of ``team`` who works this journey (the same one for every step)."""
        if team not in self._assigned:
            self._assigned[team] = self.rng.choice(team_members(team))
        return self._assigned[team]

    def variant(self, window: StepWindow) -> str | None:
        """The scenario's evidence variant: it describes the current step only."""
        return self.scenario.variant if window.current else None

    def window(self, step: str) -> StepWindow | None:
        return next((w for w in self.windows if w.step == step), None)

    def fill(self, text: str, **facts: object) -> str:
        return text.format(
            company=self.scenario.name,
            dba=self.display_name,
            client=self.client.first,
            rm=self.rm.first,
            product=self.label,
            **facts,
        )

    # -- time ----------------------------------------------------------------------------------
    def sf_time(self, days_ago: float) -> str:
        return salesforce_datetime(self.clock.at(days_ago))

    def iso(self, days_ago: float) -> str:
        return iso(self.clock.at(days_ago))

    def date(self, days_ago: float) -> str:
        """The calendar date ``days_ago`` before now (negative: ahead, e.g. a due date)."""
        return (self.clock.now - timedelta(days=days_ago)).date().isoformat()

    def unix(self, days_ago: float) -> int:
        return unix(self.clock.at(days_ago))

    # -- records -------------------------------------------------------------------------------
    def ticket(
        self,
        window: StepWindow,
        subject: str,
        status: str,
        lines: list[Line],
        *,
        opened: float | None = None,
        updated: float | None = None,
        tags: tuple[str, ...] = (),
        priority: str = "normal",
        **facts: object,
    ) -> TicketDraft:
        """A step ticket for the client, worked by the step's team; ``lines`` spread evenly
        from ``opened`` (default: the step's start) to ``updated`` (default: its end)."""
        team = STEP_GROUP[window.step]
        agent = self.staff(team)
        opened = window.start if opened is None else opened
        updated = window.end if updated is None else updated
        lines = self._with_injection(window, lines)
        authors = {"client": self._client_id(), "agent": self.bank.agent_ids[agent.key]}
        authors["rm"] = self.bank.agent_ids[self.rm.key]
        facts = {"agent": agent.first, **facts}
        draft = TicketDraft(
            {
                "type": "task",
                "subject": self.fill(subject, **facts),
                "description": None,
                "status": status,
                "priority": priority,
                "requester_id": self._client_id(),
                "submitter_id": self._author(lines[0].who, authors),
                "assignee_id": self.bank.agent_ids[agent.key],
                "group_id": self.bank.group_ids[team],
                "organization_id": self.org_id,
                "tags": [ONBOARDING_TAG, self.product, step_tag(window.step), *tags],
                "due_at": self.iso(opened - SLA_DAYS[window.step]),
                "created_at": self.iso(opened),
                "updated_at": self.iso(updated),
            }
        )
        for n, line in enumerate(lines):
            at = opened - (opened - updated) * (n / max(len(lines) - 1, 1))
            author = self._author(line.who, authors)
            body = self.fill(line.text, **facts)
            draft.comments.append(CommentDraft(self.clock.at(at), author, body, line.public))
        self.world.tickets.append(draft)
        return draft

    def task(
        self,
        window: StepWindow,
        subject: str,
        status: str,
        owner: Staff,
        *,
        created: float,
        updated: float,
        due: float,
        description: str = "",
        priority: str = "Normal",
    ) -> Record:
        """A Salesforce Task on the Account, about the signer, for ``window``'s step."""
        self._tasks += 1
        task = {
            "Id": self.ids.salesforce("00T", f"task:{self.scenario.key}:{self._tasks}"),
            "Subject": self.fill(subject),
            "Status": status,
            "Priority": priority,
            "ActivityDate": self.date(due),
            "WhatId": self.account_id,
            "WhoId": self.client.salesforce_id,
            "OwnerId": self.bank.user_ids[owner.key],
            "Description": self.fill(description),
            "Onboarding_Step__c": window.step,
            "CreatedDate": self.sf_time(created),
            "LastModifiedDate": self.sf_time(updated),
        }
        self.world.salesforce["Task"].append(task)
        return task

    def open_organization(self, days_ago: float) -> None:
        """The client's Zendesk organization and end-users, created when KYC starts."""
        self.org_id = self.world.add_zendesk(
            "organizations",
            {
                "name": self.scenario.name,
                "external_id": self.account_id,
                "domain_names": [self.domain],
                "tags": [self.product],
                "created_at": self.iso(days_ago),
            },
        )
        for contact in self.contacts:
            self.end_user_ids[contact.email] = self.world.add_zendesk(
                "users",
                {
                    "name": contact.name,
                    "email": contact.email,
                    "role": "end-user",
                    "organization_id": self.org_id,
                    "active": True,
                    "created_at": self.iso(days_ago),
                },
            )

    # -- internals -----------------------------------------------------------------------------
    def _author(self, who: str, authors: dict[str, int]) -> int:
        return authors.get(who) or self.bank.agent_ids[who]

    def _client_id(self) -> int:
        return self.end_user_ids[self.client.email]

    def _with_injection(self, window: StepWindow, lines: list[Line]) -> list[Line]:
        """Slip the scenario's prompt injection into the current step's first ticket."""
        if not self.scenario.injection or self._injected or window.done:
            return lines
        self._injected = True
        return [*lines[:-1], Line("client", self.scenario.injection), lines[-1]]

    @property
    def injected(self) -> bool:
        return self._injected

    def _amount(self) -> int:
        low, high = (6, 60) if self.product == MERCHANT else (25, 420)
        return round(self.rng.uniform(low, high)) * 1000

    def _people(self) -> list[Contact]:
        """The signer (main owner), then a co-owner or officer, then (treasury) a controller."""
        ownership = self.rng.choice((100, 100, 75, 60, 51))
        if self.product == MERCHANT:
            roles = [("Owner", ownership), ("Co-owner" if ownership < 100 else "Office Manager", 0)]
        else:
            roles = [("President & CEO", ownership), ("Chief Financial Officer", 0)]
            roles.append(("Controller", 0))
        roles[1] = (roles[1][0], 100 - ownership)
        first_names = self.rng.sample(FIRST_NAMES, len(roles))
        last_names = self.rng.sample(LAST_NAMES, len(roles))
        return [
            Contact(
                salesforce_id=self.ids.salesforce("003", f"contact:{self.scenario.key}:{n}"),
                first=first,
                last=last,
                title=title,
                email=f"{first.lower()}.{last.lower()}@{self.domain}",
                ownership=owned,
            )
            for n, (first, last, (title, owned)) in enumerate(
                zip(first_names, last_names, roles, strict=True)
            )
        ]
