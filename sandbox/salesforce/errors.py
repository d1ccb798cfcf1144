"""Salesforce's error body: a JSON array ``[{"message", "errorCode", "fields"?}]``."""

from __future__ import annotations

from fastapi import Response
from fastapi.responses import JSONResponse

from sandbox.api_errors import ApiError

INVALID_SESSION_ID = "INVALID_SESSION_ID"
NOT_FOUND = "NOT_FOUND"
REQUEST_LIMIT_EXCEEDED = "REQUEST_LIMIT_EXCEEDED"
INVALID_FIELD_FOR_INSERT_UPDATE = "INVALID_FIELD_FOR_INSERT_UPDATE"
REQUIRED_FIELD_MISSING = "REQUIRED_FIELD_MISSING"
JSON_PARSER_ERROR = "JSON_PARSER_ERROR"
INVALID_QUERY_LOCATOR = "INVALID_QUERY_LOCATOR"

NO_SUCH_RESOURCE = "The requested resource does not exist"
LIMIT_EXCEEDED_MESSAGE = "TotalRequests Limit exceeded."

# errorCode of errors raised without one (routing misses, injected faults). Salesforce has no
# generic 400 code; BAD_REQUEST names the status.
_CODES_BY_STATUS = {
    400: "BAD_REQUEST",
    401: INVALID_SESSION_ID,
    403: REQUEST_LIMIT_EXCEEDED,
    404: NOT_FOUND,
    503: "SERVER_UNAVAILABLE",
}
_DEFAULT_CODE = "UNKNOWN_EXCEPTION"


def not_found(message: str = NO_SUCH_RESOURCE) -> ApiError:
    return ApiError(404, message, code=NOT_FOUND)


def limit_exceeded() -> ApiError:
    return ApiError(403, LIMIT_EXCEEDED_MESSAGE, code=REQUEST_LIMIT_EXCEEDED)


class SalesforceErrors:
    """Renders errors as Salesforce does; also the fault renderer of the Salesforce system."""

    def render(self, error: ApiError) -> Response:
        body: dict[str, object] = {
            "message": error.message,
            "errorCode": error.code or _CODES_BY_STATUS.get(error.status, _DEFAULT_CODE),
        }
        if error.param:
            body["fields"] = [error.param]
        return JSONResponse([body], status_code=error.status)

    def error(self, status: int, message: str) -> Response:
        return self.render(ApiError(status, message))

    def rate_limited(self, retry_after: int) -> Response:
        # Salesforce answers a spent allowance with 403 and no Retry-After (it resets daily).
        return self.render(limit_exceeded())
