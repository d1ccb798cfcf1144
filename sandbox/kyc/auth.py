"""HTTP Basic auth with the workflow token (username) and secret (password), as Alloy does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request

from sandbox.api_errors import ApiError
from sandbox.context import Credentials
from sandbox.http_auth import basic_credentials, same_secret


def workflow_auth(credentials: Credentials) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency refusing requests without the demo workflow credentials."""

    async def check(request: Request) -> None:
        given = basic_credentials(request.headers.get("Authorization"))
        if given is None:
            raise ApiError(
                401,
                "Missing HTTP Basic credentials: send the workflow token as username and "
                "the workflow secret as password",
            )
        # Both compared (no short-circuit) so the answer time does not reveal which was wrong.
        token_ok = same_secret(given.username, credentials.kyc_workflow_token)
        secret_ok = same_secret(given.password, credentials.kyc_workflow_secret)
        if not (token_ok and secret_ok):
            raise ApiError(401, "Invalid workflow token or secret")

    return check
