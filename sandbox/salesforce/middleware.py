"""ASGI layers that make every answer look like Salesforce's, whatever produced it."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from sandbox.middleware import with_headers
from sandbox.salesforce.usage import LIMIT_HEADER, ApiUsage


def install_limit_info(app: FastAPI, usage: ApiUsage) -> None:
    """Send ``Sforce-Limit-Info`` on every response. Install it after the faults, so that it
    wraps them and injected failures carry the header too."""
    app.add_middleware(LimitInfo, usage=usage)


class LimitInfo:
    """Pure-ASGI layer adding the usage header once the request has been counted."""

    def __init__(self, app: ASGIApp, usage: ApiUsage) -> None:
        self.app = app
        self.usage = usage

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            send = with_headers(send, lambda: {LIMIT_HEADER: self.usage.header()})
        await self.app(scope, receive, send)


class IgnoreTrailingSlash:
    """Serve ``/query/`` as ``/query``, as Salesforce does.

    simple-salesforce calls ``.../query/?q=`` and ``POST .../sobjects/Task/``; a redirect would
    not do, because clients drop the ``Authorization`` header when following one.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and len(path) > 1 and path.endswith("/"):
            scope = {**scope, "path": path.rstrip("/")}
        await self.app(scope, receive, send)
