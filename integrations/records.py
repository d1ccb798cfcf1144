"""What every client's records share: the pydantic base and reading bodies into models."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from integrations.errors import BadResponse

M = TypeVar("M", bound=BaseModel)


class Record(BaseModel):
    """A back-office record: the fields Baton reads, typed; every other field kept as is."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Envelope(BaseModel):
    """A response wrapper (``{"ticket": {...}}``); its own extra members are not needed."""

    model_config = ConfigDict(extra="ignore")


def parse(system: str, model: type[M], data: Any) -> M:
    """``data`` as ``model``; a body of an unexpected shape is the system's fault: BadResponse."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BadResponse(
            system, f"unexpected {model.__name__} shape: {_first_error(exc)}"
        ) from exc


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "body"
    return f"{where}: {error['msg']} ({exc.error_count()} error(s))"
