"""The journey tests' demo back office (Zendesk's per-minute limit lifted) and service."""

from tests.journeys.conftest import journey_sandbox, service

__all__ = ["journey_sandbox", "service"]
