"""The ``baton`` command.

A thin channel: each command parses its options, builds what it needs from ``config`` and hands
off to the layer that does the work. Commands that need the back office go through
``sandbox.embedded.backoffice_settings``, which runs the demo sandbox in-process when no
back-office URL is configured.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import AsyncExitStack, contextmanager, suppress
from pathlib import Path
from typing import Annotated, Literal

import typer

from config import DEMO_WORLD, get_settings

app = typer.Typer(
    name="baton",
    help="Baton: where is this customer, what is next, who holds it, what is blocking.",
    no_args_is_help=True,
    add_completion=False,
)


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    # httpx logs every request at INFO; Baton's transport logs calls itself.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Model loading is announced at INFO by sentence-transformers; not news for a user.
    logging.getLogger("sentence_transformers").setLevel(logging.WARNING)


@app.callback()
def _root(
    log_level: Annotated[
        str | None, typer.Option("--log-level", help="DEBUG, INFO, WARNING… (BATON_LOG_LEVEL)")
    ] = None,
) -> None:
    _setup_logging(log_level or get_settings().log_level)


def _fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code=2)


@app.command()
def sandbox(
    world: Annotated[Path, typer.Option(help="World directory to load.")] = DEMO_WORLD,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 picks a free one).")] = 8700,
    db: Annotated[
        Path | None, typer.Option(help="SQLite file; reused across restarts for the same world.")
    ] = None,
    fault: Annotated[
        list[str] | None,
        typer.Option(help="SYSTEM:SPEC, e.g. zendesk:latency=100 (repeatable; docs/sandbox.md)."),
    ] = None,
) -> None:
    """Serve the sandbox back office: /salesforce, /zendesk, /kyc and /pos on one port."""
    from sandbox.context import SandboxOptions
    from sandbox.faults import FaultError, FaultSpec
    from sandbox.server import SYSTEMS, EmbeddedSandbox
    from sandbox.world import WorldError

    options = SandboxOptions()
    for item in fault or []:
        system, _, spec = item.partition(":")
        if system not in SYSTEMS:
            raise _fail(f"--fault {item!r}: unknown system {system!r} ({', '.join(SYSTEMS)})")
        try:
            options.faults[system] = FaultSpec.parse(spec)
        except FaultError as exc:
            raise _fail(f"--fault {item!r}: {exc}") from exc
    try:
        server = EmbeddedSandbox(world, db, options, host=host, port=port)
    except WorldError as exc:
        raise _fail(f"cannot load world {world}: {exc}") from exc
    try:
        server.start()
    except RuntimeError as exc:
        raise _fail(f"{exc} (is port {port} already in use?)") from exc
    info = server.app.state.world
    typer.echo(f"Sandbox world {info.name!r} (now = {info.now:%Y-%m-%d %H:%M}Z) on {server.url}")
    for name in SYSTEMS:
        typer.echo(f"  {name:<10} {server.system_url(name)}")
    typer.echo("Ctrl-C to stop.", err=True)
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


# --- knowledge base: ingest, kb search, eval --retrieval ---------------------------------------
# Heavy imports (chromadb, and torch at the first embedding) stay inside the commands.

kb_app = typer.Typer(help="Query the knowledge base of product docs.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")

_AUDIENCE_HELP = "customer sees customer docs only; internal (staff) sees all."


def _open_knowledge():  # -> knowledge.search.KnowledgeSearch (imported lazily)
    from knowledge.search import open_search
    from knowledge.store import StoreUnavailable

    try:
        return open_search(get_settings().knowledge)
    except StoreUnavailable as exc:
        raise _fail(str(exc)) from exc


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or directories (md, html, txt, pdf); default: bundled docs."),
    ] = None,
) -> None:
    """Ingest product docs into the knowledge base; unchanged chunks are skipped."""
    from rich.progress import Progress

    from knowledge import BUNDLED_DOCS
    from knowledge.embeddings import MiniLmEmbedder
    from knowledge.ingest import ingest as run_ingest
    from knowledge.store import StoreUnavailable, open_store

    settings = get_settings().knowledge
    try:
        store = open_store(settings)
    except StoreUnavailable as exc:
        raise _fail(str(exc)) from exc
    with Progress(transient=True) as progress:
        task = progress.add_task("Embedding chunks", total=None)
        report = run_ingest(
            paths or [BUNDLED_DOCS],
            store,
            MiniLmEmbedder(settings.model_path),
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    for error in report.errors:
        typer.secho(f"skipped {error.path}: {error.error}", fg=typer.colors.YELLOW, err=True)
    typer.echo(
        f"{report.documents} documents, {report.chunks} chunks: {report.added} added, "
        f"{report.unchanged} unchanged, {report.removed} removed"
        + (f"; {len(report.errors)} file(s) skipped" if report.errors else "")
    )
    if report.errors:
        raise typer.Exit(code=1)


@kb_app.command("search")
def kb_search(
    query: Annotated[str, typer.Argument(help="Question or error code, e.g. 'E-104'.")],
    audience: Annotated[Literal["internal", "customer"], typer.Option(help=_AUDIENCE_HELP)] = (
        "internal"
    ),
    product: Annotated[str | None, typer.Option(help="Only this product, e.g. pos.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=50, help="Chunks to return.")] = 5,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Hybrid (dense + BM25) search: ranked chunks with doc id, section and score.

    Exits 1 when nothing relevant is found (like grep), with the reason.
    """
    result = _open_knowledge().search(query, audience, product=product, limit=limit)
    if json_output:
        typer.echo(result.model_dump_json(indent=2))
    elif not result.hits:
        typer.echo(f"Nothing relevant found: {result.reason}.")
    if not result.hits:
        raise typer.Exit(code=1)
    if json_output:
        return
    for rank, hit in enumerate(result.hits, start=1):
        typer.secho(f"{rank}. [{hit.citation}]  score {hit.score:.4f}", bold=True)
        typer.echo(f"   {hit.title} ({hit.product}, {hit.audience})")
        typer.echo("   " + hit.text.replace("\n", "\n   ") + "\n")


