"""HTTP chat throughput and latency, and Slack event → first message posted.

    .venv/bin/python -m bench.bench_api [--seconds 10] [--concurrency 1 10 50] [--memory] [--json]

Everything over loopback in one process: the demo-world sandbox, Baton's API (uvicorn, real
HTTP, the local planner, SQLite checkpoints in a temporary file) and the clients (httpx), so
the clients' CPU counts against Baton's. Each client asks a rotating set of journey questions,
one request at a time, for ``--seconds``; every answer is a fresh conversation. Journey views
are cached for 30 s, so after the first round the figures are the agent + API path over a warm
cache (the cold path is the back office's, measured by ``bench.bench_clients``). Portfolio
questions ("which journeys are stalled?") are left out: they are cached too, so they would
only repeat the same path, and their cold load is measured by ``bench.bench_journeys``.

The Slack figure is the time from a signed ``app_mention`` event reaching ``/slack/events`` to
the answer's ``chat.postMessage`` arriving at a local mock of Slack's Web API.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

import httpx
import uvicorn
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import SecretStr

from api import create_app
from channels.runtime import open_runtime
from config import DEMO_WORLD, ApiKey, ApiSettings, Settings, SlackSettings
from sandbox.context import SandboxOptions
from sandbox.embedded import sandbox_settings
from sandbox.server import EmbeddedSandbox
from tests.slack.conftest import DANA, EMAILS, signed_headers
from tests.slack.mock_slack import BOT_TOKEN, BOT_USER, TEAM, MockSlack

KEY = "bench-staff-key-000001"
SIGNING_SECRET = "test-signing-secret"
QUESTIONS = (
    "Where is Acme Bakery LLC in onboarding?",
    "What is blocking Northwind Traders?",
    "Who holds the next step for O'Brien's Hardware?",
    "What happened recently on Blue Ridge Pharmacy?",
)


@dataclass(frozen=True)
class LoadRow:
    concurrency: int
    requests: int
    errors: int
    answers_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    # CPU of the whole process (sandbox, API and clients) per answer: unlike the wall-clock
    # figures, hardly moved by other work on a shared machine.
    cpu_ms_per_answer: float


@dataclass(frozen=True)
class SlackRow:
    events: int
    p50_ms: float
    p95_ms: float
    max_ms: float


def _percentile(samples: list[float], q: int) -> float:
    return round(statistics.quantiles(samples, n=100)[q - 1], 1) if len(samples) > 1 else 0.0


def _settings(sandbox: EmbeddedSandbox, workdir: Path, slack: MockSlack) -> Settings:
    base = sandbox_settings(Settings(), sandbox)
    return base.model_copy(
        update={
            "agent": base.agent.model_copy(
                update={"knowledge": False, "checkpoint_path": workdir / "checkpoints.sqlite"}
            ),
            # Limits out of the way: this measures Baton, not its throttle.
            "api": ApiSettings(
                keys=[ApiKey(name="bench", key=SecretStr(KEY), kind="staff", role="operations")],
                rate_per_minute=1e9,
                rate_burst=1_000_000,
            ),
            "slack": SlackSettings(
                bot_token=SecretStr(BOT_TOKEN),
                signing_secret=SecretStr(SIGNING_SECRET),
                api_url=slack.api_url,
                feedback_file=workdir / "feedback.jsonl",
            ),
        }
    )


@contextmanager
def _serving(settings: Settings, sandbox: EmbeddedSandbox, memory: bool) -> Iterator[str]:
    saver = {"checkpointer": InMemorySaver()} if memory else {}
    app = create_app(settings, partial(open_runtime, clock=lambda: sandbox.ctx.now, **saver))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


async def _load(url: str, concurrency: int, seconds: float) -> LoadRow:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=url, headers={"Authorization": f"Bearer {KEY}"}, timeout=30, limits=limits
    ) as client:
        deadline = time.perf_counter() + seconds

        async def worker(offset: int) -> None:
            nonlocal errors
            n = offset
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    answer = await client.post(
                        "/v1/chat", json={"message": QUESTIONS[n % len(QUESTIONS)]}
                    )
                    ok = answer.status_code == 200 and answer.json()["answer"]
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - started) * 1000)
                errors += not ok
                n += 1

        began, cpu_began = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu_began
    return LoadRow(
        concurrency=concurrency,
        requests=len(latencies),
        errors=errors,
        answers_per_s=round((len(latencies) - errors) / elapsed, 1),
        p50_ms=_percentile(latencies, 50),
        p95_ms=_percentile(latencies, 95),
        p99_ms=_percentile(latencies, 99),
        cpu_ms_per_answer=round(cpu * 1000 / max(1, len(latencies) - errors), 1),
    )


def _slack_first_message(url: str, slack: MockSlack, events: int) -> SlackRow:
    samples = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for n in range(events):
            slack.reset()
            body = json.dumps(
                {
                    "type": "event_callback",
                    "team_id": TEAM,
                    "event_id": f"EvBENCH{n:06d}",
                    "event": {
                        "type": "app_mention",
                        "user": DANA,
                        "text": f"<@{BOT_USER}> {QUESTIONS[n % len(QUESTIONS)]}",
                        "channel": "C0BENCH",
                        "ts": f"1700000000.{n:06d}",
                    },
                }
            )
            headers = {"Content-Type": "application/json", **signed_headers(body)}
            started = time.perf_counter()
            client.post("/slack/events", content=body, headers=headers).raise_for_status()
            slack.wait_for("chat.postMessage", timeout_s=30)
            samples.append((time.perf_counter() - started) * 1000)
    return SlackRow(
        events=events,
        p50_ms=round(statistics.median(samples), 1),
        p95_ms=_percentile(samples, 95),
        max_ms=round(max(samples), 1),
    )


def run(seconds: float, concurrency: list[int], slack_events: int, memory: bool) -> dict[str, list]:
    options = SandboxOptions(zendesk_rate_per_minute=10**9)
    with (
        tempfile.TemporaryDirectory(prefix="baton-bench-") as tmp,
        EmbeddedSandbox(DEMO_WORLD, options=options) as sandbox,
        MockSlack(EMAILS) as slack,
    ):
        settings = _settings(sandbox, Path(tmp), slack)
        with _serving(settings, sandbox, memory) as url:
            asyncio.run(_load(url, 4, 2.0))  # warm up: tokens, caches, connection pools
            load = [asyncio.run(_load(url, c, seconds)) for c in concurrency]
            slack_row = _slack_first_message(url, slack, slack_events)
    return {"http_chat": load, "slack_event_to_first_message": [slack_row]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="Per concurrency level.")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--slack-events", type=int, default=30)
    parser.add_argument(
        "--memory", action="store_true", help="In-memory checkpoints instead of SQLite."
    )
    parser.add_argument("--json", action="store_true", help="Print JSON.")
    args = parser.parse_args()
    result = run(args.seconds, args.concurrency, args.slack_events, args.memory)
    if args.json:
        print(json.dumps({k: [asdict(r) for r in rows] for k, rows in result.items()}, indent=2))
        return
    print(
        f"{'clients':>7} {'requests':>8} {'errors':>6} {'answers/s':>9} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'CPU ms/answer':>13}"
    )
    for r in result["http_chat"]:
        print(
            f"{r.concurrency:>7} {r.requests:>8} {r.errors:>6} {r.answers_per_s:>9} "
            f"{r.p50_ms:>7} {r.p95_ms:>7} {r.p99_ms:>7} {r.cpu_ms_per_answer:>13}"
        )
    [s] = result["slack_event_to_first_message"]
    print(
        f"\nSlack event → first message posted ({s.events} events): "
        f"p50 {s.p50_ms} ms, p95 {s.p95_ms} ms, max {s.max_ms} ms"
    )


if __name__ == "__main__":
    main()
