"""Composing the answer: only what the turn's tool results say, each fact with its source.

Every line is built from a tool result's artifact (a journey view, blockers, events, a
portfolio, knowledge hits) or, for failures, from the tool's error message. Each record named
is cited inline as ``[system type id](link)`` and collected for
``response_metadata["citations"]``. Record text (comments, ticket subjects) is quoted as data;
nothing in it is ever acted upon. What a customer may see is decided by the tools.

Tentative requests (see ``reading``) are kept only when their tool found something; when
nothing at all was found, the reading's reply (or the names that matched no customer) is the
answer. Whatever came from a partial view or list says which systems could not be reached and
what could therefore not be confirmed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from langchain_core.messages import ToolMessage
from pydantic import BaseModel, ValidationError
from rapidfuzz import fuzz

from agent.planner.calls import (
    JOURNEY,
    LIST,
    Call,
    Tools,
    calls_for,
    colleague_calls,
    list_call,
    listed_accounts,
    refused,
    tool_for,
    unknown_customer,
    view_call,
)
from agent.planner.lexicon import NOT_ON_TRACK, Intent
from agent.planner.reading import Reading, Request
from journeys.facts import Source
from journeys.portfolio import Portfolio, PortfolioEntry
from journeys.resolve import Candidate, normalize_name
from journeys.view import (
    Blocker,
    ClientContact,
    Event,
    JourneyView,
    Owner,
    Unavailable,
    Unconfirmed,
)
from tools.errors import ResolutionFailure
from tools.policy import OWN_ACCOUNT_ONLY, Principal

M = TypeVar("M", bound=BaseModel)
HISTORY_EVENTS = 8
STATUS_BLOCKERS = 3
SOURCES_LISTED = 6
LIST_ENTRIES = 15
EXCERPT_CHARS = 160
HIT_CHARS = 320
OWN_NAME_RATIO = 80.0
CONTACT_RATIO = 85.0

# Where each default step's records usually live, for steps with no evidence yet.
STEP_SYSTEMS: dict[str, tuple[str, ...]] = {
    "intake": ("salesforce",),
    "kyc": ("kyc", "zendesk"),
    "credit": ("zendesk",),
    "documents": ("salesforce", "zendesk", "kyc"),
    "account_opening": ("zendesk", "salesforce"),
    "provisioning": ("pos", "zendesk"),
    "treasury_setup": ("zendesk", "salesforce"),
    "activation": ("pos", "zendesk"),
    "first_transaction": ("pos", "salesforce"),
}
REPLIES = {
    "empty": "I didn't catch a question there. {help}",
    "foreign": "Sorry, I can only answer in English for now. {help}",
    "out_of_scope": "That's outside what I can help with. {help}",
    "which_customer": "Which customer do you mean? Give me a name, a CRM account id or a "
    "ticket number.",
    "help": "{help}",
    "handoff": "I can't transfer this conversation to a person from here yet. Tell me which "
    "customer it is about and I'll tell you who holds it and how to reach them.",
    "follow_up": "I can't send reminders or create tickets or tasks from here yet — nothing "
    "was sent. Tell me which customer it is about and I'll tell you whom to contact.",
}
HELP = (
    "I answer questions about customers' onboarding — status, next step and who holds it, "
    "blockers, history, and where the records are. For example: *where is Acme Bakery?*, "
    "*what's blocking Northwind Traders?*, *who has the ball on #1288?*, "
    "*what has happened on Riverbend Smiles?*, *where do I find Seaboard's KYC application?* "
    "— or about many at once: "
    "*which of my clients are stalled?*, *what is blocked in KYC?*. I can also look up "
    "the bank's product and process documentation (*terminal shows E-104*, *who do I "
    "escalate an OFAC hit to?*) when the knowledge base is connected."
)
CUSTOMER_HELP = (
    "Ask me where your onboarding stands, what the next step is and who is handling it, what "
    "we are waiting for, or what has happened so far."
)
BLOCKER_LABEL = {
    "missing_documents": "missing documents",
    "waiting_on_client": "waiting on the client",
    "approval_delay": "approval delay",
    "failed_integration": "failed integration",
    "vendor_dependency": "waiting on a vendor",
    "screening_hit": "compliance screening",
    "sla_breach": "past its SLA",
}
STATUS_LABEL = {
    "on_track": "on track",
    "at_risk": "at risk",
    "blocked": "blocked",
    "stalled": "stalled",
    "live": "live",
    "terminated": "terminated",
    NOT_ON_TRACK: "not on track (blocked, stalled or at risk)",
}


class _Hit(BaseModel):
    doc_id: str
    title: str
    section: str
    text: str


class _Partial(BaseModel):
    """What any artifact says it could not read or confirm (views, blockers, timelines,
    portfolios and their entries, when the tools include it)."""

    unavailable: list[Unavailable] = []
    unconfirmed: list[Unconfirmed] = []


@dataclass
class Composer:
    """Collects the answer's lines and the sources they cite."""

    principal: Principal | None
    lines: list[str] = field(default_factory=list)
    citations: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # Names a tentative lookup found no customer for: said only when nothing else was found.
    unresolved: list[str] = field(default_factory=list)

    @property
    def customer(self) -> bool:
        return self.principal is not None and self.principal.kind == "customer"

    def cite(self, source: Source | None) -> str:
        """``[label](link)``, remembered as a citation; nothing for a record the principal may
        not see (a customer's view keeps no reference to the bank's internal records)."""
        if source is None:
            return ""
        label = source.ref
        self.citations.setdefault(
            (source.system, source.record_id),
            {
                "system": source.system,
                "record_id": source.record_id,
                "link": source.link,
                "label": label,
            },
        )
        return f"[{label}]({source.link})" if source.link else f"[{label}]"

    def cite_doc(self, hit: _Hit) -> str:
        label = f"{hit.doc_id} § {hit.section}"
        self.citations.setdefault(
            ("knowledge", label),
            {"system": "knowledge", "record_id": hit.doc_id, "link": None, "label": label},
        )
        return f"[{label}]"

    def add(self, line: str) -> None:
        self.lines.append(line)

    def text(self) -> str:
        return "\n".join(self.lines).strip()