@app.command("eval")
def eval_command(
    cases: Annotated[
        Path | None,
        typer.Argument(
            help="Agent case file (JSONL, docs/eval-format.md), e.g. eval/cases/dev.jsonl."
        ),
    ] = None,
    retrieval: Annotated[
        Path | None,
        typer.Option(help="Retrieval case set (JSONL, see docs/eval-format.md) to score."),
    ] = None,
    world: Annotated[Path, typer.Option(help="World the agent cases run against.")] = DEMO_WORLD,
    min_pass: Annotated[
        float, typer.Option(min=0, max=1, help="Exit 1 when the case pass rate is below this.")
    ] = 0.0,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Evaluate Baton. CASES: the agent over a sandbox world, pass rates per category.
    --retrieval FILE: recall@1, recall@5, MRR@10 for dense, BM25, hybrid."""
    if cases is not None and retrieval is not None:
        raise _fail("evaluate one thing at a time: a cases file or --retrieval FILE")
    if cases is not None:
        _eval_cases(cases, world, min_pass, json_output)
        return
    if retrieval is None:
        raise _fail("nothing to evaluate: pass a cases file or --retrieval FILE")
    _eval_retrieval(retrieval, json_output)


def _eval_retrieval(retrieval: Path, json_output: bool) -> None:
    from knowledge.evaluation import RetrievalCaseError, evaluate, load_cases

    try:
        retrieval_cases = load_cases(retrieval)
    except RetrievalCaseError as exc:
        raise _fail(str(exc)) from exc
    report = evaluate(retrieval_cases, _open_knowledge())
    if json_output:
        typer.echo(report.model_dump_json(indent=2))
        return
    typer.echo(f"{report.cases} retrieval cases from {retrieval}\n")
    typer.echo(f"{'mode':<8} {'recall@1':>9} {'recall@5':>9} {'MRR@10':>8}")
    for mode, scores in report.scores.items():
        typer.echo(
            f"{mode:<8} {scores.recall_at_1:>9.3f} {scores.recall_at_5:>9.3f} "
            f"{scores.mrr_at_10:>8.3f}"
        )
    missed = [case for case in report.per_case if case.ranks.get("hybrid") is None]
    if missed:
        typer.echo("\nnot in hybrid top 10: " + ", ".join(case.id for case in missed))


# --- journeys: baton journey, baton journeys ---------------------------------------------------


def _with_journeys(work):  # work: JourneyService -> Awaitable[T]; returns T
    """Run ``work`` against the back office (the embedded sandbox when none is configured)."""

    from integrations import BackOffice, IntegrationError
    from journeys.service import JourneyService, budgets_from, journey_clock
    from sandbox.embedded import ConfigurationError, backoffice_settings

    async def run(backoffice, now):  # backoffice: config.Settings, now: datetime | None
        async with BackOffice(backoffice) as office:
            clock = journey_clock(backoffice, now)
            service = JourneyService(office, budgets_from(backoffice), clock=clock)
            return await work(service)

    try:
        # A sandbox world has a frozen "now"; journeys are judged against it.
        with backoffice_settings(get_settings()) as (backoffice, now):
            return asyncio.run(run(backoffice, now))
    except (ConfigurationError, IntegrationError, LookupError, ValueError) as exc:
        raise _fail(str(exc)) from exc


@app.command()
def journey(
    customer: Annotated[
        str, typer.Argument(help="Account name (typos and DBA names work), CRM id, or #ticket.")
    ],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the JourneyView (docs/journey-view.md).")
    ] = False,
) -> None:
    """Where a customer is: status, step, next step and its owner, blockers, sources."""
    from journeys.render import render_view

    view = _with_journeys(lambda service: service.journey(customer))
    typer.echo(view.model_dump_json(indent=2) if json_output else render_view(view))


@app.command()
def journeys(
    status: Annotated[
        str | None, typer.Option(help="on_track, at_risk, blocked, stalled, live, terminated.")
    ] = None,
    step: Annotated[
        str | None, typer.Option(help="Current step, id or title: kyc, 'credit approval'.")
    ] = None,
    owner: Annotated[
        str | None, typer.Option(help="Relationship manager or next-step holder (name/email).")
    ] = None,
    team: Annotated[str | None, typer.Option(help="Team holding the next step, e.g. kyc.")] = None,
    product: Annotated[
        str | None, typer.Option(help="merchant_services, treasury_management, …")
    ] = None,
    blocker: Annotated[
        str | None, typer.Option(help="Blocker type, e.g. vendor_dependency, screening_hit.")
    ] = None,
    stale_crm: Annotated[
        bool | None,
        typer.Option("--stale-crm/--crm-current", help="CRM stage disagrees / agrees."),
    ] = None,
    overdue: Annotated[
        bool | None,
        typer.Option("--overdue/--within-sla", help="Current step past / within its SLA."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List journeys, filtered: e.g. --status stalled --owner 'Dana Whitfield'."""
    from pydantic import ValidationError

    from journeys.filters import PortfolioFilter
    from journeys.render import render_portfolio

    try:
        filters = PortfolioFilter(
            status=status,
            step=step,
            owner=owner,
            team=team,
            product=product,
            blocker=blocker,
            stale_crm=stale_crm,
            overdue=overdue,
        )
    except ValidationError as exc:
        problems = "; ".join(_option_problem(e["loc"], e["msg"]) for e in exc.errors())
        raise _fail(problems) from exc
    portfolio = _with_journeys(lambda service: service.portfolio(filters))
    typer.echo(portfolio.model_dump_json(indent=2) if json_output else render_portfolio(portfolio))


def _option_problem(loc: tuple[int | str, ...], message: str) -> str:
    return f"--{str(loc[0]).replace('_', '-')}: {message}"


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 picks a free one).")] = 8000,
    keep_serving: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Keep serving after the tour.")
    ] = True,
) -> None:
    """The demo: knowledge base, back office and HTTP API, answering real questions.

    Ingests the bundled docs (unchanged chunks are skipped), starts Baton on the embedded demo
    back office, asks it a few questions through its own HTTP API and prints the answers, then
    keeps serving for curl and Slack.
    """
    ingest(paths=None)
    _serve(host, port, tour=_DEMO_QUESTIONS, keep_serving=keep_serving)


