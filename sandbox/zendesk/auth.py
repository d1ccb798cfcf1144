"""API-token authentication, as Zendesk checks it."""

from __future__ import annotations

import base64
import binascii
import hmac

from fastapi import Request

from sandbox.context import Credentials
from sandbox.zendesk.errors import unauthenticated


def authorization_header(credentials: Credentials) -> str:
    """The header value a client sends for ``credentials`` (API-token Basic auth)."""
    raw = f"{credentials.zendesk_email}/token:{credentials.zendesk_api_token}"
    return "Basic " + base64.b64encode(raw.encode()).decode()


def is_authorized(authorization: str | None, credentials: Credentials) -> bool:
    """``Basic base64("{email}/token:{api_token}")`` or ``Bearer {api_token}``."""
    scheme, _, value = (authorization or "").partition(" ")
    token = credentials.zendesk_api_token
    if scheme.lower() == "bearer":
        return hmac.compare_digest(value.strip(), token)
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return False
    user, _, secret = decoded.partition(":")
    expected_user = f"{credentials.zendesk_email}/token"
    # Email addresses are case-insensitive; the token is not.
    return user.lower() == expected_user.lower() and hmac.compare_digest(secret, token)


async def require_auth(request: Request) -> None:
    """Route dependency: 401 unless the request carries the sandbox's API token."""
    ctx = request.app.state.ctx
    if not is_authorized(request.headers.get("Authorization"), ctx.options.credentials):
        raise unauthenticated()