def compose(
    reading: Reading,
    results: Mapping[Call, ToolMessage],
    tools: Tools,
    principal: Principal | None,
) -> tuple[str, list[dict[str, Any]]]:
    """The answer text and its citations."""
    out = Composer(principal)
    groups = _by_customer(reading.requests, listed_accounts(results))
    found_customer = any(_resolved(results, customer) for customer, _, _ in groups)
    for request in reading.requests:
        if request.intent == "portfolio":
            _portfolio(out, request, results, tools)
        elif request.intent == "step_sla":
            _step_sla(out, request, results, tools)
        # A tentative search gives way to a customer the question turned out to name.
        elif request.intent == "troubleshooting" and not (request.tentative and found_customer):
            _troubleshooting(out, request, results, tools)
    for customer, requests, said in groups:
        _customer(out, customer, requests, said, results, tools)
    return out.text() or _nothing_found(out, reading), list(out.citations.values())


def _nothing_found(out: Composer, reading: Reading) -> str:
    help_text = CUSTOMER_HELP if out.customer else HELP
    if reading.reply:
        return REPLIES[reading.reply].format(help=help_text)
    # A name with no question around it that is no customer: likely not about onboarding at
    # all, so no "did you mean" guesses — but say that it was looked for.
    names = " or ".join(f"“{said}”" for said in out.unresolved)
    found = f"No customer matches {names}. " if names else ""
    return found + REPLIES["out_of_scope"].format(help=help_text)


def _by_customer(
    requests: Sequence[Request], listed: Sequence[str] | None
) -> list[tuple[str, list[Request], str | None]]:
    """Customer requests grouped per customer, in the order the user asked."""
    groups: dict[str, tuple[list[Request], str | None]] = {}
    for request in requests:
        if request.intent in ("portfolio", "step_sla", "troubleshooting"):
            continue
        customers = (listed or []) if request.from_list else [request.customer]
        for customer in customers:
            if customer:
                groups.setdefault(customer, ([], request.said))[0].append(request)
    return [(c, reqs, said) for c, (reqs, said) in groups.items()]


