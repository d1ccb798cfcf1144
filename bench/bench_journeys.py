"""Journey engine benchmarks through the sandbox over loopback.

    .venv/bin/python -m bench.bench_journeys [--rounds 3] [--in-process] [--json]

The sandbox runs in a child process (``--in-process`` runs it in a thread of this process, where
it shares the GIL with the client and inflates every figure). Three measurements, in one run:

1. **view latency**: every demo journey's view, warm (token, pools and reference data cached;
   the view cache off), ``--rounds`` times: median and p95.
2. **fan-out**: with 100 ms injected on every sandbox call, the time of one view against the
   sum of the same back-office calls made one after another (recorded, then replayed
   sequentially), and against one call.
3. **all stalled journeys**: ``portfolio(status=stalled)``, back-office calls made and time,
   against the calls of reading every account's view one by one.

Zendesk's per-minute limit is lifted in the sandbox: a benchmark reading every journey in
seconds would otherwise (rightly) be rate limited.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx
import yaml

from config import DEMO_WORLD, Settings
from integrations import BackOffice
from journeys.portfolio import PortfolioFilter
from journeys.service import JourneyService, budgets_from
from sandbox.context import SandboxOptions
from sandbox.embedded import sandbox_settings
from sandbox.server import EmbeddedSandbox

SYSTEMS = ("salesforce", "zendesk", "kyc", "pos")
INJECTED_MS = 100
FANOUT_ACCOUNTS = 5


# -- the sandbox, in a child process -------------------------------------------------------------


def _options() -> SandboxOptions:
    return SandboxOptions(zendesk_rate_per_minute=1_000_000)


def _serve(world: Path, conn: Connection) -> None:
    with EmbeddedSandbox(world, options=_options()) as sandbox:
        conn.send(sandbox.url)
        conn.recv()  # until the parent says stop


@dataclass(frozen=True)
class Sandbox:
    """Where the sandbox listens; quacks like ``EmbeddedSandbox`` for ``sandbox_settings``."""

    url: str

    def system_url(self, system: str) -> str:
        return f"{self.url}/{system}"


@contextmanager
def sandbox(world: Path, in_process: bool) -> Iterator[Sandbox]:
    if in_process:
        with EmbeddedSandbox(world, options=_options()) as embedded:
            yield Sandbox(embedded.url)
        return
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_serve, args=(world, child), daemon=True
    )
    process.start()
    try:
        if not parent.poll(30):
            raise RuntimeError("the sandbox process did not start")
        yield Sandbox(parent.recv())
    finally:
        parent.send("stop")
        process.join(10)


class Control:
    """The sandbox's control API: request counts and faults."""

    def __init__(self, url: str) -> None:
        self._http = httpx.AsyncClient(base_url=url)

    async def info(self) -> dict[str, Any]:
        return (await self._http.get("/_sandbox/info")).json()

    async def calls(self) -> int:
        return sum((await self.info())["stats"].values())

    async def reset(self) -> None:
        await self._http.post("/_sandbox/stats/reset")

    async def fault_all(self, spec: str | None) -> None:
        for system in SYSTEMS:
            if spec is None:
                await self._http.delete(f"/_sandbox/faults/{system}")
            else:
                await self._http.put(f"/_sandbox/faults/{system}", json={"spec": spec})

    async def aclose(self) -> None:
        await self._http.aclose()


