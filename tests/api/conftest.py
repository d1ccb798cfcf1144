"""A demo-world sandbox for the channel tests (Zendesk's per-minute limit lifted: the suite reads
many journeys in seconds, which the real limit would rightly refuse)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api import create_app
from config import DEMO_WORLD
from sandbox.context import SandboxOptions
from sandbox.server import EmbeddedSandbox
from tests.api.support import STAFF_KEY, channel_settings, runtime_factory


@pytest.fixture(scope="session")
def channel_sandbox() -> Iterator[EmbeddedSandbox]:
    options = SandboxOptions(zendesk_rate_per_minute=1_000_000)
    with EmbeddedSandbox(DEMO_WORLD, options=options) as sandbox:
        yield sandbox


@pytest.fixture
def client(channel_sandbox: EmbeddedSandbox) -> Iterator[TestClient]:
    app = create_app(channel_settings(channel_sandbox), runtime_factory(channel_sandbox))
    with TestClient(app) as test_client:
        yield test_client


STAFF = {"Authorization": f"Bearer {STAFF_KEY}"}