def _resolved(results: Mapping[Call, ToolMessage], customer: str) -> bool:
    message = results.get(view_call(customer))
    return message is not None and message.status != "error"


# --- one customer -----------------------------------------------------------------------------


def _customer(
    out: Composer,
    customer: str,
    requests: list[Request],
    said: str | None,
    results: Mapping[Call, ToolMessage],
    tools: Tools,
) -> None:
    scoped = [
        Request(r.intent, customer, r.said, r.filters, r.query, tentative=r.tentative)
        for r in requests
    ]
    answered = [(r, c, results.get(c)) for r in scoped for c in calls_for(r, tools, results)]
    failure = next((m for _, _, m in answered if m is not None and m.status == "error"), None)
    if failure is not None:
        _lookup_failed(out, failure, scoped, said or customer, results, tools)
        return
    view = _model(JourneyView, _artifact(results, view_call(customer)))
    if out.customer and view is not None and said and not _same_customer(said, view):
        out.add("I can only share information about your own account. " + CUSTOMER_HELP)
        return
    messages = {r.intent: m for r, c, m in answered if m is not None and c.name != JOURNEY}
    out.add(_header(out, view, answered))
    if view is not None and said:
        _contact(out, view, said)
    shown: set[str] = set()
    for intent in dict.fromkeys(r.intent for r in scoped):
        _section(out, intent, view, scoped, messages.get(intent), shown)
    _partial(out, [view, *(m.artifact for m in messages.values())])
    out.add("")


def _lookup_failed(
    out: Composer,
    failure: ToolMessage,
    requests: list[Request],
    said: str,
    results: Mapping[Call, ToolMessage],
    tools: Tools,
) -> None:
    """A name that is no customer's may be a colleague's; a tentative one may be no name at
    all (then it is mentioned only if nothing else is found)."""
    for call in (c for r in requests for c in colleague_calls(r, tools, results)):
        portfolio = _model(Portfolio, _artifact(results, call))
        if portfolio is not None and portfolio.entries:
            out.add(f"No customer is called “{said}”; the journeys {said} owns or holds:")
            _entries(out, portfolio)
            return
    if unknown_customer(failure) is not None and all(r.tentative for r in requests):
        out.unresolved.append(said)
        return
    out.add(_failure(failure.text, said))


_Answered = list[tuple[Request, Call, ToolMessage | None]]


def _section(
    out: Composer,
    intent: Intent,
    view: JourneyView | None,
    requests: list[Request],
    message: ToolMessage | None,
    shown: set[str],
) -> None:
    """One intent's lines; ``shown`` keeps a part two intents share (the next step, the
    blockers) from being said twice."""
    request = next(r for r in requests if r.intent == intent)
    if intent == "blockers":
        _once(shown, "blockers", lambda: _blockers(out, _blockers_of(message, view), view))
    elif intent == "history":
        _history(out, _events_of(message, view))
    elif view is None:
        return
    elif intent in ("status", "next_step"):
        if intent == "status":
            _status(out, view)
        _once(shown, "next_step", lambda: _next_step(out, view))
        blockers = view.blockers[:STATUS_BLOCKERS]
        _once(shown, "blockers", lambda: _blockers(out, blockers, view, quiet=True))
        if intent == "status":
            _discrepancies(out, view)
    elif intent == "owner":
        _owner(out, view)
    elif intent == "sources":
        _sources(out, view, request.filters.step)
    elif intent == "follow_up":
        _follow_up(out, view)
    elif intent == "handoff":
        _handoff(out, view)


def _once(shown: set[str], part: str, say: Any) -> None:
    if part not in shown:
        shown.add(part)
        say()


def _header(out: Composer, view: JourneyView | None, answered: _Answered) -> str:
    if view is None:
        # Only the blocker or timeline tool ran: its artifact names the account.
        account = next((a for _, _, m in answered if (a := _account_of(m))), {})
        return f"*{account.get('name') or account.get('id', '')}*"
    acct = view.account
    name = acct.name or f"Account {acct.id}"
    dba = f" (DBA {acct.dba_name})" if acct.dba_name else ""
    where = _step_title(view)
    state = STATUS_LABEL[view.status]
    if any(u.about == "status" for u in view.unconfirmed):
        state += ", not confirmed"
    if view.status == "live":
        summary = "is *live* — every onboarding step is complete"
    elif view.status == "terminated":
        summary = f"*terminated* at {where}"
    else:
        summary = f"*{state}* at *{where}*"
    link = out.cite(_account_source(view))
    return f"*{name}*{dba} — {summary} {link}"


