"""Reading a question: clauses → intents and slots → ``Request``s the planner can act on.

A message is cut into clauses (sentences, and "and"/"also" between questions), each read on
its own: its intents (``intents``), its slots (``slots``) and whom it is about — an exact
identifier, a name, the previous clause's customer ("…and who has it?"), or an earlier turn's
("what's blocking them?", see ``memory``). Customer principals are always asked about their
own account; a name they give is kept only to tell them when it is someone else's.

Some readings are plausible rather than certain, and the tools are better judges of them than
word lists: a name with no question around it ("Is Golden Gate Coffee Roasters live?") may be a
customer, and a question about a topic ("who do I page for a Sev 1 outage?") may be in the
documentation. Such requests are *tentative*: they are asked, and the answer keeps them only
when the tool found something (a customer the name resolves to, passages above the knowledge
base's relevance threshold). ``Reading.reply`` is what to say when nothing was found.
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
    SLA_WORDS,
    Intent,
)
from agent.planner.memory import Context, Customer, pick
from agent.planner.phrases import Occurrences
from agent.planner.slots import (
    EMAIL,
    Filters,
    Span,
    error_codes,
    identifier_tokens,
    identifiers,
    name_spans,
    owner_span,
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
# A capitalised name right after a lead word ("where is Acme", "update on Northwind"): a weak
# cue then makes a clear question.
INTRODUCED_NAME = 0.9
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
    tentative: bool = False  # kept in the answer only when its tool finds something


@dataclass
class Reading:
    requests: list[Request] = field(default_factory=list)
    reply: Reply | None = None  # answered without tools, or when tentative requests find nothing

    @property
    def definite(self) -> bool:
        return any(not r.tentative for r in self.requests)


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
        requests, reply = _read_clause(clause, context, carried, listing, len(clauses) == 1)
        reading.reply = reading.reply or reply
        if not requests:
            continue
        reading.requests.extend(r for r in requests if r not in reading.requests)
        listing = listing or any(r.intent == "portfolio" for r in requests)
        carried = [Customer(r.customer, r.said or r.customer) for r in requests if r.customer]
    if reading.definite:
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
) -> tuple[list[Request], Reply | None]:
    """The clause's requests, and what to reply should they find nothing."""
    clause = _parse(text)
    principal = context.principal
    owner = owner_span(clause.words, clause.spans)
    span = max(
        (s for s in clause.spans if s != owner),
        key=lambda s: (s.strength, s.possessive, s.last - s.first),
        default=None,
    )
    if span is not None and span.strength >= CONFIDENT_NAME:
        clause.scores = score_intents(clause.words, range(span.first, span.last + 1))
    intents = _customer_intents(clause)
    knowledge = _knowledge(clause, intents)
    filters = Filters(step=clause.filters.step, blocker_type=clause.filters.blocker_type)
    if principal is not None and principal.kind == "customer":
        return _own_account(clause, span, intents, knowledge, principal.account_id, filters), None
    referent = listing or bool(carried or context.focus or context.listed)
    if not clause.codes and (owner or _wants_list(clause, span, referent, bool(knowledge))):
        return [Request("portfolio", filters=_list_filters(clause, span, owner, context))], None
    introduced = span is not None and span.strength >= INTRODUCED_NAME
    definite = not knowledge and (
        any(i in clause.top for i in intents) or bool(intents and introduced)
    )
    customers = _customers(clause, span, context, carried, definite, listing)
    if customers == "list" and intents:
        return [Request(i, filters=filters, from_list=True) for i in intents], None
    if customers:
        # A lower-case run of words next to a topic ("who do I page for a terminal outage")
        # is as likely chatter as a name: the customer lookup and the docs both judge it.
        weak_name = (
            span is not None
            and span.strength < CONFIDENT_NAME
            and customers == [Customer(span.text, span.text)]
        )
        sure = definite and not (weak_name and _topical(clause))
        others = knowledge or ([] if sure else _probe(clause))
        return [
            Request(i, c.ref, c.name, filters, tentative=not sure)
            for c in customers
            for i in intents or ["status"]
        ] + others, None
    if clause.filters.step and not knowledge and _says_any(clause, SLA_WORDS):
        # "What's the SLA for KYC?": the playbooks say, through the journeys at that step.
        step_only = Filters(step=clause.filters.step, product=clause.filters.product)
        return [Request("step_sla", filters=step_only)], None
    reply = _reply(clause, intents, alone)
    return knowledge or _probe(clause), reply


def _says_any(clause: _Clause, phrases: tuple[str, ...]) -> bool:
    found = Occurrences(clause.words)
    return any(found.find(phrase) for phrase in phrases)


