"""``baton journey`` and ``baton journeys`` in embedded mode (the demo sandbox in-process)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from cli import app
from config import get_settings
from journeys.view import JourneyView

BACKOFFICE_ENV = [f"BATON_{s}__URL" for s in ("SALESFORCE", "ZENDESK", "KYC", "POS")]


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for name in BACKOFFICE_ENV:  # embedded mode, whatever the environment says
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    return CliRunner()


def test_journey_json_is_a_journey_view(runner):
    result = runner.invoke(app, ["--log-level", "ERROR", "journey", "Acme Bakry", "--json"])
    assert result.exit_code == 0, result.output
    view = JourneyView.model_validate(json.loads(result.stdout))
    assert view.account.name == "Acme Bakery LLC" and view.status == "blocked"


def test_journey_text_and_unknown_customer(runner):
    ok = runner.invoke(app, ["--log-level", "ERROR", "journey", "Northwind Traders"])
    assert ok.exit_code == 0 and "Status: BLOCKED" in ok.stdout and "E-104" in ok.stdout
    unknown = runner.invoke(app, ["--log-level", "ERROR", "journey", "Zebra Plumbing"])
    assert unknown.exit_code == 2 and "no customer matches 'Zebra Plumbing'" in unknown.output


def test_journeys_lists_stalled_and_rejects_a_bad_status(runner):
    ok = runner.invoke(app, ["--log-level", "ERROR", "journeys", "--status", "stalled"])
    assert ok.exit_code == 0 and ok.stdout.startswith("5 journeys (status=stalled)")
    bad = runner.invoke(app, ["--log-level", "ERROR", "journeys", "--status", "stuck"])
    assert bad.exit_code == 2 and "--status" in bad.output and "stalled" in bad.output


def test_one_journey_is_one_journey_and_nothing_is_warned(runner):
    args = ["journeys", "--status", "live", "--stale-crm", "--product", "treasury"]
    result = runner.invoke(app, ["--log-level", "INFO", *args])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 journey (status=live, product=treasury_management")
    assert "WARNING" not in result.output  # the unlinked ticket is counted, not warned about


def test_a_ticket_journey_has_no_empty_since_and_long_input_is_clipped(runner):
    ok = runner.invoke(app, ["--log-level", "ERROR", "journey", "#1288"])
    assert ok.exit_code == 0 and "E-104" in ok.stdout and "since —" not in ok.stdout
    pasted = runner.invoke(app, ["--log-level", "ERROR", "journey", "Zebra " * 1_000])
    assert pasted.exit_code == 2 and len(pasted.output) < 400


def test_journeys_are_judged_at_the_configured_now(runner, monkeypatch):
    monkeypatch.setenv("BATON_JOURNEYS__NOW", "2026-12-04T09:00:00")
    get_settings.cache_clear()
    result = runner.invoke(app, ["--log-level", "ERROR", "journey", "Northwind Traders", "--json"])
    get_settings.cache_clear()
    view = JourneyView.model_validate(json.loads(result.stdout))
    assert view.as_of == datetime(2026, 12, 4, 9, tzinfo=UTC)  # a zoneless time is UTC
    assert view.next_step.sla_state == "breached"  # due 2026-12-01: past it on 12-04
