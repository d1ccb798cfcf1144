"""World validation: a small valid world loads; each kind of broken world fails precisely."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sandbox.world import WorldError, load_world
from tests.conftest import MINI_WORLD

USER = "005Dn0000A1b2C3IAA"
ACCOUNT = "001Dn0000D4e5F6IAA"
CONTACT = "003Dn0000G7h8I9IAA"
TASK = "00TDn0000J1k2L3IAA"
UNKNOWN_ACCOUNT = "001Dn0000ZZZZZZIAA"
T = "2026-11-02T15:04:05Z"

Files = dict[str, Any]

VALID: Files = {
    "world.yaml": "name: tiny\nnow: '2026-11-30T15:00:00Z'\n",
    "salesforce/User.json": [{"Id": USER, "Name": "Dana Whitfield", "Email": "dana@bank.example"}],
    "salesforce/Account.json": [
        {"Id": ACCOUNT, "Name": "Acme Bakery LLC", "OwnerId": USER, "CreatedDate": T}
    ],
    "salesforce/Contact.json": [{"Id": CONTACT, "LastName": "Alvarez", "AccountId": ACCOUNT}],
    "salesforce/Task.json": [
        {
            "Id": TASK,
            "Subject": "Collect W-9",
            "Status": "Completed",
            # 15-character references resolve to 18-character ids.
            "WhatId": ACCOUNT[:15],
            "WhoId": CONTACT,
            "OwnerId": USER,
            "ActivityDate": "2026-11-20",
            "CreatedDate": "2026-11-02T15:04:05.000+0000",
        }
    ],
    "zendesk/users.json": [
        {"id": 12, "name": "Hannah Cho", "email": "hannah@bank.example", "role": "agent"},
        {"id": 13, "name": "Maria Alvarez", "email": "maria@acme.example", "role": "end-user"},
    ],
    "zendesk/groups.json": [{"id": 3, "name": "KYC & BSA"}],
    # An organization linked to an Account the CRM does not have: realistic, not an error.
    "zendesk/organizations.json": [{"id": 7, "name": "Acme", "external_id": UNKNOWN_ACCOUNT}],
    "zendesk/tickets.json": [
        {
            "id": 1042,
            "subject": "KYB review: Acme Bakery LLC",
            "status": "open",
            "priority": "normal",
            "requester_id": 13,
            "assignee_id": 12,
            "group_id": 3,
            "organization_id": 7,
            "tags": ["onboarding", "step_kyc"],
            "created_at": T,
        }
    ],
    "zendesk/comments.json": {
        "1042": [
            {"id": 90001, "author_id": 12, "body": "Started.", "public": False, "created_at": T}
        ]
    },
    "kyc/applications.json": [
        {
            "application_token": "AP-7Q2M4KX1",
            "external_entity_id": ACCOUNT,
            "entity_type": "business",
            "status": "completed",
            "outcome": "Approved",
            "created_at": T,
            "updated_at": T,
            "events": [{"event_type": "completed_application", "timestamp": T}],
        }
    ],
    "pos/readers.json": [
        {
            "id": "tmr_1",
            "status": "online",
            "device_type": "bbpos_wisepos_e",
            "metadata": {"account_id": UNKNOWN_ACCOUNT},
            "action": {"type": "activate", "status": "succeeded"},
        }
    ],
    "pos/charges.json": [
        {
            "id": "ch_1",
            "amount": 1250,
            "currency": "usd",
            "created": 1795547520,
            "status": "succeeded",
            "metadata": {"account_id": ACCOUNT},
        }
    ],
}


def write_world(root: Path, files: Files) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else json.dumps(content))
    return root


def broken(change: Callable[[Files], None]) -> Files:
    files = copy.deepcopy(VALID)
    change(files)
    return files


def test_valid_world_loads_with_unlinked_records_across_systems(tmp_path: Path) -> None:
    world = load_world(write_world(tmp_path, VALID))
    assert world.name == "tiny"
    assert [r["id"] for r in world.records("zendesk.tickets")] == [1042]


def test_the_mini_world_validates() -> None:
    assert load_world(MINI_WORLD).records("zendesk.tickets")


def _ticket(files: Files) -> dict:
    return files["zendesk/tickets.json"][0]


def _kyc(files: Files) -> dict:
    return files["kyc/applications.json"][0]


CASES: list[tuple[str, Callable[[Files], None], str]] = [
    (
        "bad vocabulary",
        lambda f: _ticket(f).update(status="waiting"),
        "zendesk/tickets.json: record 1042: field 'status': 'waiting' is not one of new, open, "
        "pending, hold, solved, closed",
    ),
    (
        "missing required field",
        lambda f: _ticket(f).pop("subject"),
        "zendesk/tickets.json: record 1042: field 'subject': missing",
    ),
    (
        "dangling Salesforce reference",
        lambda f: f["salesforce/Contact.json"][0].update(AccountId=UNKNOWN_ACCOUNT),
        f"salesforce/Contact.json: record {CONTACT}: field 'AccountId': '{UNKNOWN_ACCOUNT}' is "
        "not the id of any record in salesforce/Account.json",
    ),
    (
        "dangling Zendesk reference",
        lambda f: _ticket(f).update(group_id=99),
        "zendesk/tickets.json: record 1042: field 'group_id': 99 is not the id of any record in "
        "zendesk/groups.json",
    ),
    (
        "comments of a ticket that does not exist",
        lambda f: f["zendesk/comments.json"].update(
            {"9999": [{"id": 90002, "author_id": 12, "body": "?", "created_at": T}]}
        ),
        "zendesk/comments.json: record 9999: no ticket with id 9999 in zendesk/tickets.json",
    ),
    (
        "ticket assigned to an end-user",
        lambda f: _ticket(f).update(assignee_id=13),
        "zendesk/tickets.json: record 1042: field 'assignee_id': user 13 is an end-user; tickets "
        "are assigned to agents or admins",
    ),
    (
        "string where the id is an integer",
        lambda f: _ticket(f).update(id="1042"),
        "zendesk/tickets.json: record 1042: field 'id': input should be a valid integer, "
        "got '1042'",
    ),
    (
        "time without an offset",
        lambda f: _ticket(f).update(created_at="2026-11-02T15:04:05"),
        "zendesk/tickets.json: record 1042: field 'created_at': '2026-11-02T15:04:05' is not an "
        "ISO-8601 date-time with a UTC offset (e.g. 2026-11-02T15:04:05Z or "
        "2026-11-02T15:04:05.000+0000)",
    ),
    (
        "bad date",
        lambda f: f["salesforce/Task.json"][0].update(ActivityDate="11/20/2026"),
        f"salesforce/Task.json: record {TASK}: field 'ActivityDate': '11/20/2026' is not a date "
        "of the form YYYY-MM-DD",
    ),
    (
        "Salesforce id of the wrong object",
        lambda f: f["salesforce/User.json"][0].update(Id=ACCOUNT),
        f"salesforce/User.json: record {ACCOUNT}: field 'Id': '{ACCOUNT}' does not start with "
        "005, this object's id prefix",
    ),
    (
        "Salesforce id of the wrong length",
        lambda f: f["salesforce/Account.json"][0].update(Id="001Dn0000D4e5"),
        "salesforce/Account.json: record 001Dn0000D4e5: field 'Id': '001Dn0000D4e5' is not a 15- "
        "or 18-character Salesforce id",
    ),
    (
        "KYC completed without an outcome",
        lambda f: _kyc(f).update(outcome=None),
        "kyc/applications.json: record AP-7Q2M4KX1: field 'outcome': required when status is "
        "'completed'",
    ),
    (
        "nested vocabulary",
        lambda f: _kyc(f)["events"][0].update(event_type="approved"),
        "kyc/applications.json: record AP-7Q2M4KX1: field 'events[0].event_type': 'approved' is "
        "not one of started_application, pending_documents, pending_review, completed_review, "
        "pending_step_up, maximum_retries_reached, completed_application",
    ),
    (
        "failed reader action without a failure code",
        lambda f: f["pos/readers.json"][0]["action"].update(status="failed"),
        "pos/readers.json: record tmr_1: field 'action.failure_code': required when status is "
        "'failed'",
    ),
    (
        "POS id without its prefix",
        lambda f: f["pos/charges.json"][0].update(id="py_1"),
        "pos/charges.json: record py_1: field 'id': 'py_1' does not look like ch_…",
    ),
    (
        "missing nested link field",
        lambda f: f["pos/charges.json"][0].update(metadata={}),
        "pos/charges.json: record ch_1: field 'metadata.account_id': missing",
    ),
    (
        "duplicate comment id",
        lambda f: f["zendesk/comments.json"]["1042"].append(
            {"id": 90001, "author_id": 13, "body": "again", "created_at": T}
        ),
        "zendesk/comments.json: record 1042: field 'id': duplicate comment id 90001 (comment "
        "ids are unique across tickets)",
    ),
    (
        "any other sObject needs its own prefix",
        lambda f: f.update({"salesforce/Case.json": [{"Id": ACCOUNT}]}),
        f"salesforce/Case.json: record {ACCOUNT}: field 'Id': '{ACCOUNT}' does not start with "
        "500, this object's id prefix",
    ),
]


@pytest.mark.parametrize(("change", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_world_fails_with_a_precise_message(
    tmp_path: Path, change: Callable[[Files], None], message: str
) -> None:
    with pytest.raises(WorldError) as caught:
        load_world(write_world(tmp_path, broken(change)))
    assert str(caught.value) == message


def test_bad_json_names_the_file(tmp_path: Path) -> None:
    files = broken(lambda f: f.update({"zendesk/tickets.json": '[{"id": 1042,'}))
    with pytest.raises(WorldError, match=r"^zendesk/tickets\.json: not valid JSON: "):
        load_world(write_world(tmp_path, files))


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ("name: tiny\nnow: yesterday\n", "field 'now': not an ISO-8601 timestamp: 'yesterday'"),
        ("name: tiny\n", "field 'now': missing: the world's frozen clock"),
    ],
)
def test_bad_now_fails(tmp_path: Path, meta: str, message: str) -> None:
    root = write_world(tmp_path, broken(lambda f: f.update({"world.yaml": meta})))
    with pytest.raises(WorldError) as caught:
        load_world(root)
    assert str(caught.value) == f"{root / 'world.yaml'}: {message}"