_DEMO_QUESTIONS = (
    "Where is Acme Bakery LLC in onboarding, and who has the ball?",
    "What's blocking Northwind Traders?",
    "Which journeys are stalled?",
    "A terminal shows E-104 during activation. What should I do?",
)


def _tour(url: str, key: str, questions: tuple[str, ...]) -> None:
    """Ask ``questions`` through the running API, as a staff member would with curl."""
    import httpx

    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        for question in questions:
            typer.secho(f"\n> {question}", bold=True)
            response = client.post("/v1/chat", json={"message": question})
            body = response.json()
            if response.status_code != 200:
                typer.secho(f"  {body.get('error', body)}", fg=typer.colors.RED)
                continue
            typer.echo(body["answer"])
    typer.echo("")


# --- the agent: baton ask, baton chat, eval of agent cases -------------------------------------

_AS_HELP = (
    "Who is asking: staff:<role>[:<email>] or customer:<account id>. Default: staff, role "
    "operations, as the demo identity jordan.ellis@demo-bank.example (agent/principals.py), "
    "so 'my clients' means the journeys Jordan Ellis owns or holds."
)


def _principal(spec: str):  # -> tools.policy.Principal
    from agent.principals import parse_principal

    try:
        return parse_principal(spec)
    except ValueError as exc:
        raise _fail(f"--as: {exc}") from exc


