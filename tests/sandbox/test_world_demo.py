"""The demo world: it loads, it is regenerated identically, and its records prove its manifest.

The checks read the records the way Baton's default playbooks will (``docs/world-format.md``,
"Conventions"): for every journey of ``scenarios.yaml`` the steps before the current one have
their completion evidence, the current one does not, and the blocker evidence on the current
step is exactly the blocker types the manifest declares.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import yaml

from config import DEMO_WORLD
from sandbox.server import EmbeddedSandbox
from sandbox.world import World, load_world
from sandbox.worlds.build_demo import build, stale_files
from sandbox.worlds.generator.conventions import BLOCKER_TYPES, CRM_STAGE, SLA_DAYS, STEPS

Record = dict
SOLVED = {"solved", "closed"}
WATCHLIST = re.compile(r"OFAC|PEP|watchlist", re.IGNORECASE)
INJECTION = re.compile(r"ignore previous instructions|^SYSTEM:|disregard your rules", re.I | re.M)


@dataclass
class Evidence:
    """Every record of one customer, gathered across the four systems by Account Id."""

    account: Record
    opportunities: list[Record] = field(default_factory=list)
    tasks: list[Record] = field(default_factory=list)
    tickets: list[Record] = field(default_factory=list)
    comments: list[Record] = field(default_factory=list)
    kyc: list[Record] = field(default_factory=list)
    boarding: list[Record] = field(default_factory=list)
    orders: list[Record] = field(default_factory=list)
    readers: list[Record] = field(default_factory=list)
    charges: list[Record] = field(default_factory=list)

    def step_tickets(self, step: str) -> list[Record]:
        return [t for t in self.tickets if f"step_{step}" in t["tags"]]

    def step_tasks(self, step: str) -> list[Record]:
        return [t for t in self.tasks if t.get("Onboarding_Step__c") == step]


@dataclass(frozen=True)
class Demo:
    world: World
    journeys: list[dict]
    evidence: dict[str, Evidence]

    @property
    def now(self) -> datetime:
        return self.world.now


def _index(world: World) -> dict[str, Evidence]:
    evidence = {a["Id"]: Evidence(a) for a in world.records("salesforce.Account")}
    org_account = {o["id"]: o["external_id"] for o in world.records("zendesk.organizations")}
    for collection, attribute, key in (
        ("salesforce.Opportunity", "opportunities", lambda r: r["AccountId"]),
        ("salesforce.Task", "tasks", lambda r: r["WhatId"]),
        ("zendesk.tickets", "tickets", lambda r: org_account.get(r["organization_id"])),
        ("kyc.applications", "kyc", lambda r: r["external_entity_id"]),
        ("pos.boarding_applications", "boarding", lambda r: r["external_id"]),
        ("pos.hardware_orders", "orders", lambda r: r["metadata"]["account_id"]),
        ("pos.readers", "readers", lambda r: r["metadata"]["account_id"]),
        ("pos.charges", "charges", lambda r: r["metadata"]["account_id"]),
    ):
        for record in world.records(collection):
            if key(record) in evidence:
                getattr(evidence[key(record)], attribute).append(record)
    ticket_account = {
        t["id"]: org_account.get(t["organization_id"]) for t in world.records("zendesk.tickets")
    }
    for comment in world.records("zendesk.comments"):
        account = ticket_account.get(comment["ticket_id"])
        if account in evidence:
            evidence[account].comments.append(comment)
    return evidence


@pytest.fixture(scope="module")
def demo() -> Demo:
    world = load_world(DEMO_WORLD)
    manifest = yaml.safe_load((DEMO_WORLD / "scenarios.yaml").read_text(encoding="utf-8"))
    return Demo(world, manifest["journeys"], _index(world))


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _unix(value: int) -> datetime:
    return datetime.fromtimestamp(value, tz=UTC)


# -- completion evidence, per step --------------------------------------------------------------


def _tickets_solved(ev: Evidence, step: str) -> bool:
    tickets = ev.step_tickets(step)
    return bool(tickets) and all(t["status"] in SOLVED for t in tickets)


def _tasks_completed(ev: Evidence, step: str) -> bool:
    tasks = ev.step_tasks(step)
    return bool(tasks) and all(t["Status"] == "Completed" for t in tasks)


def _activation_done(ev: Evidence, merchant: bool) -> bool:
    if not merchant:
        return _tickets_solved(ev, "activation")
    return any(
        r["status"] == "online"
        and (r["action"] or {}).get("type") == "activate"
        and r["action"]["status"] == "succeeded"
        for r in ev.readers
    )


DONE: dict[str, Callable[[Evidence, bool], bool]] = {
    "intake": lambda ev, _: any(
        o["StageName"] == "Closed Won" and o["IsWon"] and o["IsClosed"] for o in ev.opportunities
    ),
    "kyc": lambda ev, _: (
        _tickets_solved(ev, "kyc")
        and any(a["status"] == "completed" and a["outcome"] == "Approved" for a in ev.kyc)
    ),
    "credit": lambda ev, _: _tickets_solved(ev, "credit"),
    "documents": lambda ev, _: (
        _tasks_completed(ev, "documents")
        and _tickets_solved(ev, "documents")
        and all(
            d["status"] in ("received", "accepted")
            for a in ev.kyc
            for d in a["requested_documents"]
        )
    ),
    "account_opening": lambda ev, _: (
        bool(ev.account["Core_Account_Number__c"] and ev.account["Account_Opened_Date__c"])
        and _tickets_solved(ev, "account_opening")
    ),
    "provisioning": lambda ev, _: (
        _tickets_solved(ev, "provisioning")
        and any(b["status"] == "SUCCESSFUL_PROCESSED" and b["mid"] for b in ev.boarding)
        and any(o["status"] == "delivered" for o in ev.orders)
    ),
    "treasury_setup": lambda ev, _: (
        _tickets_solved(ev, "treasury_setup") and _tasks_completed(ev, "treasury_setup")
    ),
    "activation": _activation_done,
    "first_transaction": lambda ev, merchant: (
        any(c["status"] == "succeeded" for c in ev.charges)
        if merchant
        else bool(ev.account["First_Transaction_Date__c"])
    ),
}


# -- blocker evidence on the current step -------------------------------------------------------


def _days_since(demo: Demo, value: str) -> float:
    return (demo.now - _time(value)) / timedelta(days=1)


def _missing_documents(demo: Demo, ev: Evidence, step: str) -> bool:
    today = demo.now.date().isoformat()
    outstanding_kyc = any(
        a["status"] == "pending_documents"
        and any(d["status"] == "requested" for d in a["requested_documents"])
        for a in ev.kyc
    )
    overdue_tasks = any(
        t["Status"] == "Not Started" and t["ActivityDate"] < today for t in ev.step_tasks(step)
    )
    return outstanding_kyc or overdue_tasks


def _waiting_on_client(demo: Demo, ev: Evidence, step: str) -> bool:
    return (
        any(t["status"] == "pending" for t in ev.step_tickets(step))
        or any(t["Status"] == "Waiting on someone else" for t in ev.step_tasks(step))
        or any(a["status"] == "pending_step_up" for a in ev.kyc)
    )


def _approval_delay(demo: Demo, ev: Evidence, step: str) -> bool:
    committee = any("committee" in c["body"] for c in ev.comments) and any(
        t["status"] in ("new", "open") and _days_since(demo, t["created_at"]) > SLA_DAYS["credit"]
        for t in ev.step_tickets("credit")
    )
    slow_review = any(
        a["status"] == "waiting_review"
        and not WATCHLIST.search(a["review"]["reason"])
        and _days_since(demo, a["review"]["opened_at"]) >= 5
        for a in ev.kyc
    )
    return committee or slow_review


def _failed_integration(demo: Demo, ev: Evidence, step: str) -> bool:
    return (
        any(b["status"] in ("FAIL_PROCESSED", "REJECTED") and b["error_code"] for b in ev.boarding)
        or any(
            (r["action"] or {}).get("status") == "failed" and r["action"]["failure_code"]
            for r in ev.readers
        )
        or any(a["status"] == "error" for a in ev.kyc)
        or any("integration_error" in t["tags"] for t in ev.step_tickets(step))
    )


def _vendor_dependency(demo: Demo, ev: Evidence, step: str) -> bool:
    today = demo.now.date().isoformat()
    return (
        any(t["status"] == "hold" for t in ev.step_tickets(step))
        or any(o["status"] == "shipped" and o["shipment"]["eta"] < today for o in ev.orders)
        or any(
            b["status"] == "IN_PROGRESS" and _days_since(demo, b["submitted_at"]) >= 10
            for b in ev.boarding
        )
    )


def _screening_hit(demo: Demo, ev: Evidence, step: str) -> bool:
    return any(
        a["status"] == "waiting_review"
        and a["outcome"] == "Manual Review"
        and WATCHLIST.search(a["review"]["reason"])
        for a in ev.kyc
    )


BLOCKER_EVIDENCE: dict[str, Callable[[Demo, Evidence, str], bool]] = {
    "missing_documents": _missing_documents,
    "waiting_on_client": _waiting_on_client,
    "approval_delay": _approval_delay,
    "failed_integration": _failed_integration,
    "vendor_dependency": _vendor_dependency,
    "screening_hit": _screening_hit,
}


def _last_activity(ev: Evidence) -> datetime:
    """The latest human activity on a journey in any system (reader heartbeats excluded)."""
    times = [_time(ev.account["LastModifiedDate"])]
    times += [_time(r["LastModifiedDate"]) for r in ev.opportunities + ev.tasks]
    times += [_time(t["updated_at"]) for t in ev.tickets]
    times += [_time(c["created_at"]) for c in ev.comments]
    times += [_time(a["updated_at"]) for a in ev.kyc]
    times += [_time(b["updated_at"]) for b in ev.boarding]
    times += [_unix(o["created"]) for o in ev.orders]
    times += [_unix(c["created"]) for c in ev.charges]
    return max(times)


# -- tests --------------------------------------------------------------------------------------


def test_demo_world_loads_and_validates_quickly() -> None:
    started = time.perf_counter()
    world = load_world(DEMO_WORLD)
    assert time.perf_counter() - started < 1.5
    assert world.now.isoformat() == "2026-11-30T15:00:00+00:00"


def test_generator_is_deterministic_and_the_committed_files_are_current() -> None:
    assert build() == build()
    assert stale_files(DEMO_WORLD) == []


def test_manifest_covers_every_case(demo: Demo) -> None:
    journeys = demo.journeys
    products = Counter(j["product"] for j in journeys)
    statuses = Counter(j["status"] for j in journeys)
    blockers = Counter(b for j in journeys for b in j["blockers"])
    steps = Counter((j["product"], j["step"]) for j in journeys if j["status"] != "live")
    assert len(journeys) >= 50
    assert min(products.values()) >= 0.4 * len(journeys)
    for product, product_steps in STEPS.items():
        for step in product_steps:
            assert steps[(product, step)] >= 2, (product, step)
    assert all(blockers[b] >= 3 for b in BLOCKER_TYPES), blockers
    assert statuses["live"] >= 5 and statuses["terminated"] >= 3 and statuses["stalled"] >= 4
    assert statuses["at_risk"] >= 3 and statuses["on_track"] >= 5
    assert sum(j["crm_stage_stale"] for j in journeys) >= 5
    assert sum(len(j["blockers"]) > 1 for j in journeys) >= 4
    assert {j["step"] for j in journeys if j["status"] == "terminated"} >= {
        "intake",
        "kyc",
        "provisioning",
    }


def test_steps_before_the_current_one_are_complete_and_it_is_not(demo: Demo) -> None:
    for journey in demo.journeys:
        ev = demo.evidence[journey["account_id"]]
        merchant = journey["product"] == "merchant_services"
        steps = STEPS[journey["product"]]
        current = steps.index(journey["step"]) if journey["step"] else len(steps)
        for step in steps[:current]:
            assert DONE[step](ev, merchant), (journey["name"], step, "should be complete")
        if journey["step"]:
            assert not DONE[journey["step"]](ev, merchant), (journey["name"], "is complete")


def test_blocker_evidence_is_exactly_what_the_manifest_declares(demo: Demo) -> None:
    for journey in demo.journeys:
        if journey["status"] in ("live", "terminated"):
            continue
        ev = demo.evidence[journey["account_id"]]
        shown = {
            blocker
            for blocker, evidenced in BLOCKER_EVIDENCE.items()
            if evidenced(demo, ev, journey["step"])
        }
        assert shown == set(journey["blockers"]) - {"sla_breach"}, journey["name"]
        if "sla_breach" in journey["blockers"]:
            assert journey["days_in_step"] > SLA_DAYS[journey["step"]]


def test_screening_hits_name_a_watchlist(demo: Demo) -> None:
    hits = [j for j in demo.journeys if "screening_hit" in j["blockers"]]
    for journey in hits:
        (application,) = demo.evidence[journey["account_id"]].kyc
        assert WATCHLIST.search(application["review"]["reason"]), journey["name"]


def test_terminated_journeys_show_why(demo: Demo) -> None:
    for journey in (j for j in demo.journeys if j["status"] == "terminated"):
        ev = demo.evidence[journey["account_id"]]
        ended = {
            "intake": any(o["StageName"] == "Closed Lost" for o in ev.opportunities),
            "kyc": any(a["outcome"] == "Denied" for a in ev.kyc),
            "provisioning": any(b["status"] == "DECLINED" for b in ev.boarding),
        }
        assert ended[journey["step"]], journey["name"]
        assert ev.account["Onboarding_Stage__c"] == "Closed"


def test_activity_matches_the_manifest_and_stalled_journeys_are_quiet(demo: Demo) -> None:
    for journey in demo.journeys:
        if journey["status"] == "live":
            continue
        last = _last_activity(demo.evidence[journey["account_id"]])
        assert last == _time(journey["last_activity"]), journey["name"]
        quiet = demo.now - last >= timedelta(days=14)
        assert quiet == (journey["status"] == "stalled"), journey["name"]


def test_crm_stage_and_its_staleness(demo: Demo) -> None:
    for journey in demo.journeys:
        account = demo.evidence[journey["account_id"]].account
        assert account["Onboarding_Stage__c"] == journey["crm_stage"]
        true_stage = {"live": "Live", "terminated": "Closed"}.get(journey["status"])
        true_stage = true_stage or CRM_STAGE[journey["step"]]
        assert journey["crm_stage_stale"] == (journey["crm_stage"] != true_stage)


def test_staff_exist_in_both_systems_and_own_the_accounts(demo: Demo) -> None:
    users = {u["Id"]: u for u in demo.world.records("salesforce.User")}
    agents = {u["email"] for u in demo.world.records("zendesk.users") if u["role"] != "end-user"}
    assert {u["Email"] for u in users.values()} == agents
    for journey in demo.journeys:
        owner = users[demo.evidence[journey["account_id"]].account["OwnerId"]]
        assert owner["Email"] == journey["relationship_manager"]
    groups = {g["name"] for g in demo.world.records("zendesk.groups")}
    assert groups >= {
        "KYC & BSA",
        "Credit",
        "Onboarding Operations",
        "Deposit Operations",
        "Treasury Implementation",
        "Merchant Services",
        "Activation Support",
    }


def test_prompt_injections_come_from_the_declared_customers(demo: Demo) -> None:
    end_users = {u["id"] for u in demo.world.records("zendesk.users") if u["role"] == "end-user"}
    for journey in demo.journeys:
        comments = demo.evidence[journey["account_id"]].comments
        injected = [c for c in comments if INJECTION.search(c["body"])]
        assert bool(injected) == journey["prompt_injection"], journey["name"]
        assert all(c["author_id"] in end_users and c["public"] for c in injected)
    assert sum(j["prompt_injection"] for j in demo.journeys) >= 3


def test_world_holds_unlinkable_records_and_lookalike_names(demo: Demo) -> None:
    accounts = {a["Id"] for a in demo.world.records("salesforce.Account")}
    assert any(t["organization_id"] is None for t in demo.world.records("zendesk.tickets"))
    assert any(
        r["metadata"]["account_id"] not in accounts for r in demo.world.records("pos.readers")
    )
    names = {j["name"] for j in demo.journeys}
    assert {"Acme Bakery LLC", "Acme Bakeries Inc", "ACME Baking Co", "O'Brien's Hardware"} <= names
    assert {"Northwind Logistics", "Northwind Traders"} <= names
    assert any(j["dba_name"] for j in demo.journeys)
    intake = [j for j in demo.journeys if j["step"] == "intake"]
    assert all(not demo.evidence[j["account_id"]].kyc for j in intake)


def test_demo_sandbox_serves_the_demo_world(demo_sandbox: EmbeddedSandbox) -> None:
    info = httpx.get(f"{demo_sandbox.url}/_sandbox/info").json()
    assert info["world"] == "demo" and info["now"] == "2026-11-30T15:00:00Z"