def _contact(out: Composer, view: JourneyView, said: str) -> None:
    """Who the name the user gave is, when it is one of the customer's contacts rather than
    the company ("Denise McAllister asked about her application")."""
    if _same_customer(said, view):
        return
    wanted = normalize_name(said)
    contact = next(
        (c for c in view.contacts if fuzz.ratio(wanted, normalize_name(c.name)) >= CONTACT_RATIO),
        None,
    )
    if contact is not None:
        cited = out.cite(contact.source)
        out.add(f"• {_contact_line(contact)} is a contact at this customer {cited}")


def _contact_line(contact: ClientContact) -> str:
    details = ", ".join(d for d in (contact.title, contact.email) if d)
    return f"*{contact.name}*" + (f" ({details})" if details else "")


def _status(out: Composer, view: JourneyView) -> None:
    out.add(f"• Status: {STATUS_LABEL[view.status]} — {view.status_reason}")
    done = [s for s in view.steps if s.state == "complete"]
    if done:
        # The latest milestone's record is its proof ("have they had a sale?").
        proof = out.cite(done[-1].evidence[0]) if done[-1].evidence else ""
        steps = ", ".join(f"{s.title} ({_day(s.completed_at)})" for s in done)
        out.add(f"• Completed: {steps} {proof}".rstrip())


def _discrepancies(out: Composer, view: JourneyView) -> None:
    for d in view.discrepancies:
        out.add(f"• Note: {d.detail} " + " ".join(out.cite(s) for s in d.sources))


def _next_step(out: Composer, view: JourneyView) -> None:
    nxt = view.next_step
    if nxt is None:
        out.add("• Next step: none — " + view.status_reason)
        return
    since = ""
    if nxt.started_at:
        days = (view.as_of - nxt.started_at).days
        since = f" since {_day(nxt.started_at)} ({days} day{'s' if days != 1 else ''})"
    due = f", due {_day(nxt.due_at)}" if nxt.due_at else ""
    sla = (
        f" (SLA {nxt.sla_days:g} days, {nxt.sla_state.replace('_', ' ')})" if nxt.sla_state else ""
    )
    out.add(f"• Next step: {nxt.title} — {nxt.action}; held by {_who(nxt.owner)}{since}{due}{sla}")


def _owner(out: Composer, view: JourneyView) -> None:
    nxt = view.next_step
    if nxt is not None:
        out.add(f"• The ball is with {_who(nxt.owner, email=True)} — {nxt.title}: {nxt.action}")
    else:
        out.add(f"• No one holds a next step: {view.status_reason}")
    if view.account.owner:
        email = f" ({view.account.owner_email})" if view.account.owner_email else ""
        out.add(f"• Relationship manager: {view.account.owner}{email}")


def _blockers(
    out: Composer, blockers: Sequence[Blocker], view: JourneyView | None, *, quiet: bool = False
) -> None:
    """Each blocker; ``quiet`` says nothing when there is none (a status answer)."""
    if not blockers:
        if not quiet:
            reason = f" — {view.status_reason}" if view is not None else ""
            out.add(f"• Nothing is blocking it on record{reason}")
        return
    out.add("• Blocked by:")
    for b in blockers:
        since = f" since {_day(b.since)}" if b.since else ""
        out.add(
            f"  - {BLOCKER_LABEL[b.type]}: {b.detail}{since}; must act: {_who(b.who)} "
            f"{out.cite(b.evidence)}".rstrip()
        )


def _history(out: Composer, events: Sequence[Event]) -> None:
    if not events:
        out.add("• No activity on record yet")
        return
    out.add(f"• Latest {len(events)} events, oldest first:")
    for e in events:
        who = f" — {e.who}" if e.who else ""
        quote = ""
        if e.excerpt:  # quoted data, never instructions
            quote = f' — quoted: "{_clip(e.excerpt, EXCERPT_CHARS)}"'
        out.add(f"  - {_day(e.at)} {e.what}{who}{quote} {out.cite(e.source)}")