@contextmanager
def _agent_session():  # -> Iterator[tuple[agent.Agent, run(coroutine) -> result]]
    """An agent over the back office, on an event loop that lives as long as the session."""
    from agent.checkpoints import CheckpointerUnavailable
    from agent.models import ModelConfigurationError
    from agent.runtime import open_agent
    from journeys.service import journey_clock
    from sandbox.embedded import ConfigurationError, backoffice_settings

    try:
        # A sandbox world has a frozen "now"; journeys are judged against it.
        with (
            backoffice_settings(get_settings()) as (backoffice, now),
            asyncio.Runner() as runner,
        ):
            stack = AsyncExitStack()
            opened = open_agent(backoffice, clock=journey_clock(backoffice, now))
            agent = runner.run(stack.enter_async_context(opened))
            try:
                yield agent, runner.run
            finally:
                runner.run(stack.aclose())
    except (ConfigurationError, ModelConfigurationError, CheckpointerUnavailable) as exc:
        raise _fail(str(exc)) from exc


def _print_answer(answer) -> None:  # answer: agent.AgentAnswer
    typer.echo(answer.answer)
    if answer.citations:
        typer.secho("Sources:", dim=True)
        for citation in answer.citations:
            link = f"  {citation.link}" if citation.link else ""
            typer.secho(f"  [{citation.label}]{link}", dim=True)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in your own words.")],
    as_: Annotated[str, typer.Option("--as", help=_AS_HELP)] = "staff:operations",
    thread: Annotated[
        str | None, typer.Option(help="Continue this conversation (thread id of an answer).")
    ] = None,
    json_output: Annotated[
        bool,
        typer.Option(
            "--json", help="Print {answer, citations, tool_calls, thread_id, model, usage}."
        ),
    ] = False,
) -> None:
    """Ask Baton one question; follow up with --thread."""
    principal = _principal(as_)
    with _agent_session() as (agent, run):
        answer = run(agent.ask(question, principal=principal, thread_id=thread))
    if json_output:
        typer.echo(answer.model_dump_json(indent=2))
        return
    _print_answer(answer)
    typer.secho(f"(thread {answer.thread_id}: follow up with --thread)", dim=True, err=True)


