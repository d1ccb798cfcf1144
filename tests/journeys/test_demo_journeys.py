"""End to end: the demo world's journeys through the sandbox, as the manifest says they are."""

from __future__ import annotations

import asyncio
import time

import pytest

from journeys.fetch import AccountNotFound
from journeys.resolve import CustomerNotResolved
from journeys.service import JourneyService
from journeys.view import JourneyView
from sandbox.faults import FaultSpec
from sandbox.server import EmbeddedSandbox
from tests.journeys.conftest import BY_NAME, MANIFEST


def _mismatches(view: JourneyView, scenario: dict) -> list[str]:
    step = None if scenario["status"] == "live" else scenario["step"]
    expected = {
        "status": scenario["status"],
        "current_step": step,
        "blockers": set(scenario["blockers"]),
        "crm_stage_stale": scenario["crm_stage_stale"],
        "name": scenario["name"],
        "relationship_manager": scenario["relationship_manager"],
        "partial": False,
    }
    got = {
        "status": view.status,
        "current_step": view.current_step,
        "blockers": {b.type for b in view.blockers},
        "crm_stage_stale": any(d.kind == "crm_stage" for d in view.discrepancies),
        "name": view.account.name,
        "relationship_manager": view.account.owner_email,
        "partial": view.partial,
    }
    return [
        f"{scenario['name']}: {k} is {got[k]!r}, expected {v!r}"
        for k, v in expected.items()
        if got[k] != v
    ]


async def test_every_demo_journey_matches_its_manifest(service):
    # One test over all journeys (one warm service) keeps the suite fast; every mismatch is
    # reported, not just the first.
    gate = asyncio.Semaphore(4)

    async def view(account_id: str) -> JourneyView:
        async with gate:
            return await service.view(account_id)

    views = await asyncio.gather(*(view(j["account_id"]) for j in MANIFEST))
    problems = [p for view, j in zip(views, MANIFEST, strict=True) for p in _mismatches(view, j)]
    assert not problems, "\n".join(problems)
    assert len(MANIFEST) >= 50


# -- pinned views: what a user would read -------------------------------------------------------


async def test_missing_kyc_documents_name_the_documents_and_the_client(service):
    view = await service.journey("Acme Bakery LLC")
    details = " ".join(b.detail for b in view.blockers)
    assert "certificate of good standing" in details.lower()
    assert {b.who.team for b in view.blockers} == {"Client"}
    assert {b.evidence.system for b in view.blockers} == {"kyc"}
    assert view.next_step.owner.team == "KYC & BSA" and view.next_step.owner.person


async def test_failed_reader_activation_cites_the_error_code(service):
    view = await service.journey("Northwind Traders")
    assert {b.type for b in view.blockers} == {"failed_integration"}
    [reader] = [b for b in view.blockers if b.evidence.system == "pos"]
    assert "E-104" in reader.detail and reader.who.team == "Activation Support"


async def test_stale_crm_stage_points_at_the_record_that_proves_it(service):
    view = await service.journey("Cascade Timber Products")
    [stale] = [d for d in view.discrepancies if d.kind == "crm_stage"]
    assert "Credit Approval" in stale.detail and "days ago" in stale.detail
    assert {s.system for s in stale.sources} == {"salesforce", "zendesk"}


async def test_a_live_journey_has_its_evidence_for_every_step(service):
    live = next(j for j in MANIFEST if j["status"] == "live")
    view = await service.view(live["account_id"])
    assert all(step.state == "complete" and step.evidence for step in view.steps)
    assert view.history and view.history[0].at <= view.history[-1].at


async def test_terminated_journey_says_why(service):
    terminated = [j for j in MANIFEST if j["status"] == "terminated"]
    reasons = [(await service.view(j["account_id"])).status_reason for j in terminated]
    assert any("denied" in r for r in reasons) and any("closed lost" in r for r in reasons)


async def test_views_link_back_to_the_records(service):
    view = await service.journey("Acme Bakery LLC")
    links = {s.system: s.link for s in view.sources if s.link}
    assert "/lightning/r/" in links["salesforce"] and "/agent/tickets/" in links["zendesk"]


async def test_comment_excerpts_are_quoted_data_in_the_timeline(service):
    injected = next(j for j in MANIFEST if j["prompt_injection"])
    view = await service.view(injected["account_id"])
    notes = [e for e in view.history if e.excerpt]
    assert notes and all(e.public is not None for e in notes)


# -- resolution -----------------------------------------------------------------------------------