def _sources(out: Composer, view: JourneyView, step: str | None) -> None:
    """Where the records of a step (the one asked about, else the current one) live."""
    wanted = step or view.current_step
    progress = next((s for s in view.steps if s.id == wanted), None)
    evidence = list(progress.evidence) if progress else []
    evidence += [b.evidence for b in view.blockers if b.step == wanted and b.evidence]
    systems = {e.system for e in evidence} or set(STEP_SYSTEMS.get(wanted or "", ()))
    related = [s for s in view.sources if s.system in systems and s.record_type != "comment"]
    records = list(dict.fromkeys([*evidence, *related]))[:SOURCES_LISTED]
    title = progress.title if progress else "This journey"
    if records:
        out.add(f"• {title} records: " + ", ".join(out.cite(r) for r in records))
    else:
        out.add(f"• {title}: no records yet in any system")
    blockers = [b for b in view.blockers if b.step == wanted]
    for b in blockers:
        out.add(f"  - {BLOCKER_LABEL[b.type]}: {b.detail} {out.cite(b.evidence)}".rstrip())
    on_file = sorted({s.system for s in view.sources})
    out.add(f"• CRM account: {out.cite(_account_source(view))}; records in {', '.join(on_file)}")


def _follow_up(out: Composer, view: JourneyView) -> None:
    nxt = view.next_step
    contact = _who(nxt.owner, email=True) if nxt else view.account.owner or "the team"
    step = f" about {nxt.title}" if nxt else ""
    out.add(
        f"• I can't send reminders, create tickets or tasks from here yet — nothing was "
        f"sent. I would ask {contact}{step}; please contact them directly."
    )


def _handoff(out: Composer, view: JourneyView) -> None:
    rm = view.account.owner
    email = f" ({view.account.owner_email})" if view.account.owner_email else ""
    who = f"{rm}{email}, your relationship manager" if rm else "your relationship manager"
    if not out.customer:
        who = f"{rm}{email}, the relationship manager" if rm else "the relationship manager"
    out.add(
        f"• I can't transfer this conversation to a person from here yet. Please contact {who}."
    )


def _partial(out: Composer, artifacts: Sequence[Any]) -> None:
    """Which systems could not be reached and what that leaves unconfirmed, from every
    artifact the answer was built from."""
    parts = [_partial_of(a) for a in artifacts]
    down = {u.system: u.reason for p in parts for u in p.unavailable}
    if not down:
        return
    systems = ", ".join(f"{system} ({reason})" for system, reason in down.items())
    out.add(f"⚠️ Partial answer: I could not reach {systems}; the rest is from the other systems.")
    details = dict.fromkeys(u.detail for p in parts for u in p.unconfirmed)
    for detail in details:
        out.add(f"  - Could not be confirmed: {detail}")


def _partial_of(artifact: Any) -> _Partial:
    if isinstance(artifact, BaseModel):
        artifact = artifact.model_dump(mode="json")
    return _model(_Partial, artifact if isinstance(artifact, dict) else None) or _Partial()


# --- lists, docs and failures -----------------------------------------------------------------


def _portfolio(
    out: Composer, request: Request, results: Mapping[Call, ToolMessage], tools: Tools
) -> None:
    if tool_for(request, tools) is None:
        out.add("I can't list journeys here.")
        return
    message = results.get(list_call(tools, request))
    if message is None:
        return
    if message.status == "error":
        out.add(_failure(message.text, "that list"))
        return
    portfolio = _model(Portfolio, message.artifact)
    if portfolio is None:
        out.add(message.text)
        return
    filters = request.filters
    shown = ", ".join(_filter_label(k, v) for k, v in filters.list_args().items())
    if filters.status == NOT_ON_TRACK:
        shown = ", ".join(filter(None, [STATUS_LABEL[NOT_ON_TRACK], shown]))
    entries = [e for e in portfolio.entries if filters.keeps(e.status)]
    if not entries:
        out.add(f"No journeys match ({shown or 'all'}).")
    else:
        out.add(f"*{len(entries)} journeys* ({shown or 'all'}):")
    _entries(out, portfolio.model_copy(update={"entries": entries}))
    left_out = refused(tools, LIST, filters.list_args())
    if left_out:
        out.add(
            "Note: the list tool here cannot filter by "
            + ", ".join(_filter_label(k, filters.list_args()[k]) for k in left_out)
            + ", so this list is not narrowed by it."
        )
    out.add("")