@app.command()
def chat(
    as_: Annotated[str, typer.Option("--as", help=_AS_HELP)] = "staff:operations",
    thread: Annotated[str | None, typer.Option(help="Resume this conversation.")] = None,
) -> None:
    """An interactive conversation on one thread; Ctrl-D or Ctrl-C to leave."""
    from agent.service import new_thread_id

    principal = _principal(as_)
    thread_id = thread or new_thread_id()
    with _agent_session() as (agent, run):
        typer.secho(f"Baton ({agent.model_name}), thread {thread_id}. Ctrl-D to leave.", err=True)
        try:
            while True:
                question = input("you> ")
                if question.strip():
                    answer = run(agent.ask(question, principal=principal, thread_id=thread_id))
                    _print_answer(answer)
        except (EOFError, KeyboardInterrupt):
            typer.echo("", err=True)


def _eval_cases(cases_file: Path, world: Path, min_pass: float, json_output: bool) -> None:
    from agent.checkpoints import CheckpointerUnavailable
    from agent.models import ModelConfigurationError
    from eval.cases import CaseFileError, load_cases
    from eval.report import render_report
    from eval.runner import evaluate
    from sandbox.world import WorldError

    try:
        cases = load_cases(cases_file)
        report = asyncio.run(
            evaluate(cases, world=world, settings=get_settings(), cases_file=str(cases_file))
        )
    except (CaseFileError, WorldError, ModelConfigurationError, CheckpointerUnavailable) as exc:
        raise _fail(str(exc)) from exc
    typer.echo(report.model_dump_json(indent=2) if json_output else render_report(report))
    if report.overall.rate < min_pass:
        typer.secho(
            f"pass rate {report.overall.rate:.1%} is below --min-pass {min_pass:.1%}",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(code=1)


# --- channels: baton serve, baton slack --socket, baton digest ---------------------------------

_QUESTIONS = (
    "Where is Acme Bakery LLC in onboarding?",
    "What is blocking Northwind Traders?",
    "Which journeys are stalled?",
)


@contextmanager
def _channel_settings():  # -> Iterator[tuple[config.Settings, journeys.service.Clock]]
    """Settings pointed at the back office (the embedded sandbox when none is configured, with
    the demo API keys and the world's frozen clock), and the clock journeys are judged by."""
    from channels.auth import with_demo_keys
    from journeys.service import journey_clock
    from sandbox.embedded import ConfigurationError, backoffice_settings

    settings = get_settings()
    try:
        with backoffice_settings(settings) as (backoffice, now):
            clock = journey_clock(settings, now)
            yield with_demo_keys(backoffice) if settings.embedded else backoffice, clock
    except ConfigurationError as exc:
        raise _fail(str(exc)) from exc


def _serve_banner(url: str, settings, embedded: bool) -> None:  # settings: config.Settings
    from channels.auth import DEMO_CHATBOT_KEY, DEMO_STAFF_KEY

    typer.secho(f"Baton is serving on {url}  (API docs: {url}/docs)", bold=True)
    slack = settings.slack
    typer.echo(
        f"Slack: events at {url}/slack/events"
        if slack.enabled
        else "Slack: off (set BATON_SLACK__BOT_TOKEN and BATON_SLACK__SIGNING_SECRET)"
    )
    if not embedded:
        typer.echo("API keys: BATON_API__KEYS (docs/http-api.md).")
        return
    typer.echo(f"Demo staff key: {DEMO_STAFF_KEY}   (chatbot key: {DEMO_CHATBOT_KEY})")
    auth = f"-H 'Authorization: Bearer {DEMO_STAFF_KEY}'"
    typer.echo("\nTry, from another terminal:")
    typer.echo(
        f"  curl -s {url}/v1/chat {auth} -H 'Content-Type: application/json' \\\n"
        f'       -d \'{{"message": "{_QUESTIONS[0]}"}}\''
    )
    typer.echo(
        f"  curl -sN {url}/v1/chat/stream {auth} -H 'Content-Type: application/json' \\\n"
        f'       -d \'{{"message": "{_QUESTIONS[1]}"}}\''
    )
    typer.echo(f"  curl -s '{url}/v1/journeys?status=stalled' {auth}")
    typer.echo(f"  curl -s {url}/readyz")
    typer.echo("Questions to try: " + " / ".join(_QUESTIONS))
    typer.echo("Ctrl-C to stop.", err=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 picks a free one).")] = 8000,
    workers: Annotated[
        int,
        typer.Option(min=1, help="Worker processes, each with its own runtime (docs/http-api.md)."),
    ] = 1,
) -> None:
    """Serve the HTTP API, and Slack at /slack/events when its tokens are configured."""
    _serve(host, port, workers)


