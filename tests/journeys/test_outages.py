"""A system down never moves a journey backwards or invents a status: each system down, for
demo journeys at different steps, against the healthy view of the same journey."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from journeys.filters import PortfolioFilter
from journeys.service import JourneyService
from journeys.view import JourneyView
from sandbox.faults import FaultSpec
from sandbox.server import EmbeddedSandbox
from tests.journeys.conftest import BY_NAME, MANIFEST

SYSTEMS = ("salesforce", "zendesk", "kyc", "pos")
# Live (treasury, merchant), activation, provisioning, account opening, credit (stalled), KYC.
JOURNEYS = (
    "Great Lakes Fabrication Inc",
    "Northwind Traders",
    "ACME Baking Co",
    "Desert Bloom Boutique",
    "Harbor Point Capital Advisors",
    "Acme Bakery LLC",
)
# What the remaining evidence decides: (journey, system down) → (current step, status). QA's
# cases among them: Northwind is not "blocked at KYC" with the KYC provider down, and the live
# Great Lakes Fabrication is not "stalled at KYC".
DETERMINED = {
    ("Northwind Traders", "salesforce"): ("activation", "blocked"),
    ("Northwind Traders", "zendesk"): ("activation", "blocked"),
    ("Northwind Traders", "kyc"): ("activation", "blocked"),
    ("Great Lakes Fabrication Inc", "zendesk"): (None, "live"),
    ("Great Lakes Fabrication Inc", "kyc"): (None, "live"),
    ("Great Lakes Fabrication Inc", "pos"): (None, "live"),
    ("ACME Baking Co", "kyc"): ("provisioning", "on_track"),
    ("Desert Bloom Boutique", "pos"): ("account_opening", "blocked"),
    ("Harbor Point Capital Advisors", "pos"): ("credit", "stalled"),
    ("Acme Bakery LLC", "zendesk"): ("kyc", "blocked"),
    ("Acme Bakery LLC", "pos"): ("kyc", "blocked"),
}


@pytest.fixture
def down(journey_sandbox: EmbeddedSandbox) -> Iterator[object]:
    """``down(system)`` makes one system answer 503 until the test ends (or the next call)."""
    faults = journey_sandbox.ctx.options.faults

    def set_down(system: str | None) -> None:
        faults.clear()
        if system:
            faults[system] = FaultSpec.parse("status=503")

    yield set_down
    faults.clear()


def status_flagged(view: JourneyView) -> bool:
    return any(u.about == "status" for u in view.unconfirmed)


def step_flagged(view: JourneyView) -> bool:
    states = {s.id: s.state for s in view.steps}
    return view.current_step is not None and states[view.current_step] == "unknown"


async def test_every_system_down_keeps_what_the_evidence_decides(service: JourneyService, down):
    healthy = {}
    for name in JOURNEYS:
        view = await service.view(BY_NAME[name]["account_id"])
        healthy[name] = (view.current_step, view.status)
    problems = []
    for system in SYSTEMS:
        down(system)
        service.invalidate()
        for name in JOURNEYS:
            view = await service.view(BY_NAME[name]["account_id"])
            got = (view.current_step, view.status)
            assert view.partial and [u.system for u in view.unavailable] == [system]
            expected = DETERMINED.get((name, system))
            if expected and got != expected:
                problems.append(f"{name}, {system} down: {got}, expected {expected}")
            if got[0] != healthy[name][0] and not (step_flagged(view) or status_flagged(view)):
                problems.append(f"{name}, {system} down: step {got[0]} differs, unflagged")
            if got[1] != healthy[name][1] and not status_flagged(view):
                problems.append(f"{name}, {system} down: status {got[1]} differs, unflagged")
            if view.status == "stalled" and not expected:
                problems.append(f"{name}, {system} down: stalled although activity is unknown")
    assert not problems, "\n".join(problems)


async def test_an_unknown_step_says_precisely_what_could_not_be_checked(service, down):
    down("pos")
    view = await service.view(BY_NAME["Northwind Traders"]["account_id"])
    # Not "blocked at Merchant boarding": the step could not be checked, nothing blocks it.
    assert view.current_step == "provisioning" and view.status == "on_track"
    assert view.blockers == [] and view.next_step.sla_state is None
    details = {(u.about, u.step): u.detail for u in view.unconfirmed}
    assert details["step", "provisioning"] == (
        "Merchant boarding & hardware could not be checked: the POS vendor is unavailable"
    )
    assert details["status", "provisioning"].startswith("Status on track is not confirmed")


async def test_passed_steps_say_the_journey_moved_past_them(service, down):
    down("kyc")
    view = await service.view(BY_NAME["Great Lakes Fabrication Inc"]["account_id"])
    assert view.status == "live" and not status_flagged(view)
    [kyc] = [u for u in view.unconfirmed if u.step == "kyc"]
    assert kyc.detail == (
        "KYC / KYB verification could not be checked (the KYC provider is unavailable), but "
        "later steps are complete: the journey has moved past it"
    )


async def test_a_list_with_a_system_down_marks_its_journeys_and_claims_no_stall(service, down):
    down("kyc")
    portfolio = await service.portfolio(PortfolioFilter())
    by_name = {e.account.name: e for e in portfolio.entries}
    for name in ("Great Lakes Fabrication Inc", "Pacific Crest Property Management LLC"):
        assert by_name[name].status == "live"
    stalled = {n for n, e in by_name.items() if e.status == "stalled"}
    assert stalled <= {j["name"] for j in MANIFEST if j["status"] == "stalled"}
    assert all(e.partial for e in portfolio.entries)
    harbor = by_name["Harbor Point Capital Advisors"]
    assert harbor.status != "stalled" and any("not confirmed" in u for u in harbor.unconfirmed)


@pytest.mark.parametrize("reference", ["#1288", "tmr_9p8bkkCjiNwrGf6rWiQU7VAs"])
async def test_records_resolve_without_the_crm_and_name_the_account(service, down, reference):
    down("salesforce")
    view = await service.journey(reference)
    assert view.account.id == BY_NAME["Northwind Traders"]["account_id"]
    assert view.account.name == "Northwind Traders"  # from the Zendesk organization
    assert view.current_step == "activation" and view.status == "blocked"
    [account] = [u for u in view.unconfirmed if u.about == "account"]
    assert "Salesforce is unavailable" in account.detail
