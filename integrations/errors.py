"""The typed errors every back-office client raises.

Callers (the journey engine, tools) decide what to do from the *type*: ``NotFound`` is an answer,
``Unavailable`` makes a partial view, ``RateLimited`` says when to come back, ``AuthError`` and
``InvalidRequest`` are configuration or programming mistakes. Each error names its system, the
HTTP status and the system's native error code where there was one.
"""

from __future__ import annotations

from pydantic import SecretStr


class IntegrationError(Exception):
    """Any failure talking to a back-office system."""

    def __init__(
        self, system: str, message: str, status: int | None = None, code: str | None = None
    ) -> None:
        self.system = system
        self.message = message
        self.status = status
        self.code = code
        super().__init__(self._describe())

    def _describe(self) -> str:
        details = ", ".join(
            part for part in (f"HTTP {self.status}" if self.status else "", self.code or "") if part
        )
        return f"{self.system}: {self.message}" + (f" ({details})" if details else "")


class AuthError(IntegrationError):
    """The system refused Baton's credentials (401, or a rejected token request)."""


class NotFound(IntegrationError):
    """The record does not exist (404)."""


class RateLimited(IntegrationError):
    """The system's rate or usage limit is spent.

    ``retry_after`` is the wait in seconds the system asked for, or ``None`` when it gave none
    (Salesforce's daily ``REQUEST_LIMIT_EXCEEDED`` does not reset within any sensible wait).
    """

    def __init__(
        self,
        system: str,
        message: str,
        status: int | None = None,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(system, message, status, code)


class Unavailable(IntegrationError):
    """The system could not answer: 5xx, connection failure, or out of time."""


class Timeout(Unavailable):
    """The call's time budget ran out (retries and waits included)."""


class CircuitOpen(Unavailable):
    """Recent calls to the system kept failing; Baton is not calling it for a while."""


class BadResponse(IntegrationError):
    """The system answered with a body Baton cannot read (not JSON, or an unexpected shape)."""


class InvalidRequest(IntegrationError):
    """The system rejected the request itself (400/409/422) with its native code and message."""


class NotConfigured(ValueError):
    """A client was built without a setting it cannot work without."""


def required(value: str | SecretStr | None, env_var: str) -> str:
    """A setting's value (secrets unwrapped), or ``NotConfigured`` naming its variable."""
    text = value.get_secret_value() if isinstance(value, SecretStr) else value
    if not text:
        raise NotConfigured(f"{env_var} is not set")
    return text
