"""Alloy's error body: ``{"status_code", "error": {"type", "message"}, "timestamp"}``."""

from __future__ import annotations

from http import HTTPStatus

from fastapi import Response
from fastapi.responses import JSONResponse

from sandbox.api_errors import ApiError

# Alloy names authentication failures this way; other statuses use the HTTP reason phrase.
_AUTH_FAILURE = "API Authentication Failure"


class AlloyErrors:
    """Renders errors as Alloy does; also the fault renderer of the KYC system."""

    def __init__(self, now_ms: int) -> None:
        # Alloy stamps errors with a Unix-milliseconds timestamp: the world's frozen now.
        self._now_ms = now_ms

    def render(self, error: ApiError) -> Response:
        body = {
            "status_code": error.status,
            "error": {"type": _error_type(error.status), "message": error.message},
            "timestamp": self._now_ms,
        }
        headers = {"WWW-Authenticate": 'Basic realm="kyc"'} if error.status == 401 else None
        return JSONResponse(body, status_code=error.status, headers=headers)

    def error(self, status: int, message: str) -> Response:
        return self.render(ApiError(status, message))

    def rate_limited(self, retry_after: int) -> Response:
        message = f"Rate limit exceeded; retry after {retry_after} seconds"
        response = self.render(ApiError(429, message))
        response.headers["Retry-After"] = str(retry_after)
        return response


def _error_type(status: int) -> str:
    if status == 401:
        return _AUTH_FAILURE
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a fault may inject a status the standard library does not name
        return "Error"
