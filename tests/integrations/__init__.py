"""Shared helpers of the integration tests: settings pointing at a sandbox, fast transports."""

from __future__ import annotations

import httpx

from config import Settings, TransportSettings
from sandbox.embedded import sandbox_settings
from sandbox.server import EmbeddedSandbox

# Small budgets and backoffs keep fault tests fast; a breaker that never opens by accident.
FAST_TRANSPORT = TransportSettings(
    timeout_s=2.0,
    connect_timeout_s=0.5,
    retries=2,
    backoff_base_s=0.01,
    backoff_max_s=0.02,
    max_retry_after_s=1.5,
    breaker_failures=100,
    breaker_reset_s=1.0,
)


def settings_for(
    sandbox: EmbeddedSandbox, transport: TransportSettings = FAST_TRANSPORT
) -> Settings:
    """Settings for every client against ``sandbox`` with its demo credentials."""
    base = Settings(_env_file=None)  # type: ignore[call-arg] - pydantic-settings init option
    for system in ("salesforce", "zendesk", "kyc", "pos"):
        setattr(base, system, getattr(base, system).model_copy(update={"transport": transport}))
    return sandbox_settings(base, sandbox)


class LosesResponses(httpx.AsyncBaseTransport):
    """A real network transport that lets the first ``count`` ``method`` requests reach the
    server, then loses their answers: the ambiguous failure idempotency keys exist for."""

    def __init__(self, method: str, count: int = 1) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._method = method
        self.remaining = count

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if request.method == self._method and self.remaining > 0:
            self.remaining -= 1
            await response.aclose()
            raise httpx.ReadError("connection reset after the request was sent", request=request)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()
