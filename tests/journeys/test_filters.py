"""Portfolio filters: values as people type them, the new blocker / stale CRM / overdue
filters against the demo manifest, and refusals that list the valid values."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api import create_app
from journeys.filters import InvalidFilter, PortfolioFilter, resolve_filters
from journeys.playbook import load_playbooks
from journeys.service import JourneyService
from sandbox.server import EmbeddedSandbox
from tests.api.support import STAFF_KEY, channel_settings, runtime_factory
from tests.journeys.conftest import MANIFEST
from tools.journeys import make_journey_tools

PLAYBOOKS = load_playbooks()


def resolved(**values: object) -> PortfolioFilter:
    return resolve_filters(PortfolioFilter(**values), PLAYBOOKS)


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ({"step": "Credit"}, {"step": "credit"}),
        ({"step": "credit approval"}, {"step": "credit"}),
        ({"step": "KYC/KYB"}, {"step": "kyc"}),
        ({"step": "boarding"}, {"step": "provisioning"}),
        ({"team": "kyc"}, {"team": "KYC & BSA"}),
        ({"team": "kyc & bsa"}, {"team": "KYC & BSA"}),
        ({"team": "credit"}, {"team": "Credit"}),
        ({"product": "treasury"}, {"product": "treasury_management"}),
        ({"product": "Merchant Services"}, {"product": "merchant_services"}),
        ({"status": "On Track"}, {"status": "on_track"}),
        ({"status": "STALLED"}, {"status": "stalled"}),
    ],
)
def test_values_are_read_as_people_type_them(given, canonical):
    assert resolved(**given).model_dump(exclude_none=True) == canonical


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"step": "nonsense"}, "no step 'nonsense'; valid steps: account_opening, activation"),
        ({"team": "operations"}, "team 'operations' could mean Deposit Operations, Onboarding"),
        ({"team": "Legal"}, "no team 'Legal'; valid teams: Activation Support, Client, Credit"),
        ({"product": "payroll"}, "no product 'payroll'; valid products: merchant_services"),
    ],
)
def test_a_value_naming_nothing_is_refused_with_the_valid_ones(given, message):
    with pytest.raises(InvalidFilter) as info:
        resolved(**given)
    assert str(info.value).startswith(message)


def test_echoed_values_are_clipped():
    with pytest.raises(InvalidFilter) as info:
        resolved(team="x" * 10_000)
    assert len(str(info.value)) < 400 and "…" in str(info.value)


def names(entries) -> set[str]:
    return {e.account.name for e in entries}


async def test_blocker_stale_crm_and_overdue_match_the_manifest(service: JourneyService):
    everything = await service.portfolio(PortfolioFilter())
    expected = {
        "blocker": {j["name"] for j in MANIFEST if "vendor_dependency" in j["blockers"]},
        "stale": {j["name"] for j in MANIFEST if j["crm_stage_stale"]},
        # scenarios.yaml: days in the current step past its SLA days (an ended journey has
        # no step left to be late with)
        "overdue": {
            j["name"]
            for j in MANIFEST
            if j["status"] != "terminated" and (j["days_in_step"] or 0) > (j["sla_days"] or 0)
        },
    }
    vendor = await service.portfolio(PortfolioFilter(blocker="vendor_dependency"))
    stale = await service.portfolio(PortfolioFilter(stale_crm=True))
    current = await service.portfolio(PortfolioFilter(stale_crm=False))
    overdue = await service.portfolio(PortfolioFilter(overdue=True))
    assert names(vendor.entries) == expected["blocker"]
    assert names(stale.entries) == expected["stale"]
    assert names(current.entries) == names(everything.entries) - expected["stale"]
    assert names(overdue.entries) == expected["overdue"]


async def test_step_and_team_by_title_select_what_the_ids_do(service):
    by_title = await service.portfolio(PortfolioFilter(step="Credit approval", team="credit"))
    by_id = await service.portfolio(PortfolioFilter(step="credit", team="Credit"))
    assert by_title.filters == by_id.filters and names(by_title.entries) == names(by_id.entries)
    assert names(by_id.entries) >= {"Prairie Wind Brewing Co"}


async def test_the_tool_refuses_an_unknown_step_with_the_valid_ones(service):
    [tool] = [t for t in make_journey_tools(service) if t.name == "list_journeys"]
    principal = {"kind": "staff", "id": "ops@demo-bank.example", "role": "onboarding_specialist"}
    config = {"configurable": {"principal": principal}}
    text = await tool.ainvoke({"step": "underwriting"}, config)
    assert text.startswith("no step 'underwriting'; valid steps:")
    ok = await tool.ainvoke({"status": "Blocked", "blocker": "screening_hit"}, config)
    assert ok.startswith("4 journeys (status=blocked, blocker=screening_hit)")


@pytest.fixture
def client(journey_sandbox: EmbeddedSandbox) -> Iterator[TestClient]:
    app = create_app(channel_settings(journey_sandbox), runtime_factory(journey_sandbox))
    with TestClient(app) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=blocked&status=stalled", "give each filter once; repeated: status"),
        ("statsu=blocked", "unknown filter 'statsu'; filters: status, step, owner"),
        ("step=underwriting", "no step 'underwriting'; valid steps:"),
        ("overdue=maybe", "overdue"),
    ],
)
def test_the_http_api_refuses_ambiguous_or_unknown_filters(client, query, message):
    response = client.get(f"/v1/journeys?{query}", headers={"Authorization": f"Bearer {STAFF_KEY}"})
    assert response.status_code == 422 and message in response.json()["error"]["message"]


def test_the_http_api_serves_the_new_filters(client):
    response = client.get(
        "/v1/journeys?status=Blocked&team=kyc&blocker=screening_hit",
        headers={"Authorization": f"Bearer {STAFF_KEY}"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["filters"]["team"] == "KYC & BSA" and body["entries"]
    assert all("screening_hit" in e["blockers"] for e in body["entries"])
