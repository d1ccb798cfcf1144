"""Zendesk's error bodies, and the handlers that keep framework-shaped errors from escaping."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

Details = dict[str, list[dict[str, str]]]


class ZendeskError(Exception):
    """An error answered with Zendesk's own status and JSON body."""

    def __init__(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = body
        self.headers = headers or {}

    def response(self) -> Response:
        return JSONResponse(self.body, status_code=self.status, headers=self.headers)


def not_found() -> ZendeskError:
    return ZendeskError(404, {"error": "RecordNotFound", "description": "Not found"})


def unauthenticated() -> ZendeskError:
    return ZendeskError(401, {"error": "Couldn't authenticate you"})


def record_invalid(details: Details) -> ZendeskError:
    return ZendeskError(
        422,
        {"error": "RecordInvalid", "description": "Record validation errors", "details": details},
    )


def field_error(field: str, message: str, error: str = "InvalidValue") -> dict[str, str]:
    """One entry of ``details``: Zendesk prefixes the message with the field's title."""
    title = field.replace("_", " ").capitalize()
    return {"description": f"{title}: {message}", "error": error}


def invalid_attribute(name: str, message: str) -> ZendeskError:
    """A bad query parameter, in the shape Zendesk uses for them (an object under ``error``)."""
    return ZendeskError(
        400,
        {
            "error": {
                "title": "Invalid attribute",
                "message": f"You passed an invalid value for the {name} attribute. {message}",
            }
        },
    )


def invalid_query(problem: str, query: str) -> ZendeskError:
    """A search query the parser rejects; the description names the problem."""
    return ZendeskError(
        422,
        {
            "error": "InvalidQuery",
            "description": f"Invalid search: {problem}",
            "details": {"query": query},
        },
    )


# Zendesk's exact answer for a page past the 1,000th result; zenpy keys on "invalid" + 422.
_SEARCH_LIMIT = "Invalid search: Requested response size was greater than Search Response Limits"


def search_limit_exceeded() -> ZendeskError:
    return ZendeskError(422, {"error": "invalid", "description": _SEARCH_LIMIT})


def rate_limited_response(retry_after: int) -> Response:
    """Zendesk answers a spent rate limit with a bare text body and ``Retry-After``."""
    return PlainTextResponse(
        "Too Many Requests", status_code=429, headers={"Retry-After": str(retry_after)}
    )


class ZendeskErrorRenderer:
    """The ``ErrorRenderer`` used by fault injection."""

    def error(self, status: int, message: str) -> Response:
        if status == 404:
            return not_found().response()
        return JSONResponse(
            {"error": _STATUS_ERRORS.get(status, "ServerError"), "description": message},
            status_code=status,
        )

    def rate_limited(self, retry_after: int) -> Response:
        return rate_limited_response(retry_after)


_STATUS_ERRORS = {
    400: "BadRequest",
    401: "Couldn't authenticate you",
    403: "Forbidden",
    409: "Conflict",
    422: "Unprocessable Entity",
    500: "InternalError",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error, including the framework's own, with a Zendesk-shaped body."""

    @app.exception_handler(ZendeskError)
    async def _zendesk(_: Request, exc: ZendeskError) -> Response:
        return exc.response()

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> Response:
        # Unknown paths and methods alike: Zendesk answers both as a missing record.
        if exc.status_code in (404, 405):
            return not_found().response()
        return ZendeskErrorRenderer().error(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> Response:
        return _validation_error(exc).response()


def _validation_error(exc: RequestValidationError) -> ZendeskError:
    """Map a request validation failure: body → 422 RecordInvalid, parameters → 400."""
    errors = exc.errors()
    first = errors[0]
    location, *path = first["loc"]
    if location == "body":
        details: Details = {}
        for error in errors:
            # loc is ("body", "ticket", field, ...) for a well-formed body, ("body", n) for bad JSON
            field = next((str(p) for p in reversed(error["loc"][1:]) if isinstance(p, str)), "base")
            details.setdefault(field, []).append(field_error(field, error["msg"]))
        return record_invalid(details)
    if location == "path":
        return not_found()
    name = str(path[0]) if path else location
    return invalid_attribute(name, f"Invalid parameter: {name} {first['msg'].lower()}")