class Recorder(httpx.AsyncBaseTransport):
    """Passes requests through; while ``recording``, remembers them for a sequential replay."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.recording = False
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.recording:
            self.requests.append(request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


# -- measurements --------------------------------------------------------------------------------


@dataclass
class Report:
    journeys: int = 0
    view_p50_ms: float = 0.0
    view_p95_ms: float = 0.0
    view_calls: float = 0.0
    one_call_ms: float = 0.0
    fanout_view_ms: float = 0.0
    fanout_sequential_ms: float = 0.0
    fanout_view_over_one_call: float = 0.0
    stalled_found: int = 0
    stalled_calls: int = 0
    stalled_ms: float = 0.0
    all_views_calls: int = 0
    notes: list[str] = field(default_factory=list)


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


async def _view_latency(service: JourneyService, ids: list[str], rounds: int, r: Report) -> None:
    for account_id in ids:  # warm: token, pools, groups, people, organization ids
        await service.view(account_id)
    samples = []
    for _ in range(rounds):
        for account_id in ids:
            started = time.perf_counter()
            await service.view(account_id)
            samples.append(_ms(started))
    r.journeys, r.view_p50_ms, r.view_p95_ms = len(ids), statistics.median(samples), _p95(samples)


async def _fanout(
    service: JourneyService, recorder: Recorder, control: Control, ids: list[str], r: Report
) -> None:
    await control.fault_all(f"latency={INJECTED_MS}")
    try:
        views, sequential, singles = [], [], []
        async with httpx.AsyncClient() as plain:
            for account_id in ids[:FANOUT_ACCOUNTS]:
                recorder.requests.clear()
                recorder.recording = True
                started = time.perf_counter()
                await service.view(account_id)
                views.append(_ms(started))
                recorder.recording = False
                started = time.perf_counter()
                for request in recorder.requests:  # the same calls, one after another
                    await plain.send(request)
                sequential.append(_ms(started))
                started = time.perf_counter()
                await plain.send(recorder.requests[0])
                singles.append(_ms(started))
    finally:
        await control.fault_all(None)
    r.fanout_view_ms = statistics.median(views)
    r.fanout_sequential_ms = statistics.median(sequential)
    r.one_call_ms = statistics.median(singles)
    r.fanout_view_over_one_call = r.fanout_view_ms / r.one_call_ms


async def _stalled(service: JourneyService, control: Control, ids: list[str], r: Report) -> None:
    await control.reset()
    for account_id in ids:
        await service.view(account_id)
    r.all_views_calls = await control.calls()
    r.view_calls = r.all_views_calls / len(ids)
    await control.reset()
    started = time.perf_counter()
    portfolio = await service.portfolio(PortfolioFilter(status="stalled"))
    r.stalled_ms = _ms(started)
    r.stalled_calls = await control.calls()
    r.stalled_found = len(portfolio.entries)


async def run(world: Path, rounds: int, in_process: bool) -> Report:
    ids = [
        j["account_id"] for j in yaml.safe_load((world / "scenarios.yaml").read_text())["journeys"]
    ]
    report = Report()
    with sandbox(world, in_process) as box:
        control = Control(box.url)
        now = datetime.fromisoformat((await control.info())["now"].replace("Z", "+00:00"))
        settings = sandbox_settings(Settings(), box)  # type: ignore[arg-type]
        recorder = Recorder()
        try:
            async with BackOffice(settings, http_transport=recorder) as office:
                service = JourneyService(
                    office, budgets_from(settings), clock=lambda: now, view_ttl_s=0
                )
                await _view_latency(service, ids, rounds, report)
                await _fanout(service, recorder, control, ids, report)
                await _stalled(service, control, ids, report)
        finally:
            await control.aclose()
            await recorder.aclose()
    report.notes.append("sandbox in this process" if in_process else "sandbox in a child process")
    return report


def _table(r: Report) -> str:
    rows = [
        ("journeys", f"{r.journeys}"),
        ("view p50 (warm)", f"{r.view_p50_ms:.1f} ms  (target <= 30 ms)"),
        ("view p95 (warm)", f"{r.view_p95_ms:.1f} ms"),
        ("back-office calls per view", f"{r.view_calls:.1f}"),
        (f"one call, {INJECTED_MS} ms injected", f"{r.one_call_ms:.0f} ms"),
        ("one view, same injection", f"{r.fanout_view_ms:.0f} ms"),
        ("its calls one after another", f"{r.fanout_sequential_ms:.0f} ms"),
        ("view / one call", f"{r.fanout_view_over_one_call:.2f}x  (target <= 2.5x)"),
        ("all stalled journeys", f"{r.stalled_found} found in {r.stalled_ms:.0f} ms"),
        ("  back-office calls", f"{r.stalled_calls} (every view one by one: {r.all_views_calls})"),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    return "\n".join([*lines, *(f"note: {n}" for n in r.notes)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--world", type=Path, default=DEMO_WORLD)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--in-process", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    report = asyncio.run(run(args.world, args.rounds, args.in_process))
    print(json.dumps(report.__dict__, indent=2) if args.json else _table(report))


if __name__ == "__main__":
    main()
