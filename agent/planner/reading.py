"""Reading a question: clauses → intents and slots → ``Request``s the planner can act on.

A message is cut into clauses (sentences, and "and"/"also" between questions), each read on
its own: its intents (``intents``), its slots (``slots``) and whom it is about — an exact
identifier, a name, the previous clause's customer ("…and who has it?"), or an earlier turn's
("what's blocking them?", see ``memory``). Customer principals are always asked about their
own account; a name they give is kept only to tell them when it is someone else's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from agent.planner.intents import IntentScores, score_intents
from agent.planner.lexicon import (
    FOREIGN_FUNCTION_WORDS,
    FUNCTION_WORDS,
    INTENT_THRESHOLD,
    PRONOUNS,
    Intent,
)
from agent.planner.memory import Context, Customer, pick
from agent.planner.slots import (
    EMAIL,
    Filters,
    Span,
    error_codes,
    identifier_tokens,
    identifiers,
    name_spans,
    read_filters,
)
from agent.planner.text import MAX_CHARS, Token, letters, tokens

Reply = Literal[
    "empty", "foreign", "out_of_scope", "which_customer", "help", "handoff", "follow_up"
]
CUSTOMER_INTENTS: tuple[Intent, ...] = (
    "status",
    "next_step",
    "blockers",
    "history",
    "owner",
    "sources",
    "follow_up",
    "handoff",
)
# A clause that is only a name ("Acme Bakery?") asks for its status; a longer clause with no
# cue at all is more likely something else entirely.
BARE_NAME_WORDS = 4
MAX_LISTED = 10  # "what's blocking them?" after a list asks about at most this many
WEAK_INTENT = 0.5
CONFIDENT_NAME = 0.6
_CLAUSE_BREAKS = re.compile(r"[?;!\n]+|\.\s+|,\s*(?=(?:and|also|plus|then)\b)")
_JOINS = re.compile(r"\s+(?:and also|and then|as well as|and|also|plus)\s+", re.I)
_SELF = {"my", "mine", "myself"}


@dataclass(frozen=True)
class Request:
    """One thing to find out or do. ``customer`` is what the tools are given."""

    intent: Intent
    customer: str | None = None
    said: str | None = None  # the name as the user wrote it
    filters: Filters = field(default_factory=Filters)
    query: str | None = None  # troubleshooting: the user's words
    from_list: bool = False  # about each customer of this turn's list result


@dataclass
class Reading:
    requests: list[Request] = field(default_factory=list)
    reply: Reply | None = None  # answered without tools


def read(text: str, context: Context) -> Reading:
    if not letters(text):
        return Reading(reply="empty")
    if _foreign(tokens(text)):
        return Reading(reply="foreign")
    reading = Reading()
    carried: list[Customer] = []
    listing = False
    clauses = _clauses(text[:MAX_CHARS])
    for clause in clauses:
        requests = _read_clause(clause, context, carried, listing, len(clauses) == 1)
        if requests is None:
            continue
        if isinstance(requests, str):
            reading.reply = reading.reply or requests
            continue
        reading.requests.extend(r for r in requests if r not in reading.requests)
        listing = listing or any(r.intent == "portfolio" for r in requests)
        carried = [Customer(r.customer, r.said or r.customer) for r in requests if r.customer]
    if reading.requests:
        reading.reply = None
    return reading


def _clauses(text: str) -> list[str]:
    parts = [p.strip() for chunk in _CLAUSE_BREAKS.split(text) for p in _JOINS.split(chunk)]
    return [p for p in parts if letters(p)]


def _foreign(words: list[Token]) -> bool:
    """Mostly another language's function words, and none of English's."""
    foreign = sum(w.norm in FOREIGN_FUNCTION_WORDS for w in words)
    english = sum(w.norm in FUNCTION_WORDS for w in words if w.norm not in FOREIGN_FUNCTION_WORDS)
    return foreign >= 2 and english == 0


@dataclass
class _Clause:
    words: list[Token]
    refs: list[str]
    codes: list[str]
    scores: IntentScores
    filters: Filters
    spans: list[Span]

    @property
    def top(self) -> list[Intent]:
        return self.scores.above()

    def says(self, vocabulary: frozenset[str] | set[str]) -> bool:
        return any(w.norm in vocabulary for w in self.words)


def _parse(text: str) -> _Clause:
    words = tokens(text)
    refs = identifiers(text)
    codes = error_codes(text)
    slots = identifier_tokens(words, refs, codes)
    filters = read_filters(words, slots)
    scores = score_intents(words)
    spans = name_spans(words, scores.used - slots, slots)
    return _Clause(words, refs, codes, scores, filters, spans)


def _read_clause(
    text: str, context: Context, carried: list[Customer], listing: bool, alone: bool
) -> list[Request] | Reply | None:
    clause = _parse(text)
    principal = context.principal
    customer_principal = principal is not None and principal.kind == "customer"
    span = max(clause.spans, key=lambda s: (s.strength, s.last - s.first), default=None)
    intents = _customer_intents(clause)
    troubleshooting = _troubleshooting(clause, intents)
    filters = Filters(step=clause.filters.step, blocker_type=clause.filters.blocker_type)
    referent = listing or bool(carried or context.focus or context.listed)
    wants_list = _wants_list(clause, span, referent)
    if wants_list and not customer_principal and not clause.codes:
        return [Request("portfolio", filters=_list_filters(clause, span, context))]
    if customer_principal:
        own = Customer(principal.account_id or "", "")
        said = span.text if span and span.strength >= CONFIDENT_NAME else None
        if intents or wants_list or not troubleshooting:
            asked = intents or ["status"]
            return [Request(i, own.ref, said, filters) for i in asked] + troubleshooting
        return troubleshooting
    asked = bool(troubleshooting) or any(i in clause.top for i in intents)
    customers = _customers(clause, span, context, carried, asked, listing)
    if customers == "list" and intents:
        return [Request(i, filters=filters, from_list=True) for i in intents]
    if isinstance(customers, list) and customers:
        asked = intents or ([] if troubleshooting else ["status"])
        return [Request(i, c.ref, c.name, filters) for c in customers for i in asked] + (
            troubleshooting
        )
    if troubleshooting:
        return troubleshooting
    strong = [i for i in intents if i in clause.top]
    if set(strong) - {"handoff", "follow_up"}:
        return "which_customer"
    if strong:
        return "handoff" if "handoff" in strong else "follow_up"
    if clause.scores.of("help") >= INTENT_THRESHOLD:
        return "help"
    return "out_of_scope" if alone else None


def _customer_intents(clause: _Clause) -> list[Intent]:
    strong = [i for i in clause.top if i in CUSTOMER_INTENTS]
    if strong:
        return strong
    weak = max(CUSTOMER_INTENTS, key=clause.scores.of)
    return [weak] if clause.scores.of(weak) >= WEAK_INTENT else []


def _troubleshooting(clause: _Clause, intents: list[Intent]) -> list[Request]:
    score = clause.scores.of("troubleshooting")
    strongest = max((clause.scores.of(i) for i in intents), default=0.0)
    if clause.codes or (score >= INTENT_THRESHOLD and score > strongest):
        query = " ".join(w.raw for w in clause.words)
        return [Request("troubleshooting", query=query)]
    return []


def _wants_list(clause: _Clause, span: Span | None, referent: bool) -> bool:
    """A question about many journeys: list words, or filters with no customer to apply to
    (and no pronoun pointing at one mentioned before)."""
    if clause.refs and not EMAIL.fullmatch(clause.refs[0]):
        return False
    portfolio = clause.scores.of("portfolio") >= INTENT_THRESHOLD or clause.says(_SELF)
    if referent and clause.says(PRONOUNS) and not portfolio:
        return False
    filtered = clause.filters.list_args() != {}
    if span is None or span.strength < CONFIDENT_NAME:
        return filtered and (portfolio or not _customer_intents(clause) or span is None)
    return portfolio and filtered


def _list_filters(clause: _Clause, span: Span | None, context: Context) -> Filters:
    owner = None
    if clause.says(_SELF) and context.principal is not None:
        owner = context.principal.id
    elif clause.refs:
        owner = clause.refs[0]  # an email: "what does jane@bank hold?"
    elif span is not None and span.strength >= CONFIDENT_NAME:
        owner = span.text  # "which of Marcus Bell's clients…"
    return clause.filters.model_copy(update={"owner": owner, "blocker_type": None})


def _customers(
    clause: _Clause,
    span: Span | None,
    context: Context,
    carried: list[Customer],
    asked: bool,
    listing: bool,
) -> list[Customer] | Literal["list"]:
    """Whom the clause is about: named here, picked from the last turn's candidates or list,
    or referred back to (a pronoun, or no name at all)."""
    if clause.refs:
        return [Customer(ref, ref) for ref in clause.refs]
    options = context.candidates or context.listed
    chosen = pick(" ".join(w.raw for w in clause.words), options) if options else None
    if chosen is not None:
        return [chosen]
    pointing = clause.says(PRONOUNS)
    named = span is not None and _names_customer(clause, span, asked)
    if named and span is not None and not (pointing and span.strength < CONFIDENT_NAME):
        return [Customer(span.text, span.text)]
    if listing and (pointing or not carried):
        return "list"
    if carried:
        return carried
    if pointing or asked:
        return context.focus or context.listed[:MAX_LISTED]
    return []


def _names_customer(clause: _Clause, span: Span, asked: bool) -> bool:
    """Whether the leftover words are a customer's name rather than unrecognised chatter:
    with a clear question, yes; without one, only when the name is all the clause says
    besides a cue and is written like a name ("Acme Bakery?", "update on acme please"), not
    "the weather tomorrow in Portland" or "tell me a joke"."""
    if asked:
        return True
    content = [
        i
        for i, w in enumerate(clause.words)
        if w.norm not in FUNCTION_WORDS and w.norm.isalnum() and i not in clause.scores.used
    ]
    alone = len(clause.words) - (span.last - span.first + 1) <= 1
    return (
        0 < len(content) <= BARE_NAME_WORDS
        and all(span.first <= i <= span.last for i in content)
        and (span.strength >= CONFIDENT_NAME or alone)
    )
