"""Zendesk's ``Idempotency-Key`` for ticket creation: a retried create replays the first answer.

Keys live in the store's meta table, so they last as long as the sandbox database, like the
tickets they protect. Callers hold the writer's lock across lookup, create and remember, so
two concurrent retries cannot both create.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sandbox.store import Store
from sandbox.zendesk.errors import ZendeskError

HEADER = "Idempotency-Key"
LOOKUP_HEADER = "x-idempotency-lookup"
_META_PREFIX = "zendesk.idempotency:"


@dataclass(frozen=True)
class Remembered:
    status: int
    body: dict[str, Any]


def fingerprint(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class IdempotencyKeys:
    def __init__(self, store: Store) -> None:
        self._store = store

    def lookup(self, key: str, request_fingerprint: str) -> Remembered | None:
        """The first answer given for ``key``; 400 when it was given for another body."""
        raw = self._store.get_meta(_META_PREFIX + key)
        if raw is None:
            return None
        entry = json.loads(raw)
        if entry["fingerprint"] != request_fingerprint:
            raise ZendeskError(
                400,
                {
                    "error": "IdempotentRequestError",
                    "description": "Request parameters do not match the original request made "
                    "with this idempotency key",
                },
            )
        return Remembered(entry["status"], entry["body"])

    def remember(self, key: str, request_fingerprint: str, answer: Remembered) -> None:
        entry = {"fingerprint": request_fingerprint, "status": answer.status, "body": answer.body}
        self._store.set_meta(_META_PREFIX + key, json.dumps(entry))