async def test_names_with_typos_and_dba_aliases_resolve(service):
    assert (await service.resolve("Acme Bakry LLC")).account.name == "Acme Bakery LLC"
    assert (await service.resolve("The Salty Pelican")).account.name == (
        "Bayside Hospitality Group LLC"
    )
    assert (await service.resolve("obriens hardware")).account.name == "O'Brien's Hardware"


async def test_an_ambiguous_name_lists_the_candidates(service):
    resolution = await service.resolve("Northwind")
    assert resolution.outcome == "ambiguous"
    assert {c.name for c in resolution.candidates} >= {"Northwind Traders"}


async def test_an_unknown_customer_gets_the_closest_matches(service):
    with pytest.raises(CustomerNotResolved, match="no customer matches 'Acme Plumbing'") as info:
        await service.journey("Acme Plumbing")
    assert "closest:" in str(info.value)


async def test_a_ticket_number_resolves_to_its_account(service):
    account_id = BY_NAME["Acme Bakery LLC"]["account_id"]
    view = await service.view(account_id)
    ticket = next(s.record_id for s in view.sources if s.record_type == "ticket")
    assert (await service.resolve(f"#{ticket}")).account.id == account_id


async def test_an_unknown_account_id_is_not_found(service):
    with pytest.raises(AccountNotFound):
        await service.view("001Dn0000ZZZZZZZZZ")


# -- faults: partial views ------------------------------------------------------------------------


@pytest.fixture
def fault(journey_sandbox: EmbeddedSandbox):
    """Set a fault on one system for the test's duration."""
    systems: list[str] = []

    def set_fault(system: str, spec: str) -> None:
        journey_sandbox.ctx.options.faults[system] = FaultSpec.parse(spec)
        systems.append(system)

    yield set_fault
    for system in systems:
        journey_sandbox.ctx.options.faults.pop(system, None)


@pytest.mark.parametrize("system", ["salesforce", "zendesk", "kyc", "pos"])
async def test_a_system_down_gives_a_partial_view_naming_it(service, fault, system):
    scenario = BY_NAME["Northwind Traders"]  # merchant: reads all four systems
    fault(system, "status=503")
    view = await service.view(scenario["account_id"])
    assert view.partial and [u.system for u in view.unavailable] == [system]
    assert "503" in view.unavailable[0].reason
    assert any(step.state == "unknown" for step in view.steps)
    assert view.status != "live"


async def test_a_hanging_system_is_cut_off_at_its_budget(journey_sandbox, fault):
    from integrations import BackOffice
    from tests.journeys.conftest import frozen_now, settings_for

    settings = settings_for(journey_sandbox)
    budgets = {"salesforce": 10.0, "zendesk": 10.0, "kyc": 0.3, "pos": 10.0}
    async with BackOffice(settings) as office:
        service = JourneyService(office, budgets, clock=lambda: frozen_now(journey_sandbox))
        fault("kyc", "hang")
        started = time.perf_counter()
        view = await service.journey("Acme Bakery LLC")
    assert time.perf_counter() - started < 5  # not the transport's 10 s, nor the 300 s hang
    assert [(u.system, u.reason) for u in view.unavailable] == [("kyc", "no answer within 0.3 s")]
    assert next(s for s in view.steps if s.id == "kyc").state == "unknown"


async def test_partial_views_are_not_cached(service, fault):
    account_id = BY_NAME["Acme Bakery LLC"]["account_id"]
    fault("pos", "status=500")
    assert (await service.view(account_id)).partial
    fault("pos", "latency=0")
    assert not (await service.view(account_id)).partial


# -- cache and coalescing ------------------------------------------------------------------------


def calls(sandbox: EmbeddedSandbox) -> int:
    return sum(sandbox.ctx.stats.values())


async def test_concurrent_requests_for_one_account_make_one_set_of_calls(service, journey_sandbox):
    account_id = BY_NAME["Lone Star BBQ Co"]["account_id"]
    await service.view(account_id)  # warm reference data (groups, people, organization)
    service.invalidate(account_id)
    before = calls(journey_sandbox)
    await service.view(account_id)
    one_view = calls(journey_sandbox) - before
    service.invalidate(account_id)

    before = calls(journey_sandbox)
    first, second = await asyncio.gather(service.view(account_id), service.view(account_id))
    assert calls(journey_sandbox) - before == one_view
    assert first is second


async def test_cached_until_baton_writes(service, journey_sandbox):
    account_id = BY_NAME["Lone Star BBQ Co"]["account_id"]
    await service.view(account_id)
    before = calls(journey_sandbox)
    await service.view(account_id)
    assert calls(journey_sandbox) == before
    service.invalidate(account_id)
    await service.view(account_id)
    assert calls(journey_sandbox) > before