def _step_sla(
    out: Composer, request: Request, results: Mapping[Call, ToolMessage], tools: Tools
) -> None:
    """A step's SLA per playbook, read off the journeys at that step now (each next step
    carries its playbook's SLA), and how many of them are past it."""
    message = results.get(list_call(tools, request))
    if message is None:
        out.add("I can't list journeys here, so I can't read the step's SLA.")
        return
    portfolio = _model(Portfolio, message.artifact)
    if portfolio is None:
        out.add(_failure(message.text, "that step"))
        return
    at_step = [
        e for e in portfolio.entries if e.next_step and e.next_step.step == request.filters.step
    ]
    if not at_step:
        out.add("No journey is at that step right now, so I can't read its SLA off one.")
        return
    slas = {
        (e.product or "", e.next_step.title, e.next_step.sla_days) for e in at_step if e.next_step
    }
    for product, title, days in sorted(slas):
        playbook = f" in the {product.replace('_', ' ')} playbook" if product else ""
        out.add(f"• {title}: SLA {days:g} days{playbook}")
    late = [e for e in at_step if e.next_step and e.next_step.sla_state == "breached"]
    out.add(f"• {len(at_step)} journeys are at this step now; {len(late)} are past the SLA.")
    out.add("")


def _entries(out: Composer, portfolio: Portfolio) -> None:
    """Up to ``LIST_ENTRIES`` entries, then what the list could not confirm."""
    for e in portfolio.entries[:LIST_ENTRIES]:
        out.add(_entry(out, e))
    if len(portfolio.entries) > LIST_ENTRIES:
        out.add(f"…and {len(portfolio.entries) - LIST_ENTRIES} more.")
    partial = [e for e in portfolio.entries if e.partial]
    if portfolio.unavailable or partial:
        down = ", ".join(f"{u.system} ({u.reason})" for u in portfolio.unavailable)
        reach = f"I could not reach {down}; " if down else ""
        names = ", ".join(e.account.name or e.account.id for e in partial[:LIST_ENTRIES])
        unsure = f"the status of {names} could not be fully confirmed" if names else ""
        out.add(f"⚠️ Partial list: {reach}{unsure or 'some journeys may be missing'}.")


def _entry(out: Composer, e: PortfolioEntry) -> str:
    holder = f"; next: {_who(e.next_step.owner)}" if e.next_step else ""
    kinds = f"; blockers: {', '.join(BLOCKER_LABEL[b] for b in e.blockers)}" if e.blockers else ""
    step = f" at {e.next_step.title}" if e.next_step else ""
    late = ""
    if e.next_step and e.next_step.sla_state == "breached" and e.next_step.due_at:
        late = f"; overdue since {_day(e.next_step.due_at)}"
    link = out.cite(_account_source_of(e.account.id, e.account.link))
    name = e.account.name or e.account.id
    return f"• *{name}* — {STATUS_LABEL[e.status]}{step}{holder}{kinds}{late} {link}"


def _filter_label(key: str, value: Any) -> str:
    if key == "status":
        return STATUS_LABEL.get(value, str(value))
    if key == "blocker":
        return BLOCKER_LABEL.get(value, str(value))
    if key == "overdue":
        return "overdue"
    if key == "stale_crm":
        return "stale CRM stage"
    return f"{key} {value}"


