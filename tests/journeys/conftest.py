"""Fixtures for journey tests against the demo world over loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import pytest
import yaml

from config import DEMO_WORLD, Settings, TransportSettings
from integrations import BackOffice
from journeys.service import JourneyService, budgets_from
from sandbox.context import SandboxOptions
from sandbox.embedded import sandbox_settings
from sandbox.server import EmbeddedSandbox

MANIFEST: list[dict[str, Any]] = yaml.safe_load(
    (DEMO_WORLD / "scenarios.yaml").read_text(encoding="utf-8")
)["journeys"]
BY_NAME = {j["name"]: j for j in MANIFEST}

# Fail fast: these tests inject faults and must not wait out long retries (one retry covers
# a keep-alive connection the server closed between two requests).
FAST = TransportSettings(
    timeout_s=10.0, connect_timeout_s=2.0, retries=1, backoff_base_s=0.01, breaker_failures=100
)


@pytest.fixture(scope="session")
def journey_sandbox() -> Iterator[EmbeddedSandbox]:
    """The demo world with Zendesk's per-minute limit lifted: these tests read every journey in
    a few seconds, which the real limit (tested with the clients) would rightly refuse."""
    options = SandboxOptions(zendesk_rate_per_minute=1_000_000)
    with EmbeddedSandbox(DEMO_WORLD, options=options) as sandbox:
        yield sandbox


def settings_for(sandbox: EmbeddedSandbox) -> Settings:
    settings = sandbox_settings(Settings(), sandbox)
    return settings.model_copy(
        update={
            name: getattr(settings, name).model_copy(update={"transport": FAST})
            for name in ("salesforce", "zendesk", "kyc", "pos")
        }
    )


def frozen_now(sandbox: EmbeddedSandbox) -> datetime:
    return sandbox.ctx.now


@pytest.fixture
async def service(journey_sandbox: EmbeddedSandbox) -> AsyncIterator[JourneyService]:
    settings = settings_for(journey_sandbox)
    async with BackOffice(settings) as office:
        yield JourneyService(
            office, budgets_from(settings), clock=lambda: frozen_now(journey_sandbox)
        )
