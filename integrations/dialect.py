"""How one system words its errors and limits: the per-client hooks of the shared transport.

The transport knows HTTP; a ``Dialect`` knows one product. Each client subclasses it to read its
native error body into (code, message), to classify the product's special answers (Salesforce's
403 ``REQUEST_LIMIT_EXCEEDED`` is a rate limit, not a permission problem) and to read its
limit headers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from pydantic import BaseModel

from integrations.errors import (
    AuthError,
    IntegrationError,
    InvalidRequest,
    NotFound,
    RateLimited,
    Unavailable,
)

_SNIPPET = 200


@dataclass(frozen=True)
class ErrorDetail:
    """A system's native error, reduced to what every caller can use."""

    message: str
    code: str | None = None


class LimitSnapshot(BaseModel, frozen=True):
    """The last usage figures a system reported in its response headers."""

    system: str
    limit: int | None = None
    used: int | None = None
    remaining: int | None = None
    observed_at: datetime


class Dialect:
    """Defaults that follow plain HTTP semantics; subclasses override what their product does."""

    system: str = "http"

    def error_detail(self, response: httpx.Response) -> ErrorDetail:
        """The native (code, message) of an error response; the body may be anything."""
        return ErrorDetail(message=body_snippet(response))

    def classify(self, response: httpx.Response, detail: ErrorDetail) -> IntegrationError:
        """The typed error for a non-2xx response whose native error is ``detail``."""
        status = response.status_code
        args = (self.system, detail.message, status, detail.code)
        if status in (401, 403):
            return AuthError(*args)
        if status == 404:
            return NotFound(*args)
        if status == 429:
            return RateLimited(*args, retry_after=parse_retry_after(response.headers))
        if status >= 500:
            return Unavailable(*args)
        return InvalidRequest(*args)

    def session_expired(self, error: IntegrationError) -> bool:
        """True when a fresh token would make the same request succeed."""
        return False

    def limits(self, headers: httpx.Headers) -> LimitSnapshot | None:
        return None


def json_body(response: httpx.Response) -> Any:
    """The decoded body of an error response, or ``None`` when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None


def body_snippet(response: httpx.Response) -> str:
    text = response.text.strip()
    return text[:_SNIPPET] if text else response.reason_phrase or f"HTTP {response.status_code}"


def parse_retry_after(headers: httpx.Headers) -> float | None:
    """``Retry-After`` as seconds from now; it may be delta-seconds or an HTTP date."""
    value = headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; parsedate gives naive for "-0000".
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def header_int(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
