"""Shared fixtures: sandboxes on loopback (port 0) over the mini and demo worlds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from config import DEMO_WORLD
from sandbox.server import EmbeddedSandbox

MINI_WORLD = Path(__file__).parent / "worlds" / "mini"


@pytest.fixture(scope="session")
def mini_sandbox() -> Iterator[EmbeddedSandbox]:
    """A read-mostly sandbox over the mini world, shared by the session.

    Tests that write must only read back what they wrote themselves (or use
    ``fresh_sandbox``), so the suite passes in any order.
    """
    with EmbeddedSandbox(MINI_WORLD) as sb:
        yield sb


@pytest.fixture
def fresh_sandbox() -> Iterator[EmbeddedSandbox]:
    """A sandbox of its own over the mini world, for tests that change shared state."""
    with EmbeddedSandbox(MINI_WORLD) as sb:
        yield sb


@pytest.fixture(scope="session")
def demo_sandbox() -> Iterator[EmbeddedSandbox]:
    with EmbeddedSandbox(DEMO_WORLD) as sb:
        yield sb