def _reply(clause: _Clause, intents: list[Intent], alone: bool) -> Reply | None:
    """What to say to a clause no tool can answer."""
    strong = [i for i in intents if i in clause.top]
    if set(strong) - {"handoff", "follow_up"}:
        return "which_customer"
    if strong:
        return "handoff" if "handoff" in strong else "follow_up"
    if clause.scores.of("help") >= INTENT_THRESHOLD:
        return "help"
    return "out_of_scope" if alone else None


def _own_account(
    clause: _Clause,
    span: Span | None,
    intents: list[Intent],
    knowledge: list[Request],
    account_id: str | None,
    filters: Filters,
) -> list[Request]:
    """A customer asks about their own account, whatever name they give; a how-to question
    of theirs goes to the (customer-facing) documentation only."""
    if knowledge and not intents:
        return knowledge
    # What the customer named goes to the tools, which decide whether it is their own account
    # and refuse otherwise (the same refusal for real and made-up names); nothing named → theirs.
    # A customer is bound to one account, so an all-lower-case run of words ("the best way to
    # reach my manager") is not taken as naming another one: it would refuse a fair question.
    said = span.text if span and span.strength > CONFIDENT_NAME else None
    named = clause.refs[0] if clause.refs else said
    ref = named or account_id or ""
    return [Request(i, ref, said, filters) for i in intents or ["status"]] + knowledge


def _customer_intents(clause: _Clause) -> list[Intent]:
    strong = [i for i in clause.top if i in CUSTOMER_INTENTS]
    if strong:
        return strong
    weak = max(CUSTOMER_INTENTS, key=clause.scores.of)
    return [weak] if clause.scores.of(weak) >= WEAK_INTENT else []


def _topical(clause: _Clause) -> bool:
    """Whether the clause says anything the documentation might be about."""
    return bool(clause.codes) or clause.scores.of("troubleshooting") > 0


def _knowledge(clause: _Clause, intents: list[Intent]) -> list[Request]:
    """A clear how/what/why question about a product, device, error, process or policy."""
    score = clause.scores.of("troubleshooting")
    strongest = max((clause.scores.of(i) for i in intents), default=0.0)
    if clause.codes or (score >= INTENT_THRESHOLD and score > strongest):
        return [Request("troubleshooting", query=_query(clause))]
    return []


def _probe(clause: _Clause) -> list[Request]:
    """The documentation, asked when the question may be about it: its relevance threshold
    decides, not a word list."""
    if not _topical(clause):
        return []
    return [Request("troubleshooting", query=_query(clause), tentative=True)]


def _query(clause: _Clause) -> str:
    return " ".join(w.raw for w in clause.words)


def _wants_list(clause: _Clause, span: Span | None, referent: bool, knowledge: bool) -> bool:
    """A question about many journeys: list words, or filters with no customer to apply to
    (and no pronoun pointing at one mentioned before). A step or product named in a question
    about a topic ("what is the SLA for KYC?") is what it is about, not a list."""
    if clause.refs and not EMAIL.fullmatch(clause.refs[0]):
        return False
    portfolio = clause.scores.of("portfolio") >= INTENT_THRESHOLD or clause.says(_SELF)
    if referent and clause.says(PRONOUNS) and not portfolio:
        return False
    topic = _topical(clause) or _says_any(clause, SLA_WORDS)
    if not portfolio and (knowledge or (topic and not clause.filters.conditions())):
        return False
    filtered = clause.filters.list_args() != {}
    if span is None or span.strength < CONFIDENT_NAME:
        return filtered and (portfolio or not _customer_intents(clause) or span is None)
    return portfolio and filtered


def _list_filters(
    clause: _Clause, span: Span | None, owner: Span | None, context: Context
) -> Filters:
    person = None
    if owner is not None:
        person = owner.text  # "who is waiting on the client in Dana's book?"
    elif clause.says(_SELF) and context.principal is not None:
        person = context.principal.id
    elif clause.refs:
        person = clause.refs[0]  # an email: "what does jane@bank hold?"
    elif span is not None and span.strength >= CONFIDENT_NAME:
        person = span.text  # "which of Marcus Bell's clients…"
    return clause.filters.model_copy(update={"owner": person})


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
    """Whether the leftover words may be a customer's name rather than unrecognised chatter:
    with a clear question, yes; without one, when they are written like a name ("Is Golden
    Gate Coffee Roasters live?" — the lookup is then tentative: the resolver judges it), or
    when the name is all the clause says ("acme bakery?", "update on acme please"), not
    "tell me a joke"."""
    if asked or span.strength >= CONFIDENT_NAME:
        return True
    content = [
        i
        for i, w in enumerate(clause.words)
        if w.norm not in FUNCTION_WORDS and w.norm.isalnum() and i not in clause.scores.used
    ]
    alone = len(clause.words) - (span.last - span.first + 1) <= 1
    inside = all(span.first <= i <= span.last for i in content)
    return 0 < len(content) <= BARE_NAME_WORDS and inside and alone
