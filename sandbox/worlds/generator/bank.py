"""The bank's side of the world: staff as Salesforce Users and Zendesk agents, teams as groups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sandbox.worlds.generator.cast import INTEGRATION_EMAIL, INTEGRATION_USER, STAFF, TEAMS, Staff
from sandbox.worlds.generator.clock import Clock, iso, salesforce_datetime
from sandbox.worlds.generator.ids import IdFactory
from sandbox.worlds.generator.records import WorldRecords

TEAMS_FORMED_DAYS_AGO = 1400


@dataclass
class Bank:
    user_ids: dict[str, str] = field(default_factory=dict)  # staff key → Salesforce User Id
    agent_ids: dict[str, int] = field(default_factory=dict)  # staff key → Zendesk user id
    group_ids: dict[str, int] = field(default_factory=dict)  # team name → Zendesk group id


def write_bank(world: WorldRecords, ids: IdFactory, clock: Clock) -> Bank:
    bank = Bank()
    formed = iso(clock.at(TEAMS_FORMED_DAYS_AGO))
    for name, description in TEAMS.items():
        bank.group_ids[name] = world.add_zendesk(
            "groups", {"name": name, "description": description, "created_at": formed}
        )
    for n, person in enumerate((*STAFF, INTEGRATION_USER)):
        hired = clock.at(TEAMS_FORMED_DAYS_AGO - 37 * n)
        bank.user_ids[person.key] = _salesforce_user(world, ids, person, hired)
        bank.agent_ids[person.key] = world.add_zendesk(
            "users",
            {
                "name": person.name,
                "email": _email(person),
                "role": "admin" if person is INTEGRATION_USER else "agent",
                "default_group_id": bank.group_ids.get(person.team),
                "active": True,
                "created_at": iso(hired),
            },
        )
    return bank


def _email(person: Staff) -> str:
    return INTEGRATION_EMAIL if person is INTEGRATION_USER else person.email


def _salesforce_user(world: WorldRecords, ids: IdFactory, person: Staff, hired: datetime) -> str:
    user_id = ids.salesforce("005", f"user:{person.key}")
    world.salesforce["User"].append(
        {
            "Id": user_id,
            "Name": person.name,
            "FirstName": person.first,
            "LastName": person.last,
            "Email": _email(person),
            "Username": _email(person),
            "Title": person.title,
            "Department": person.team,
            "IsActive": True,
            "CreatedDate": salesforce_datetime(hired),
        }
    )
    return user_id
