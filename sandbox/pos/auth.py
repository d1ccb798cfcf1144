"""Secret-key auth as Stripe does it: ``Bearer <key>``, or HTTP Basic with the key as username.

Fiserv-style boarding shares the key: the emulated vendor exposes both APIs with one key.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from fastapi import Request

from sandbox.api_errors import ApiError
from sandbox.context import Credentials
from sandbox.http_auth import basic_credentials, bearer_token, same_secret

_NO_KEY = (
    "You did not provide an API key. You need to provide your API key in the Authorization "
    "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
)
# Stripe keeps a key's kind and mode visible when it echoes a rejected key (``sk_test_``).
_KEY_PREFIX = re.compile(r"[a-z]{2,4}_(?:test|live)_")


def api_key_auth(credentials: Credentials) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency refusing requests without the demo secret key."""

    async def check(request: Request) -> None:
        header = request.headers.get("Authorization")
        if not header:
            raise ApiError(401, _NO_KEY)
        key = _presented_key(header)
        if key is None or not same_secret(key, credentials.pos_api_key):
            raise ApiError(401, f"Invalid API Key provided: {redacted(key or header)}")

    return check


def redacted(key: str) -> str:
    """``sk_test_abcdefgh1234`` → ``sk_test_********1234``: enough to recognise, not reuse."""
    prefix = match.group() if (match := _KEY_PREFIX.match(key)) else ""
    secret = key[len(prefix) :]
    shown = secret[-4:] if len(secret) > 8 else ""
    return prefix + "*" * (len(secret) - len(shown)) + shown


def _presented_key(header: str) -> str | None:
    if (token := bearer_token(header)) is not None:
        return token
    basic = basic_credentials(header)
    return basic.username if basic else None
