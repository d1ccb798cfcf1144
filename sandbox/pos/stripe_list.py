"""Stripe list requests and responses: ``limit``, cursors, ``metadata[key]`` filters.

Stripe rejects parameters it does not know ("Received unknown parameter"), so the sandbox does
too: a client typo fails here as it would against the real API.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field

from sandbox.api_errors import ApiError, validated
from sandbox.paging import CursorPage
from sandbox.store import Record

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
_METADATA_KEY = re.compile(r"metadata\[(.+)\]")


class ListParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    starting_after: str | None = Field(None, min_length=1)
    ending_before: str | None = Field(None, min_length=1)
    metadata: dict[str, str] = Field(default_factory=dict)

    def matches(self, record: Record) -> bool:
        """Whether ``record`` carries every requested ``metadata[key]=value``."""
        metadata = record.get("metadata") or {}
        return all(
            key in metadata and str(metadata[key]) == value for key, value in self.metadata.items()
        )


async def list_params(request: Request) -> ListParams:
    """A FastAPI dependency: the request's list parameters, or a native 400."""
    metadata: dict[str, str] = {}
    plain: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if match := _METADATA_KEY.fullmatch(key):
            metadata[match.group(1)] = value
        else:
            plain[key] = value
    # A bare ``metadata=`` comes after the collected dict, so it fails validation as invalid.
    params = validated(ListParams, {"metadata": metadata, **plain})
    if params.starting_after and params.ending_before:
        raise ApiError(
            400,
            "You may only specify one of these parameters: ending_before, starting_after.",
            code="parameters_exclusive",
        )
    return params


def list_object(url: str, page: CursorPage, object_name: str) -> dict[str, Any]:
    return {
        "object": "list",
        "data": [stripe_object(record, object_name) for record in page.data],
        "has_more": page.has_more,
        "url": url,
    }


def stripe_object(record: Record, object_name: str) -> Record:
    """A stored record as Stripe serialises it: ``id`` and ``object`` first, test mode, and
    the fields Stripe always sends; the world's own values win."""
    return {"id": record["id"], "object": object_name, "livemode": False, "metadata": {}, **record}
