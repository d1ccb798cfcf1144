"""Pure-ASGI plumbing for the emulators' middleware.

Starlette's ``@app.middleware("http")`` (``BaseHTTPMiddleware``) runs every request's app in a
task of its own and streams the response through a memory channel; with three such layers a
sandbox request cost more in plumbing than in the emulator itself. Layers written against ASGI
directly only wrap ``send``.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Send


def with_headers(send: Send, headers: Callable[[], dict[str, str]]) -> Send:
    """``send``, adding (or replacing) ``headers()`` on the response's start message.

    ``headers`` is called when the response starts, i.e. after the app has run, so it can
    report what the request changed (a usage count, a remaining budget).
    """

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            response_headers = MutableHeaders(scope=message)
            for name, value in headers().items():
                response_headers[name] = value
        await send(message)

    return send_with_headers
