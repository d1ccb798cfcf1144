"""Plain-text renderings of a journey and a portfolio (the CLI's default output)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from journeys.facts import Source
from journeys.portfolio import Portfolio
from journeys.templates import clip, counted
from journeys.view import ClientContact, JourneyView, Owner

HISTORY_LINES = 12
_STEP_MARK = {"complete": "✓", "active": "▶", "pending": "·", "unknown": "?"}


def _day(at: datetime | None) -> str:
    return at.date().isoformat() if at else "—"


def _owner(owner: Owner) -> str:
    return f"{owner.person} ({owner.team})" if owner.person else owner.team


def _contact(contact: ClientContact) -> str:
    details = ", ".join(d for d in (contact.title, contact.email) if d)
    return f"{contact.name} ({details})" if details else contact.name


def cite(source: Source | None) -> str:
    """``[system type id link]``; nothing for a record the reader may not see."""
    if source is None:
        return ""
    return f"[{source.ref}{' ' + source.link if source.link else ''}]"


def _filter_value(value: object) -> str:
    return clip(value) if isinstance(value, str) else str(value).lower()


def render_view(view: JourneyView) -> str:
    acct = view.account
    title = acct.name or f"Account {acct.id} (name unknown: CRM unreachable)"
    dba = f" (DBA {acct.dba_name})" if acct.dba_name else ""
    lines = [f"{title}{dba}  [{acct.id}]  {view.product or ''}".rstrip()]
    if acct.owner:
        lines.append(f"Relationship manager: {acct.owner}")
    if view.partial:
        down = ", ".join(f"{u.system} ({u.reason})" for u in view.unavailable)
        lines.append(f"PARTIAL VIEW: could not reach {down}")
        lines.extend(f"  ? {u.detail}" for u in view.unconfirmed)
    lines.append(f"Status: {view.status.upper().replace('_', ' ')} — {view.status_reason}")
    lines.append("Steps: " + "  ".join(f"{_STEP_MARK[s.state]} {s.id}" for s in view.steps))
    if view.next_step:
        nxt = view.next_step
        sla = f"SLA {nxt.sla_days:g} d, {nxt.sla_state}" if nxt.sla_state else "SLA start unknown"
        lines.append(
            f"Next: {nxt.title} — {nxt.action}; held by {_owner(nxt.owner)}; "
            f"due {_day(nxt.due_at)} ({sla})"
        )
    if view.blockers:
        lines.append("Blockers:")
        for b in view.blockers:
            since = f"since {_day(b.since)}; " if b.since else ""
            lines.append(
                f"  - {b.type}: {b.detail} ({since}must act: {_owner(b.who)}) "
                f"{cite(b.evidence)}".rstrip()
            )
    if view.discrepancies:
        lines.append("Discrepancies:")
        for d in view.discrepancies:
            lines.append(f"  - {d.detail} " + " ".join(cite(s) for s in d.sources))
    if view.contacts:
        lines.append("Contacts: " + "; ".join(_contact(c) for c in view.contacts))
    if view.history:
        lines.append(f"History (latest {min(HISTORY_LINES, len(view.history))}):")
        for e in view.history[-HISTORY_LINES:]:
            who = f" — {e.who}" if e.who else ""
            lines.append(f"  {_day(e.at)}  {e.source.system:<10} {e.what}{who}")
    counts = Counter(s.system for s in view.sources)
    lines.append("Sources: " + ", ".join(f"{n} {system}" for system, n in sorted(counts.items())))
    if view.diagnostics.unlinked_records:
        lines.append(f"Left out (cannot be linked): {view.diagnostics.unlinked_records}")
        lines.extend(f"  - {note}" for note in view.diagnostics.notes)
    return "\n".join(lines)


def render_portfolio(portfolio: Portfolio) -> str:
    shown = {k: v for k, v in portfolio.filters.model_dump().items() if v is not None}
    header = ", ".join(f"{k}={_filter_value(v)}" for k, v in shown.items()) or "all journeys"
    count = counted(len(portfolio.entries), "journey")
    lines = [f"{count} ({header}) as of {_day(portfolio.as_of)}"]
    if portfolio.unavailable:
        down = ", ".join(f"{u.system} ({u.reason})" for u in portfolio.unavailable)
        lines.append(f"PARTIAL: could not reach {down}")
    for e in portfolio.entries:
        holder = _owner(e.next_step.owner) if e.next_step else "—"
        blockers = f" [{', '.join(e.blockers)}]" if e.blockers else ""
        # A journey a down system left open is marked, so its status is not taken as settled.
        partial = " (partial: not every system answered)" if e.unconfirmed else ""
        lines.append(
            f"  {e.status:<10} {e.current_step or '—':<17} {e.account.name or e.account.id}"
            f" — next: {holder}{blockers}{partial}"
        )
    if portfolio.diagnostics.unlinked_records:
        lines.append(f"Left out (cannot be linked): {portfolio.diagnostics.unlinked_records}")
    return "\n".join(lines)
