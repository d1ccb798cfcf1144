"""OAuth 2.0 for the emulator: the grants the token endpoint accepts and the sessions it opens.

Two grants, as Baton uses them: client credentials, and the JWT bearer flow whose assertion is
decoded *without* verifying its signature (the sandbox holds no certificate). Access tokens
are opaque and live in memory for the life of the sandbox.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping

import jwt
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from sandbox.api_errors import ApiError
from sandbox.context import Credentials
from sandbox.http_auth import bearer_token, same_secret
from sandbox.salesforce.errors import INVALID_SESSION_ID

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
CLIENT_CREDENTIALS = "client_credentials"
# The sandbox org and the integration user the tokens belong to (not a User of the world).
ORG_ID = "00D000000000001AAA"
API_USER_ID = "005000000000000AAA"


class OAuthError(Exception):
    """A refused grant, answered with OAuth's own body rather than the REST error array."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description

    def response(self) -> JSONResponse:
        body = {"error": self.error, "error_description": self.description}
        return JSONResponse(body, status_code=400)


class TokenResponse(BaseModel):
    access_token: str
    instance_url: str
    id: str
    token_type: str = "Bearer"
    issued_at: str
    signature: str


class Sessions:
    """The access tokens the token endpoint has issued."""

    def __init__(self) -> None:
        self._tokens: set[str] = set()

    def open(self) -> str:
        # Shaped like Salesforce's: the org id (15 characters), "!", an opaque secret.
        token = f"{ORG_ID[:15]}!{secrets.token_urlsafe(48)}"
        self._tokens.add(token)
        return token

    def require(self, authorization: str | None) -> None:
        """Accept a request bearing an issued token; 401 ``INVALID_SESSION_ID`` otherwise."""
        token = bearer_token(authorization)
        if token is None or token not in self._tokens:
            raise ApiError(401, "Session expired or invalid", code=INVALID_SESSION_ID)


def check_grant(form: Mapping[str, str], credentials: Credentials) -> None:
    """Accept a client-credentials or JWT-bearer grant; ``OAuthError`` when refused."""
    grant_type = form.get("grant_type", "")
    if grant_type == CLIENT_CREDENTIALS:
        _check_client(form, credentials)
    elif grant_type == JWT_BEARER:
        _check_assertion(form.get("assertion", ""), credentials)
    else:
        raise OAuthError("unsupported_grant_type", "grant type not supported")


def token_response(
    token: str, instance_url: str, issued_at_ms: int, credentials: Credentials
) -> TokenResponse:
    identity = f"{instance_url}/id/{ORG_ID}/{API_USER_ID}"
    issued_at = str(issued_at_ms)
    return TokenResponse(
        access_token=token,
        instance_url=instance_url,
        id=identity,
        issued_at=issued_at,
        signature=_signature(identity, issued_at, credentials.salesforce_client_secret),
    )


def _check_client(form: Mapping[str, str], credentials: Credentials) -> None:
    client_ok = same_secret(form.get("client_id", ""), credentials.salesforce_client_id)
    secret_ok = same_secret(form.get("client_secret", ""), credentials.salesforce_client_secret)
    if not (client_ok and secret_ok):
        raise OAuthError("invalid_client", "invalid client credentials")


def _check_assertion(assertion: str, credentials: Credentials) -> None:
    # ``exp`` is checked against the wall clock, not the world's frozen now: the client signs
    # its assertion with the real time.
    try:
        claims = jwt.decode(
            assertion,
            options={
                "verify_signature": False,
                "verify_exp": True,
                "require": ["iss", "sub", "exp"],
            },
        )
    except jwt.ExpiredSignatureError as exc:
        raise OAuthError("invalid_grant", "expired authorization code") from exc
    except jwt.PyJWTError as exc:
        raise OAuthError("invalid_grant", f"invalid assertion: {exc}") from exc
    if claims["iss"] != credentials.salesforce_client_id:
        raise OAuthError("invalid_client_id", "client identifier invalid")
    if claims["sub"] != credentials.salesforce_username:
        raise OAuthError("invalid_grant", "user hasn't approved this consumer")


def _signature(identity: str, issued_at: str, client_secret: str) -> str:
    """Salesforce's ``signature``: base64 HMAC-SHA256 of ``id`` + ``issued_at``, keyed with
    the client secret, so a client can check the response came from its org."""
    digest = hmac.new(
        client_secret.encode(), (identity + issued_at).encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()
