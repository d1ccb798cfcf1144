"""Stripe's error body: ``{"error": {"type", "code"?, "message", "param"?}}``."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from fastapi.responses import JSONResponse

from sandbox.api_errors import ApiError


class StripeErrors:
    """Renders errors as Stripe does; also the fault renderer of the POS system."""

    def render(self, error: ApiError) -> Response:
        body: dict[str, Any] = {"type": error.error_type or _error_type(error.status)}
        # Stripe omits ``code`` and ``param`` when they do not apply.
        if error.code:
            body["code"] = error.code
        body["message"] = error.message
        if error.param:
            body["param"] = error.param
        headers = {"WWW-Authenticate": 'Basic realm="Stripe"'} if error.status == 401 else None
        return JSONResponse({"error": body}, status_code=error.status, headers=headers)

    def error(self, status: int, message: str) -> Response:
        return self.render(ApiError(status, message))

    def rate_limited(self, retry_after: int) -> Response:
        # Stripe's 429 body: type invalid_request_error, code rate_limit.
        message = (
            "Request rate limit exceeded. You can learn more about rate limits here "
            "https://stripe.com/docs/rate-limits."
        )
        response = self.render(ApiError(429, message, code="rate_limit"))
        response.headers["Retry-After"] = str(retry_after)
        return response


def _error_type(status: int) -> str:
    return "api_error" if status >= 500 else "invalid_request_error"
