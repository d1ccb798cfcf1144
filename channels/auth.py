"""API keys → principals, and the signed customer tokens a chatbot key must present.

A request carries ``Authorization: Bearer <key>``. A ``staff`` key is a staff principal with the
key's role. A ``chatbot`` key is the bank's portal bot speaking for one customer at a time: it
must add ``X-Customer-Token``, a JWT (HS256, i.e. HMAC-SHA256 with the key's
``customer_token_secret``) whose claims name the customer (``sub``) and their account
(``account_id``), with ``iat`` and ``exp``. Baton never trusts an account id the bot merely
sends: only one the bank's portal signed. ``docs/security.md`` has the details.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass

import jwt
from pydantic import SecretStr

from channels.errors import ApiError
from config import ApiKey, Settings
from tools.policy import Principal

CUSTOMER_TOKEN_HEADER = "X-Customer-Token"
TOKEN_AUDIENCE = "baton"
TOKEN_LEEWAY_S = 30  # clock skew tolerated between the portal and Baton

# Embedded demo mode only (``with_demo_keys``): never accepted against a configured back office.
DEMO_STAFF_KEY = "baton-demo-staff-key"
DEMO_CHATBOT_KEY = "baton-demo-chatbot-key"
DEMO_TOKEN_SECRET = "baton-demo-customer-token-secret-0123456789"


def demo_keys() -> list[ApiKey]:
    return [
        ApiKey(
            name="demo-staff",
            key=SecretStr(DEMO_STAFF_KEY),
            kind="staff",
            role="relationship_manager",
        ),
        ApiKey(
            name="demo-chatbot",
            key=SecretStr(DEMO_CHATBOT_KEY),
            kind="chatbot",
            customer_token_secret=SecretStr(DEMO_TOKEN_SECRET),
        ),
    ]


def with_demo_keys(settings: Settings) -> Settings:
    """``settings`` plus the demo keys (the caller checks that this is the embedded demo)."""
    api = settings.api.model_copy(update={"keys": [*settings.api.keys, *demo_keys()]})
    return settings.model_copy(update={"api": api})


@dataclass(frozen=True)
class Caller:
    """Who is calling: the principal the agent and tools see, and the key it came with."""

    principal: Principal
    key_name: str

    @property
    def bucket(self) -> str:
        """Rate-limit and conversation namespace: one per principal."""
        return f"{self.key_name}:{self.principal.id}"


def _unauthenticated(code: str, message: str) -> ApiError:
    return ApiError(401, code, message, {"WWW-Authenticate": 'Bearer realm="baton"'})


def sign_customer_token(
    secret: str, *, subject: str, account_id: str, ttl_s: int = 900, now: float | None = None
) -> str:
    """What the bank's portal does for each customer session (also used by tests and docs)."""
    issued = int(now if now is not None else time.time())
    claims = {
        "sub": subject,
        "account_id": account_id,
        "aud": TOKEN_AUDIENCE,
        "iat": issued,
        "exp": issued + ttl_s,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


class Authenticator:
    def __init__(self, keys: list[ApiKey], customer_token_max_ttl_s: int) -> None:
        self._keys = keys
        self._max_ttl_s = customer_token_max_ttl_s

    def caller(self, authorization: str | None, customer_token: str | None) -> Caller:
        """The caller these headers prove, or ``ApiError`` 401."""
        scheme, _, presented = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not presented.strip():
            raise _unauthenticated(
                "unauthenticated", "Send 'Authorization: Bearer <API key>' (see docs/http-api.md)."
            )
        key = self._key(presented.strip())
        if key is None:
            raise _unauthenticated("invalid_api_key", "The API key is not recognised.")
        if key.kind == "staff":
            assert key.role is not None  # ApiKey validates this
            principal = Principal(kind="staff", id=f"api:{key.name}", role=key.role)
            return Caller(principal, key.name)
        return Caller(self._customer(key, customer_token), key.name)

    def _key(self, presented: str) -> ApiKey | None:
        # Compare against every key in constant time: timing must not reveal a near match.
        found = None
        for key in self._keys:
            if hmac.compare_digest(key.key.get_secret_value().encode(), presented.encode()):
                found = key
        return found

    def _customer(self, key: ApiKey, token: str | None) -> Principal:
        if not token:
            raise _unauthenticated(
                "customer_token_required",
                f"A chatbot key must send {CUSTOMER_TOKEN_HEADER} naming the customer's account.",
            )
        assert key.customer_token_secret is not None  # ApiKey validates this
        try:
            claims = jwt.decode(
                token,
                key.customer_token_secret.get_secret_value(),
                algorithms=["HS256"],
                audience=TOKEN_AUDIENCE,
                leeway=TOKEN_LEEWAY_S,
                options={"require": ["sub", "account_id", "iat", "exp"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise _unauthenticated("invalid_customer_token", "The customer token expired.") from exc
        except jwt.InvalidTokenError as exc:
            raise _unauthenticated("invalid_customer_token", f"Customer token: {exc}.") from exc
        if int(claims["exp"]) - int(claims["iat"]) > self._max_ttl_s:
            raise _unauthenticated(
                "invalid_customer_token",
                f"Customer tokens may live at most {self._max_ttl_s} s; issue shorter ones.",
            )
        account_id, subject = claims["account_id"], claims["sub"]
        if not isinstance(account_id, str) or not account_id or not isinstance(subject, str):
            raise _unauthenticated("invalid_customer_token", "Malformed customer token claims.")
        return Principal(kind="customer", id=f"{key.name}:{subject}", account_id=account_id)
