"""ASGI layers that make every answer look like Salesforce's, whatever produced it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sandbox.salesforce.usage import LIMIT_HEADER, ApiUsage


def install_limit_info(app: FastAPI, usage: ApiUsage) -> None:
    """Send ``Sforce-Limit-Info`` on every response. Install it after the faults, so that it
    wraps them and injected failures carry the header too."""

    @app.middleware("http")
    async def _limit_info(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers[LIMIT_HEADER] = usage.header()
        return response


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
