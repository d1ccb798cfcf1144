"""Latency of Baton's back-office clients over loopback, and what the transport costs.

    .venv/bin/python -m bench.bench_clients [--iterations 200] [--world DIR] [--json]

Runs an ``EmbeddedSandbox`` of the demo world (the mini test world when the demo world is not
generated yet) and times, for a SOQL query and a Zendesk search, three ways of making the same
request, interleaved round by round so a noisy machine slows all three alike:

- ``raw``: a bare ``httpx.AsyncClient`` GET, JSON decoded;
- ``transport``: Baton's ``Transport.get`` (budget, breaker, retry bookkeeping, limit headers,
  logging);
- ``client``: the client method (transport + typed pydantic records).

The overhead columns are the ratios of medians to ``raw``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

from config import DEMO_WORLD, PROJECT_ROOT, Settings
from integrations.backoffice import BackOffice
from integrations.zendesk import TicketQuery
from sandbox.context import SandboxOptions
from sandbox.embedded import sandbox_settings
from sandbox.server import EmbeddedSandbox

MINI_WORLD = PROJECT_ROOT / "tests" / "worlds" / "mini"
SOQL = "SELECT Id, Name, OwnerId FROM Account WHERE Name LIKE '%a%' ORDER BY Name LIMIT 50"
SEARCH = {"tags": ["onboarding"], "status_below": "solved"}

Call = Callable[[], Awaitable[Any]]


@dataclass(frozen=True)
class Row:
    operation: str
    way: str
    median_ms: float
    p95_ms: float
    overhead: float  # median / raw median


async def _interleaved(ways: dict[str, Call], iterations: int) -> dict[str, list[float]]:
    for call in ways.values():  # warm up pools, token, caches
        await call()
    samples: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(iterations):
        for name, call in ways.items():
            started = time.perf_counter()
            await call()
            samples[name].append((time.perf_counter() - started) * 1000)
    return samples


def _rows(operation: str, samples: dict[str, list[float]]) -> list[Row]:
    raw = statistics.median(samples["raw"])
    return [
        Row(
            operation=operation,
            way=way,
            median_ms=round(statistics.median(ms), 3),
            p95_ms=round(statistics.quantiles(ms, n=20)[-1], 3),
            overhead=round(statistics.median(ms) / raw, 2),
        )
        for way, ms in samples.items()
    ]


async def _token(raw: httpx.AsyncClient, settings: Settings) -> tuple[str, str]:
    sf = settings.salesforce
    answer = await raw.post(
        f"{sf.url}/services/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": sf.client_id or "",
            "client_secret": sf.client_secret.get_secret_value() if sf.client_secret else "",
        },
    )
    answer.raise_for_status()
    body = answer.json()
    return body["instance_url"], body["access_token"]


async def run(settings: Settings, iterations: int) -> list[Row]:
    async with BackOffice(settings) as office, httpx.AsyncClient() as raw:
        instance, token = await _token(raw, settings)
        query_url = f"{instance}/services/data/v{settings.salesforce.api_version}/query"
        bearer = {"Authorization": f"Bearer {token}"}
        zd = settings.zendesk
        zd_auth = (f"{zd.email}/token", zd.api_token.get_secret_value() if zd.api_token else "")
        search_url = f"{zd.url}/api/v2/search.json"
        search = {"query": TicketQuery(**SEARCH).query(), "page": 1, "per_page": 100}

        async def raw_json(url: str, **kwargs: Any) -> Any:
            return (await raw.get(url, **kwargs)).json()

        soql = await _interleaved(
            {
                "raw": lambda: raw_json(query_url, params={"q": SOQL}, headers=bearer),
                "transport": lambda: office.salesforce.transport.get(query_url, {"q": SOQL}),
                "client": lambda: office.salesforce.query(SOQL),
            },
            iterations,
        )
        zendesk = await _interleaved(
            {
                "raw": lambda: raw_json(search_url, params=search, auth=zd_auth),
                "transport": lambda: office.zendesk.transport.get(search_url, search),
                "client": lambda: office.zendesk.search_tickets(**SEARCH),
            },
            iterations,
        )
    return _rows("salesforce SOQL query", soql) + _rows("zendesk ticket search", zendesk)


def _table(world: str, iterations: int, rows: list[Row]) -> str:
    lines = [
        f"world {world}, {iterations} interleaved rounds over loopback",
        f"{'operation':<24}{'way':<11}{'median ms':>10}{'p95 ms':>10}{'vs raw':>8}",
    ]
    lines += [
        f"{r.operation:<24}{r.way:<11}{r.median_ms:>10.2f}{r.p95_ms:>10.2f}{r.overhead:>8.2f}"
        for r in rows
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--world", type=Path, default=None, help="default: the demo world")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    world = args.world or (DEMO_WORLD if (DEMO_WORLD / "world.yaml").is_file() else MINI_WORLD)
    # The transport logs every call at INFO; a benchmark of thousands of calls wants quiet.
    logging.basicConfig(level=logging.WARNING)
    # Zendesk's per-minute limit (700) would throttle a run of this many calls.
    options = SandboxOptions(zendesk_rate_per_minute=10**9)
    with EmbeddedSandbox(world, options=options) as sandbox:
        settings = sandbox_settings(Settings(), sandbox)
        rows = asyncio.run(run(settings, args.iterations))
    if args.json:
        out = {
            "world": str(world),
            "iterations": args.iterations,
            "rows": [asdict(r) for r in rows],
        }
        print(json.dumps(out, indent=2))
    else:
        print(_table(world.name, args.iterations, rows))


if __name__ == "__main__":
    main()
