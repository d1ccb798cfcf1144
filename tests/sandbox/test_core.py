"""The sandbox core: fault specs, the store, the control API, embedded mode and the CLI."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from config import Settings
from sandbox.embedded import ConfigurationError, backoffice_settings, check_backoffice
from sandbox.faults import FaultError, FaultSpec
from sandbox.server import EmbeddedSandbox
from sandbox.store import Store
from sandbox.world import load_world
from tests.conftest import MINI_WORLD


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("latency=100", {"latency_ms": 100}),
        ("status=503", {"status": 503}),
        ("rate_limit,retry_after=3", {"rate_limit": True, "retry_after": 3}),
        ("hang", {"hang": True}),
        ("malformed, p=0.25", {"malformed": True, "p": 0.25}),
        ("latency=50,status=500", {"latency_ms": 50, "status": 500}),
    ],
)
def test_fault_spec_parses(text: str, expected: dict) -> None:
    spec = FaultSpec.parse(text)
    assert spec.model_dump(include=set(expected)) == expected
    assert not spec.is_noop


@pytest.mark.parametrize("text", ["latency=abc", "status=200", "explode", "p=2", "hang=yes"])
def test_fault_spec_rejects_nonsense(text: str) -> None:
    with pytest.raises(FaultError):
        FaultSpec.parse(text)


def test_store_round_trip_and_order(tmp_path) -> None:
    store = Store(tmp_path / "s.db")
    store.load("zendesk.tickets", [("2", {"id": 2}), ("1", {"id": 1})])
    store.put("zendesk.tickets", "3", {"id": 3})
    store.put("zendesk.tickets", "2", {"id": 2, "status": "solved"})
    assert [r["id"] for r in store.all("zendesk.tickets")] == [2, 1, 3]
    assert store.get("zendesk.tickets", 2) == {"id": 2, "status": "solved"}
    assert store.next_int_id("zendesk.tickets") == 4
    store.close()
    reopened = Store(tmp_path / "s.db")
    assert reopened.count("zendesk.tickets") == 3


def test_control_api_sets_and_clears_faults(mini_sandbox: EmbeddedSandbox) -> None:
    base = mini_sandbox.url
    info = httpx.get(f"{base}/_sandbox/info").json()
    assert info["world"] == "mini"
    assert info["now"] == "2026-11-30T15:00:00Z"
    assert set(info["systems"]) == {"salesforce", "zendesk", "kyc", "pos"}

    bad = httpx.put(f"{base}/_sandbox/faults/zendesk", json={"spec": "explode"})
    assert bad.status_code == 400
    assert httpx.put(f"{base}/_sandbox/faults/nowhere", json={"spec": "hang"}).status_code == 404

    ok = httpx.put(f"{base}/_sandbox/faults/kyc", json={"spec": "status=503"})
    try:
        assert ok.json()["fault"]["status"] == 503
        assert httpx.get(f"{base}/kyc/v1/applications/AP-x").status_code == 503
    finally:
        httpx.delete(f"{base}/_sandbox/faults/kyc")
    assert httpx.get(f"{base}/kyc/v1/applications/AP-x").status_code != 503


def test_requests_are_counted_per_system(fresh_sandbox: EmbeddedSandbox) -> None:
    httpx.post(f"{fresh_sandbox.url}/_sandbox/stats/reset")
    for _ in range(3):
        httpx.get(f"{fresh_sandbox.url}/pos/v1/terminal/readers")
    assert httpx.get(f"{fresh_sandbox.url}/_sandbox/info").json()["stats"]["pos"] == 3


def test_database_file_keeps_writes_for_the_same_world(tmp_path) -> None:
    db = tmp_path / "sandbox.db"
    with EmbeddedSandbox(MINI_WORLD, db) as sb:
        sb.ctx.store.put("zendesk.tickets", "424242", {"id": 424242, "subject": "kept"})
    with EmbeddedSandbox(MINI_WORLD, db) as sb:
        assert sb.ctx.store.get("zendesk.tickets", 424242) == {"id": 424242, "subject": "kept"}


def test_partial_backoffice_configuration_is_refused() -> None:
    settings = Settings(_env_file=None, salesforce={"url": "https://example.my.salesforce.com"})
    with pytest.raises(ConfigurationError, match="BATON_ZENDESK__URL"):
        check_backoffice(settings)


def test_embedded_mode_points_every_system_at_the_sandbox(caplog) -> None:
    settings = Settings(_env_file=None, sandbox={"world": MINI_WORLD})
    assert settings.embedded
    with caplog.at_level("INFO"), backoffice_settings(settings) as (live, now):
        assert now == load_world(MINI_WORLD).now  # journeys are judged at the world's time
        urls = [live.salesforce.url, live.zendesk.url, live.kyc.url, live.pos.url]
        assert all(u and u.startswith("http://127.0.0.1:") for u in urls)
        assert live.zendesk.api_token is not None
        assert httpx.get(live.zendesk.url.rsplit("/", 1)[0] + "/_sandbox/info").status_code == 200
    assert "No back-office URLs configured" in caplog.text


def test_cli_sandbox_serves_on_a_free_port() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "sandbox", "--world", str(MINI_WORLD), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = proc.stdout.readline()
        assert "Sandbox world 'mini'" in first
        url = first.rsplit(" on ", 1)[1].strip()
        assert httpx.get(f"{url}/_sandbox/info", timeout=5).json()["world"] == "mini"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_cli_sandbox_reports_a_broken_world(tmp_path) -> None:
    (tmp_path / "world.yaml").write_text("name: broken\n")
    result = subprocess.run(
        [sys.executable, "-m", "cli", "sandbox", "--world", str(tmp_path), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "world.yaml" in result.stderr and "now" in result.stderr
    assert "Traceback" not in result.stderr
