"""HTTP chat throughput and latency, and Slack event → first message posted.

    .venv/bin/python -m bench.bench_api [--seconds 10] [--concurrency 1 10 50] [--memory]
                                        [--workers N] [--json]

Without ``--workers``, everything runs over loopback in one process: the demo-world sandbox,
Baton's API (uvicorn, real HTTP, the local planner, SQLite checkpoints in a temporary file) and
the clients (httpx), so the clients' CPU counts against Baton's and all of it shares one GIL.
With ``--workers N`` the server is the real ``baton serve --workers N --port 0`` in a
subprocess (embedded mode: the demo sandbox in its parent process, N workers, one SQLite file),
configured through the environment; the clients stay here, and "CPU ms/answer" adds up this
process and the server's process tree (read from /proc, so Linux only).

Each client asks a rotating set of journey questions, one request at a time, for
``--seconds``; every answer is a fresh conversation. Journey views are cached for 30 s (per
process), so after the first round the figures are the agent + API path over a warm cache (the
cold path is the back office's, measured by ``bench.bench_clients``). Portfolio questions
("which journeys are stalled?") are left out: they are cached too, so they would only repeat
the same path, and their cold load is measured by ``bench.bench_journeys``.

The Slack figure is the time from a signed ``app_mention`` event reaching ``/slack/events`` to
the answer's ``chat.postMessage`` arriving at a local mock of Slack's Web API.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import NamedTuple

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


class Server(NamedTuple):
    url: str
    cpu_s: Callable[[], float]  # CPU seconds used so far by the bench and the server


@contextmanager
def _serving(settings: Settings, sandbox: EmbeddedSandbox, memory: bool) -> Iterator[Server]:
    saver = {"checkpointer": InMemorySaver()} if memory else {}
    app = create_app(settings, partial(open_runtime, clock=lambda: sandbox.ctx.now, **saver))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    try:
        yield Server(f"http://{host}:{port}", time.process_time)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _serve_env(workdir: Path, slack: MockSlack) -> dict[str, str]:
    """``_settings`` for a ``baton serve`` subprocess: the same limits, key, store and Slack."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BATON_")}
    key = {"name": "bench", "key": KEY, "kind": "staff", "role": "operations"}
    env.update(
        BATON_LOG_LEVEL="WARNING",
        BATON_AGENT__KNOWLEDGE="false",
        BATON_AGENT__CHECKPOINT_PATH=str(workdir / "checkpoints.sqlite"),
        BATON_API__KEYS=json.dumps([key]),
        BATON_API__RATE_PER_MINUTE="1e9",
        BATON_API__RATE_BURST="1000000",
        BATON_SLACK__BOT_TOKEN=BOT_TOKEN,
        BATON_SLACK__SIGNING_SECRET=SIGNING_SECRET,
        BATON_SLACK__API_URL=slack.api_url,
        BATON_SLACK__FEEDBACK_FILE=str(workdir / "feedback.jsonl"),
    )
    return env


def _tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of ``pid`` and its live descendants, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:  # it exited between the two reads
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(_tree_cpu_s(int(child)) for child in children)


@contextmanager
def _serving_subprocess(workers: int, env: dict[str, str]) -> Iterator[Server]:
    command = [sys.executable, "-m", "cli", "serve", "--port", "0", "--workers", str(workers)]
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("Baton is serving on "):
                url = line.split()[4]
                break
        else:
            raise RuntimeError(f"`{' '.join(command)}` exited with {proc.wait()}")
        yield Server(url, lambda: time.process_time() + _tree_cpu_s(proc.pid))
    finally:
        proc.terminate()  # uvicorn stops its workers on SIGTERM
        proc.wait(timeout=30)


async def _load(server: Server, concurrency: int, seconds: float) -> LoadRow:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=server.url,
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=30,
        limits=limits,
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

        began, cpu_began = time.perf_counter(), server.cpu_s()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        elapsed, cpu = time.perf_counter() - began, server.cpu_s() - cpu_began
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


def run(
    seconds: float,
    concurrency: list[int],
    slack_events: int,
    memory: bool,
    workers: int | None = None,
) -> dict[str, list]:
    with (
        tempfile.TemporaryDirectory(prefix="baton-bench-") as tmp,
        MockSlack(EMAILS) as slack,
        _server(Path(tmp), slack, memory, workers) as server,
    ):
        asyncio.run(_load(server, 4, 2.0))  # warm up: tokens, caches, connection pools
        load = [asyncio.run(_load(server, c, seconds)) for c in concurrency]
        slack_row = _slack_first_message(server.url, slack, slack_events)
    return {"http_chat": load, "slack_event_to_first_message": [slack_row]}


@contextmanager
def _server(workdir: Path, slack: MockSlack, memory: bool, workers: int | None) -> Iterator[Server]:
    if workers is not None:
        with _serving_subprocess(workers, _serve_env(workdir, slack)) as server:
            yield server
        return
    options = SandboxOptions(zendesk_rate_per_minute=10**9)
    with (
        EmbeddedSandbox(DEMO_WORLD, options=options) as sandbox,
        _serving(_settings(sandbox, workdir, slack), sandbox, memory) as server,
    ):
        yield server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="Per concurrency level.")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--slack-events", type=int, default=30)
    parser.add_argument(
        "--memory", action="store_true", help="In-memory checkpoints instead of SQLite."
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="Benchmark `baton serve --workers N` in a subprocess instead of an in-process server.",
    )
    parser.add_argument("--json", action="store_true", help="Print JSON.")
    args = parser.parse_args()
    if args.workers is not None and args.memory:
        parser.error("--memory applies to the in-process server only")
    result = run(args.seconds, args.concurrency, args.slack_events, args.memory, args.workers)
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
