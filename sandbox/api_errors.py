"""One error type for the vendor emulators and the handlers that keep errors native.

Route code raises ``ApiError``; ``install_error_handlers`` turns it, FastAPI's own errors
(unknown path, wrong method, invalid parameters) and unexpected exceptions into the system's
native body through its renderer, so no framework-shaped ``{"detail": ...}`` escapes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, TypeVar

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from sandbox.faults import ErrorRenderer

Model = TypeVar("Model", bound=BaseModel)

# Stripe's parameter error codes, keyed by pydantic error type. Only the POS renderer shows
# codes; the mapping lives here because the conversion of validation errors is shared.
_PARAM_CODES = {
    "missing": "parameter_missing",
    "extra_forbidden": "parameter_unknown",
    "int_parsing": "parameter_invalid_integer",
    "string_too_short": "parameter_invalid_string_empty",
}
# Where FastAPI reports a request part rather than a parameter name.
_REQUEST_PARTS = {"query", "body", "path", "header", "cookie"}


class ApiError(Exception):
    """A refusal worded by the emulator: status, message and optional code/param/type."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        error_type: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.param = param
        # Overrides the renderer's usual type for the status where the vendor names a
        # distinct one (Stripe's ``idempotency_error``).
        self.error_type = error_type


class ApiErrorRenderer(ErrorRenderer, Protocol):
    """An ``ErrorRenderer`` that can also render an ``ApiError`` with its code and param."""

    def render(self, error: ApiError) -> Response: ...


def invalid_parameters(errors: Sequence[Mapping[str, Any]]) -> ApiError:
    """The first pydantic/FastAPI validation error as a 400 naming the parameter."""
    first = errors[0]
    kind = str(first.get("type", ""))
    loc = [str(part) for part in first.get("loc", ())]
    if loc and loc[0] in _REQUEST_PARTS:
        loc = loc[1:]
    param = ".".join(loc) or None
    if kind == "json_invalid":
        return ApiError(400, "Invalid request body: not valid JSON")
    if param is None:
        # The request as a whole is wrong (no body, or not an object), not one parameter.
        if kind == "missing":
            return ApiError(400, "Missing request body")
        return ApiError(400, f"Invalid request: {first.get('msg', kind)}")
    if kind == "missing":
        message = f"Missing required param: {param}."
    elif kind == "extra_forbidden":
        message = f"Received unknown parameter: {param}"
    else:
        message = f"Invalid {param}: {first.get('msg', kind)}"
    return ApiError(400, message, code=_PARAM_CODES.get(kind), param=param)


def validated(model: type[Model], data: Mapping[str, Any]) -> Model:
    """``model.model_validate(data)``, refusing invalid input with a native 400."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_parameters(exc.errors()) from exc


def install_error_handlers(app: FastAPI, renderer: ApiErrorRenderer) -> None:
    """Render every error ``app`` can produce in the system's native shape."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return renderer.render(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code in (404, 405):
            # Routing misses: worded like Stripe's "Unrecognized request URL", which reads
            # well for any vendor and names the path relative to the system's base URL.
            path = request.url.path.removeprefix(request.scope.get("root_path", ""))
            message = f"Unrecognized request URL ({request.method}: {path})"
            return renderer.render(ApiError(404, message))
        return renderer.render(ApiError(exc.status_code, str(exc.detail)))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return renderer.render(invalid_parameters(exc.errors()))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        return renderer.render(ApiError(500, "An unexpected error occurred"))
