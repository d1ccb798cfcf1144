"""SQLite-backed record store shared by the emulators.

Records are kept as JSON documents in their native shape, one table for all collections
(``salesforce.Account``, ``zendesk.tickets``, ...). Worlds are small (thousands of records), so the
emulators filter in Python over a per-collection in-memory snapshot that every write refreshes;
SQLite is the source of truth, so writes survive for the life of the database file. What the
emulators derive from the records (a schema, an index, a sorted list) is kept with ``derived``
until the next write, so a read request costs a lookup rather than a pass over the world.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, TypeVar

Record = dict[str, Any]
T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (collection, id)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class Store:
    """Thread-safe collection store; ``all()`` returns records in insertion order."""

    def __init__(self, path: str | Path) -> None:
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._snapshots: dict[str, list[Record]] = {}
        self._derived: dict[Hashable, Any] = {}

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- meta ---------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- records ------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM records LIMIT 1").fetchone() is None

    def load(self, collection: str, records: Iterable[tuple[str, Record]]) -> None:
        """Bulk insert (world loading); replaces records with the same id."""
        with self._lock:
            seq = self._next_seq(collection)
            rows = [
                (collection, str(rid), seq + i, json.dumps(rec))
                for i, (rid, rec) in enumerate(records)
            ]
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?)", rows)
            self._db.execute("COMMIT")
            self._changed(collection)

    def all(self, collection: str) -> list[Record]:
        """Every record of a collection. Callers must not mutate the returned dicts."""
        with self._lock:
            snap = self._snapshots.get(collection)
            if snap is None:
                cur = self._db.execute(
                    "SELECT data FROM records WHERE collection = ? ORDER BY seq", (collection,)
                )
                snap = [json.loads(row[0]) for row in cur]
                self._snapshots[collection] = snap
            return snap

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``, computed once and kept until the next write to any collection.

        ``build`` must only read the store; the value is shared, so callers must not mutate it.
        Writes are rare (a ticket, a comment, a task) and derived values may span collections
        (a schema over every sObject), so any write drops them all.
        """
        with self._lock:
            if key not in self._derived:
                self._derived[key] = build()
            return self._derived[key]

    def get(self, collection: str, rid: str | int) -> Record | None:
        with self._lock:
            row = self._db.execute(
                "SELECT data FROM records WHERE collection = ? AND id = ?", (collection, str(rid))
            ).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, collection: str, rid: str | int, record: Record) -> None:
        """Insert or replace one record (keeps its position when it already exists)."""
        with self._lock:
            row = self._db.execute(
                "SELECT seq FROM records WHERE collection = ? AND id = ?", (collection, str(rid))
            ).fetchone()
            seq = row[0] if row else self._next_seq(collection)
            self._db.execute(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?)",
                (collection, str(rid), seq, json.dumps(record)),
            )
            self._changed(collection)

    def count(self, collection: str) -> int:
        with self._lock:
            return self._db.execute(
                "SELECT COUNT(*) FROM records WHERE collection = ?", (collection,)
            ).fetchone()[0]

    def collections(self) -> list[str]:
        with self._lock:
            cur = self._db.execute("SELECT DISTINCT collection FROM records ORDER BY collection")
            return [row[0] for row in cur]

    def next_int_id(self, collection: str, start: int = 1) -> int:
        """The next free integer id of a collection with integer ids (Zendesk style)."""
        with self._lock:
            row = self._db.execute(
                "SELECT MAX(CAST(id AS INTEGER)) FROM records WHERE collection = ?", (collection,)
            ).fetchone()
        return max(start, (row[0] or 0) + 1)

    def _changed(self, collection: str) -> None:
        self._snapshots.pop(collection, None)
        self._derived.clear()

    def _next_seq(self, collection: str) -> int:
        row = self._db.execute(
            "SELECT MAX(seq) FROM records WHERE collection = ?", (collection,)
        ).fetchone()
        return (row[0] or 0) + 1