def _troubleshooting(
    out: Composer, request: Request, results: Mapping[Call, ToolMessage], tools: Tools
) -> None:
    if tool_for(request, tools) is None:
        if not request.tentative:
            out.add(
                "I can't search the product documentation yet, so I can't troubleshoot that "
                "here; the product support team can help."
            )
        return
    message = results.get(calls_for(request, tools, results)[0])
    if message is None or message.status == "error":
        if not request.tentative:
            out.add("The documentation search failed" + (f": {message.text}" if message else "."))
        return
    artifact = message.artifact if isinstance(message.artifact, dict) else {}
    hits = [h for h in (_model(_Hit, raw) for raw in artifact.get("hits", [])) if h]
    if not hits:
        if not request.tentative:
            out.add(message.text)
        return
    out.add("From the product documentation:")
    for hit in hits[:3]:
        out.add(f"• *{hit.title}* — {_clip(hit.text, HIT_CHARS)} {out.cite_doc(hit)}")
    out.add("")


def _failure(message: str, said: str) -> str:
    """A tool error, turned into a clarifying question, a not-found, or the reason."""
    failure = ResolutionFailure.parse(message)
    if failure is None:
        reason = message.removeprefix("Error: ")
        if reason.startswith(OWN_ACCOUNT_ONLY):
            return reason  # a refusal is the whole answer, not a failed lookup
        return f"I couldn't look up “{said}”: {reason}"
    if failure.error == "customer_ambiguous":
        listed = "\n".join(f"• {_candidate(c)}" for c in failure.candidates)
        return f"“{said}” matches several customers — which one do you mean?\n{listed}"
    closest = ", ".join(_candidate(c) for c in failure.candidates)
    hint = f" Did you mean: {closest}?" if closest else ""
    return f"I couldn't find a customer matching “{said}”.{hint}"


def _candidate(candidate: Candidate) -> str:
    dba = f" (DBA {candidate.dba_name})" if candidate.dba_name else ""
    return f"*{candidate.name}*{dba} [{candidate.id}]"


# --- helpers ----------------------------------------------------------------------------------


def _artifact(results: Mapping[Call, ToolMessage], call: Call) -> Any:
    message = results.get(call)
    return message.artifact if message is not None and message.status != "error" else None


def _model(model: type[M], raw: Any) -> M | None:
    if raw is None:
        return None
    try:
        return model.model_validate(raw)
    except ValidationError:
        return None


def _listed(message: ToolMessage | None, key: str) -> list[Any] | None:
    """``artifact[key]`` of the blocker and timeline tools, None when there is none."""
    artifact = message.artifact if message is not None else None
    found = artifact.get(key) if isinstance(artifact, dict) else None
    return found if isinstance(found, list) else None


def _account_of(message: ToolMessage | None) -> dict[str, Any] | None:
    artifact = message.artifact if message is not None else None
    account = artifact.get("account") if isinstance(artifact, dict) else None
    return account if isinstance(account, dict) else None


def _blockers_of(message: ToolMessage | None, view: JourneyView | None) -> list[Blocker]:
    raw = _listed(message, "blockers")
    if raw is not None:
        return [b for b in (_model(Blocker, item) for item in raw) if b]
    return list(view.blockers) if view is not None else []


def _events_of(message: ToolMessage | None, view: JourneyView | None) -> list[Event]:
    raw = _listed(message, "events")
    if raw is not None:
        events = [e for e in (_model(Event, item) for item in raw) if e]
    else:
        events = list(view.history) if view is not None else []
    return events[-HISTORY_EVENTS:]


def _same_customer(said: str, view: JourneyView) -> bool:
    wanted = normalize_name(said)
    names = [n for n in (view.account.name, view.account.dba_name) if n]
    return not wanted or any(
        fuzz.partial_ratio(wanted, normalize_name(n)) >= OWN_NAME_RATIO for n in names
    )


def _account_source(view: JourneyView) -> Source:
    return _account_source_of(view.account.id, view.account.link)


def _account_source_of(account_id: str, link: str | None) -> Source:
    return Source(system="salesforce", record_type="Account", record_id=account_id, link=link)


def _step_title(view: JourneyView) -> str:
    if view.next_step:
        return view.next_step.title
    return next((s.title for s in view.steps if s.id == view.current_step), view.current_step or "")


def _who(owner: Owner, *, email: bool = False) -> str:
    if not owner.person:
        return owner.team
    mail = f", {owner.email}" if email and owner.email else ""
    return f"*{owner.person}* ({owner.team}{mail})"


def _day(at: datetime | None) -> str:
    return at.date().isoformat() if at else "—"


def _clip(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