def _serve(
    host: str,
    port: int,
    workers: int = 1,
    tour: tuple[str, ...] = (),
    keep_serving: bool = True,
) -> None:
    """Serve until Ctrl-C; with ``tour``, first ask those questions through the API."""
    import threading
    from functools import partial

    from channels.auth import DEMO_STAFF_KEY
    from channels.serving import ApiServer, AppFactory, bind
    from journeys.service import wall_clock

    embedded = get_settings().embedded
    log_level = logging.getLevelName(logging.getLogger().level)
    # In embedded mode the sandbox runs here, once; workers reach it by URL.
    with _channel_settings() as (settings, clock):
        # Bind first so that the banner names the real port (--port 0) before serving starts.
        try:
            sock = bind(host, port)
        except OSError as exc:
            raise _fail(f"cannot listen on {host}:{port}: {exc}") from exc
        # Workers are spawned processes: they get the frozen time, as a clock does not pickle.
        now = None if clock is wall_clock else clock()
        app_ = AppFactory(settings, now, prepare=partial(_setup_logging, log_level))
        server = ApiServer(app_, sock, workers)

        def after_start() -> None:
            if not server.wait_ready():
                return
            if tour and embedded:
                _tour(server.url, DEMO_STAFF_KEY, tour)
            if keep_serving:
                _serve_banner(server.url, settings, embedded)
            else:
                server.stop()

        threading.Thread(target=after_start, name="baton-banner", daemon=True).start()
        server.run()


@app.command()
def slack(
    socket: Annotated[
        bool, typer.Option("--socket", help="Socket Mode: no public URL (BATON_SLACK__APP_TOKEN).")
    ] = False,
) -> None:
    """Run the Slack app in Socket Mode (for HTTP mode, `baton serve` mounts /slack/events)."""
    if not socket:
        raise _fail("use `baton slack --socket`, or `baton serve` for Slack over HTTP")
    from channels.runtime import open_runtime

    async def run(settings, clock) -> None:  # settings: config.Settings
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        from bot import create_bolt_app

        app_token = settings.slack.app_token
        if app_token is None:
            raise _fail("Socket Mode needs BATON_SLACK__APP_TOKEN (xapp-…)")
        async with open_runtime(settings, clock=clock) as runtime:
            try:
                bolt = create_bolt_app(settings.slack, runtime, socket_mode=True)
            except ValueError as exc:
                raise _fail(str(exc)) from exc
            typer.echo("Baton is connected to Slack in Socket Mode. Ctrl-C to stop.", err=True)
            await AsyncSocketModeHandler(bolt, app_token.get_secret_value()).start_async()

    with _channel_settings() as (settings, clock), suppress(KeyboardInterrupt):
        asyncio.run(run(settings, clock))


@app.command()
def digest(
    post: Annotated[
        bool, typer.Option("--post", help="Post to each team's channel (see docs/slack.md).")
    ] = False,
    team: Annotated[str | None, typer.Option(help="Only this team, e.g. 'KYC & BSA'.")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Blocked, stalled and at-risk journeys per owning team, most urgent first."""
    from bot import post_digest
    from journeys.digest import build_digest, render_digest

    result = _with_journeys(lambda service: build_digest(service, team))
    if not post:
        typer.echo(result.model_dump_json(indent=2) if json_output else render_digest(result))
        return
    try:
        posting = asyncio.run(post_digest(get_settings().slack, result))
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    for name, channel in posting.posted.items():
        typer.echo(f"posted {name} to {channel}")
    if posting.unrouted:
        typer.secho(
            "no channel configured for: " + ", ".join(posting.unrouted), fg="yellow", err=True
        )
        raise typer.Exit(code=1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
