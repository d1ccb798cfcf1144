"""Fault injection: make a system slow, failing, rate limited, hanging or garbled.

A fault is described by a small spec string, used both in configuration and per request in the
``X-Sandbox-Fault`` header::

    latency=100            add 100 ms before answering
    status=503             answer with that HTTP status and the system's native error body
    rate_limit             the system's native limit answer (Salesforce: 403
                           REQUEST_LIMIT_EXCEEDED; the others: 429 + Retry-After)
    retry_after=2          Retry-After seconds for rate_limit (default 1)
    hang                   never answer (until the client gives up or the sandbox stops)
    malformed              200 with a body that is not valid JSON
    p=0.3                  apply the fault to that fraction of requests only

Parts combine with commas: ``latency=50,status=500,p=0.5``.
"""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING, Protocol

from fastapi import FastAPI, Response
from pydantic import BaseModel, Field
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

if TYPE_CHECKING:  # sandbox.context imports FaultSpec from this module
    from sandbox.context import SandboxContext

FAULT_HEADER = "X-Sandbox-Fault"


class FaultError(ValueError):
    """A fault spec that cannot be parsed."""


class FaultSpec(BaseModel):
    latency_ms: int = Field(0, ge=0)
    status: int | None = Field(None, ge=400, le=599)
    rate_limit: bool = False
    retry_after: int = Field(1, ge=0)
    hang: bool = False
    malformed: bool = False
    p: float = Field(1.0, ge=0.0, le=1.0)

    @classmethod
    def parse(cls, text: str) -> FaultSpec:
        fields: dict[str, object] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            key, _, value = part.partition("=")
            key = key.strip().lower().replace("-", "_")
            try:
                if key in ("latency", "latency_ms"):
                    fields["latency_ms"] = int(value)
                elif key in ("status", "retry_after"):
                    fields[key] = int(value)
                elif key == "p":
                    fields["p"] = float(value)
                elif key in ("rate_limit", "hang", "malformed") and not value:
                    fields[key] = True
                else:
                    raise FaultError(f"unknown fault part {part!r}")
            except ValueError as exc:
                raise FaultError(f"bad fault part {part!r}: {exc}") from exc
        try:
            return cls(**fields)
        except ValueError as exc:
            raise FaultError(f"bad fault spec {text!r}: {exc}") from exc

    @property
    def is_noop(self) -> bool:
        return not (
            self.latency_ms or self.status or self.rate_limit or self.hang or self.malformed
        )


class ErrorRenderer(Protocol):
    """How one system words its errors; every emulator provides one."""

    def error(self, status: int, message: str) -> Response: ...

    def rate_limited(self, retry_after: int) -> Response: ...


def install_faults(app: FastAPI, system: str, ctx: SandboxContext, renderer: ErrorRenderer) -> None:
    """Count every request of ``system`` and apply its configured or per-request fault.

    The configured faults and the counts are the context's own (shared) dicts, so the control
    API's changes apply to requests already routed to this app.
    """
    app.add_middleware(
        FaultInjection,
        system=system,
        configured=ctx.options.faults,
        stats=ctx.stats,
        renderer=renderer,
        hang_s=ctx.options.hang_s,
    )


class FaultInjection:
    """Pure-ASGI middleware (see ``sandbox.middleware``) injecting one system's faults."""

    def __init__(
        self,
        app: ASGIApp,
        system: str,
        configured: dict[str, FaultSpec],
        stats: dict[str, int],
        renderer: ErrorRenderer,
        hang_s: float,
    ) -> None:
        self.app = app
        self.system = system
        self.configured = configured
        self.stats = stats
        self.renderer = renderer
        self.hang_s = hang_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.stats[self.system] = self.stats.get(self.system, 0) + 1
        answer = await self._fault(Headers(scope=scope).get(FAULT_HEADER))
        await (answer or self.app)(scope, receive, send)

    async def _fault(self, header: str | None) -> Response | None:
        """The injected answer, after any injected delay; None to let the request through."""
        try:
            spec = FaultSpec.parse(header) if header else self.configured.get(self.system)
        except FaultError as exc:
            return self.renderer.error(400, f"{FAULT_HEADER}: {exc}")
        if spec is None or spec.is_noop or random.random() >= spec.p:
            return None
        if spec.latency_ms:
            await asyncio.sleep(spec.latency_ms / 1000)
        if spec.hang:
            await asyncio.sleep(self.hang_s)
        if spec.rate_limit:
            return self.renderer.rate_limited(spec.retry_after)
        if spec.status:
            return self.renderer.error(spec.status, "Injected fault")
        if spec.malformed:
            return Response('{"truncated": [1, 2', media_type="application/json")
        return None
