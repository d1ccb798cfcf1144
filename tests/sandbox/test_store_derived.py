"""Derived data kept with the store: computed once, dropped by any write."""

from __future__ import annotations

from datetime import UTC, datetime

from sandbox.salesforce.query import run_query
from sandbox.store import Store

NOW = datetime(2026, 11, 30, 15, tzinfo=UTC)


def test_derived_is_computed_once_until_a_write(tmp_path) -> None:
    store = Store(tmp_path / "s.db")
    store.load("zendesk.tickets", [("1", {"id": 1})])
    builds: list[int] = []

    def count() -> int:
        builds.append(1)
        return len(store.all("zendesk.tickets"))

    assert store.derived("count", count) == 1
    assert store.derived("count", count) == 1
    assert len(builds) == 1
    store.put("zendesk.tickets", "2", {"id": 2})
    assert store.derived("count", count) == 2
    assert len(builds) == 2


def test_equality_narrowing_keeps_soql_semantics(tmp_path) -> None:
    store = Store(tmp_path / "s.db")
    tasks = [
        ("00T1", {"Id": "00T1", "WhatId": "001A", "Status": "Open", "Subject": "a"}),
        ("00T2", {"Id": "00T2", "WhatId": "001B", "Status": "Open", "Subject": "b"}),
        ("00T3", {"Id": "00T3", "WhatId": "001A", "Status": "Done", "Subject": "c"}),
        ("00T4", {"Id": "00T4", "WhatId": None, "Status": "Open", "Subject": "d"}),
    ]
    store.load("salesforce.Task", tasks)

    def subjects(where: str) -> list[str]:
        result = run_query(f"SELECT Subject FROM Task WHERE {where}", store, NOW, "62.0")
        return [r["Subject"] for r in result.records]

    assert subjects("WhatId = '001a'") == ["a", "c"]  # text compares case-insensitively
    assert subjects("Status = 'open' AND WhatId = '001A'") == ["a"]
    assert subjects("WhatId = '001A' OR WhatId = '001B'") == ["a", "b", "c"]
    assert subjects("WhatId = ''") == []
    store.put("salesforce.Task", "00T5", {"Id": "00T5", "WhatId": "001A", "Subject": "e"})
    assert subjects("WhatId = '001A'") == ["a", "c", "e"]
