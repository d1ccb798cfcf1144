"""Slots: what a question names besides its intent — identifiers, filters, a customer's name.

- ``identifiers``: things that name a customer exactly (CRM account ids, ticket numbers,
  emails, vendor record ids); handed to the tools as they are, since resolution happens there.
- ``error_codes``: E-104, R03, PP-03… — troubleshooting material, never a customer.
- ``read_filters``: status, step, team, product, blocker type, overdue and a stale CRM stage,
  from the lexicon's words.
- ``name_spans``: the customer's name as written, found as what is left once the words that
  carry the question (function words, intent cues, slot words) are set aside.
- ``owner_span``: a person whose book is asked about ("Dana's clients").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from rapidfuzz import fuzz

from agent.planner.lexicon import (
    BLOCKER_WORDS,
    CRM_WORDS,
    FUNCTION_WORDS,
    HOLDINGS,
    NOT_ON_TRACK,
    NOT_ON_TRACK_STATUSES,
    OVERDUE_WORDS,
    PRODUCT_WORDS,
    STALE_WORDS,
    STATUS_WORDS,
    STEP_WORDS,
    SYSTEM_WORDS,
    TEAM_WORDS,
    TEAMS,
)
from agent.planner.phrases import Occurrences
from agent.planner.text import Token, fold, same_word

ACCOUNT_ID = re.compile(r"\b001[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?\b")
TICKET = re.compile(
    r"(?:#\s*|\b(?:ticket|tkt|case|zendesk)\s*(?:no\.?|number|#)?\s*#?)(\d{3,})\b", re.I
)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Vendor records: Stripe-style readers/orders/charges, boarding applications, KYC tokens.
VENDOR_ID = re.compile(
    r"\b(?:(?:tmr|thor|ch|pi)_[A-Za-z0-9]{8,}|BA-\d{6,}|AP-[A-Z0-9]{12,}|D-[A-Z0-9]{12,})\b"
)
ERROR_CODE = re.compile(r"\b(?:[A-Z]{1,4}-?\d{1,4}|R\d{2})\b")
TAX_FORM = re.compile(r"^(?:W-?[89]|CP-?\d+|\d+)$")  # W-9, CP 575: documents, not error codes
# Connectors that may sit inside a company name ("Heritage Title & Escrow").
_NAME_JOINERS = {"&", "and", "of", "the", "de", "del", "la", "y", "n"}
# Words after which a name usually starts ("status of Acme", "blocking Acme").
_LEADS = {"of", "for", "on", "with", "about", "at", "is", "are", "re", "regarding", "to", "from"}
TEAM_RATIO = 88.0
# Each team, its folded name and that name's words: folded once rather than per question.
_TEAM_WORDS = [(team, fold(team), tuple(fold(team).split())) for team in TEAMS]
_TEAMISH = frozenset(TEAM_WORDS)
_PRODUCT_PHRASES = frozenset(p for phrases in PRODUCT_WORDS.values() for p in phrases)
TEAMISH_DISTANCE = 2  # "the Merchant Services team": a team-ish word this close


class Filters(BaseModel):
    """Filters of ``list_journeys`` (and the blocker type of ``explain_blocker``)."""

    status: str | None = None  # a journey status, or NOT_ON_TRACK (several, see ``keeps``)
    step: str | None = None
    team: str | None = None
    product: str | None = None
    owner: str | None = None
    blocker_type: str | None = None
    overdue: bool = False
    stale_crm: bool = False

    def list_args(self) -> dict[str, Any]:
        """The ``list_journeys`` arguments; NOT_ON_TRACK is no one status, so it is not sent
        and the entries are narrowed with ``keeps`` instead."""
        args = {
            "status": None if self.status == NOT_ON_TRACK else self.status,
            "step": self.step,
            "team": self.team,
            "product": self.product,
            "owner": self.owner,
            "blocker": self.blocker_type,
            "overdue": self.overdue or None,
            "stale_crm": self.stale_crm or None,
        }
        return {k: v for k, v in args.items() if v is not None}

    def conditions(self) -> bool:
        """Whether a list is narrowed by what journeys are like, not only by where they are
        (a step or a product alone may be the topic of a how-to question)."""
        return bool(
            self.status
            or self.team
            or self.owner
            or self.blocker_type
            or self.overdue
            or self.stale_crm
        )

    def keeps(self, status: str) -> bool:
        """Whether an entry of this status is wanted (the list tool applied the rest)."""
        if self.status == NOT_ON_TRACK:
            return status in NOT_ON_TRACK_STATUSES
        return self.status in (None, status)


@dataclass(frozen=True)
class Span:
    """A run of words that may name a customer (or, in a list question, a person)."""

    text: str
    first: int  # token index
    last: int
    strength: float  # 0 to 1: capitals and a lead word make a name more certain
    possessive: bool = False  # "Acme's ticket": a possessive is a name's


def identifiers(text: str) -> list[str]:
    """Exact customer references in ``text``, normalised for the tools, in order of appearance."""
    found: list[tuple[int, str]] = []
    found += [(m.start(), m.group()) for m in ACCOUNT_ID.finditer(text)]
    found += [(m.start(), f"#{m.group(1)}") for m in TICKET.finditer(text)]
    found += [(m.start(), m.group()) for m in EMAIL.finditer(text)]
    found += [(m.start(), m.group()) for m in VENDOR_ID.finditer(text)]
    unique: dict[str, None] = {}
    for _, ref in sorted(found):
        unique.setdefault(ref, None)
    return list(unique)


def error_codes(text: str) -> list[str]:
    masked = VENDOR_ID.sub(" ", ACCOUNT_ID.sub(" ", text))
    return [m.group() for m in ERROR_CODE.finditer(masked) if not TAX_FORM.match(m.group())]


def identifier_tokens(words: list[Token], refs: list[str], codes: list[str]) -> set[int]:
    """Indices of the tokens that are part of an identifier or an error code."""
    pieces = {fold(p) for ref in refs + codes for p in re.findall(r"[\w.@'\-]+", ref)}
    pieces |= {p.lstrip("#") for p in pieces}
    consumed = {i for i, w in enumerate(words) if w.norm.lstrip("#") in pieces}
    for i, w in enumerate(words):  # "ticket 1288": the word "ticket" goes with its number
        if w.norm in {"ticket", "tkt", "case", "number", "no"} and i + 1 in consumed:
            consumed.add(i)
    return consumed


def _first_named(
    found: Occurrences, vocabulary: dict[str, tuple[str, ...]], used: set[int]
) -> str | None:
    """The key whose words appear earliest (longest phrase first on ties); marks them used."""
    best: tuple[int, int, str, range] | None = None
    for key, phrases in vocabulary.items():
        for phrase in phrases:
            for span in found.find(phrase):
                if used.intersection(span) or _inside_name(found.words, span):
                    continue
                rank = (span.start, -len(span), key, span)
                if best is None or rank[:2] < best[:2]:
                    best = rank
    if best is None:
        return None
    used.update(best[3])
    return best[2]


def _team(found: Occurrences, used: set[int]) -> str | None:
    """A team named in full ("Treasury Implementation"), or by its distinctive word next to a
    team-ish word ("the credit desk"). A team named like a product ("Merchant Services") is
    the product unless a team-ish word is close: "merchant services customers" are clients
    of the product, "the Merchant Services team" is the team."""
    words = found.words
    text = " ".join(w.norm for w in words)
    for team, folded, wanted in _TEAM_WORDS:
        if len(wanted) > 1 and fuzz.partial_ratio(folded, text) >= TEAM_RATIO:
            starts = [span.start for span in found.find(wanted[0])]
            if folded in _PRODUCT_PHRASES and not any(
                _teamish_near(words, start, len(wanted)) for start in starts
            ):
                continue
            for start in starts:
                used.update(range(start, start + len(wanted)))
            return team
    for i, word in enumerate(words):
        neighbours = {w.norm for w in words[max(0, i - 2) : i + 3]}
        if not neighbours & _TEAMISH:
            continue
        for team, _, wanted in _TEAM_WORDS:
            if len(wanted) == 1 and same_word(word.norm, wanted[0]):
                used.add(i)
                return team
    return None


def _teamish_near(words: list[Token], start: int, length: int) -> bool:
    near = words[max(0, start - TEAMISH_DISTANCE) : start + length + TEAMISH_DISTANCE]
    return any(w.norm in _TEAMISH for w in near)


def _any_named(found: Occurrences, phrases: tuple[str, ...], used: set[int]) -> list[range]:
    return [
        span
        for phrase in phrases
        for span in found.find(phrase)
        if not used.intersection(span) and not _inside_name(found.words, span)
    ]


def _flag(found: Occurrences, phrases: tuple[str, ...], used: set[int]) -> bool:
    """Whether one of ``phrases`` is said; marks its words used."""
    spans = _any_named(found, phrases, used)
    for span in spans:
        used.update(span)
    return bool(spans)


def _stale_crm(found: Occurrences, used: set[int]) -> bool:
    """ "a stale CRM stage", "Salesforce is out of date": a CRM word with a staleness word."""
    crm, stale = _any_named(found, CRM_WORDS, used), _any_named(found, STALE_WORDS, used)
    if not (crm and stale):
        return False
    for span in crm + stale:
        used.update(span)
    return True


def read_filters(words: list[Token], used: set[int]) -> Filters:
    """The filters named in the question. Blockers are read first: "screening hit" is a
    blocker, not the KYC step, and "blocked on the client" names the blocker, so its status
    word adds nothing (a stalled journey can wait on the client too)."""
    found = Occurrences(words)
    blocker = _first_named(found, BLOCKER_WORDS, used)
    overdue = _flag(found, OVERDUE_WORDS, used)
    stale_crm = _stale_crm(found, used)
    team = _team(found, used)
    status = _first_named(found, STATUS_WORDS, used)
    if blocker and status in ("blocked", NOT_ON_TRACK):
        status = None
    return Filters(
        team=team,
        status=status,
        step=_first_named(found, STEP_WORDS, used),
        product=_first_named(found, PRODUCT_WORDS, used),
        blocker_type=blocker,
        overdue=overdue,
        stale_crm=stale_crm,
    )


def name_spans(words: list[Token], cues: set[int], slots: set[int]) -> list[Span]:
    """Runs of words that are neither function words nor used by a slot or an intent cue.

    A title-case word that only served as an intent cue still counts inside a title-case run
    ("Prairie State Grain"); joiners and title-case words bridge two name words.
    """

    def free(i: int) -> bool:
        w = words[i]
        if w.norm in SYSTEM_WORDS:
            return False
        if i in slots or (i in cues and not (_titled(w) and i > 0 and _titled_neighbour(words, i))):
            return False
        return w.norm not in FUNCTION_WORDS or (_titled(w) and i > 0 and w.norm != "i")

    marks = [free(i) and any(c.isalpha() for c in words[i].norm) for i in range(len(words))]
    for i in range(1, len(words) - 1):
        bridge = (
            words[i].norm in _NAME_JOINERS
            or words[i].norm.isdigit()  # "Pier 9 Fisheries"
            or (_titled(words[i]) and i not in slots)
        )
        if not marks[i] and bridge and marks[i - 1] and marks[i + 1]:
            marks[i] = True
    spans = []
    i = 0
    while i < len(words):
        if not marks[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and marks[j + 1]:
            j += 1
        first, last = _titled_core(words, i, j)
        spans.append(_span(words, first, last))
        i = j + 1
    return [s for s in spans if len(s.text) >= 3 or s.strength >= 0.6]


def _titled_core(words: list[Token], first: int, last: int) -> tuple[int, int]:
    """The run without trailing joiners, and without lower-case words around a title-case
    name ("Mesa Verde Outfitters forward" → "Mesa Verde Outfitters")."""
    while last > first and words[last].norm in _NAME_JOINERS:
        last -= 1
    titled = [k for k in range(first, last + 1) if _titled(words[k]) or words[k].raw.isupper()]
    if titled:
        return titled[0], titled[-1]
    return first, last


def _inside_name(words: list[Token], span: range) -> bool:
    """Whether a slot word is part of a title-case name ("O'Brien's Hardware")."""
    edges = [j for j in (span.start - 1, span.stop) if 0 < j < len(words)]
    return any(_titled(words[i]) for i in span) and any(
        _titled(words[j]) and words[j].norm not in FUNCTION_WORDS for j in edges
    )


def _titled(word: Token) -> bool:
    """Title case ("Acme", "O'Brien"), not an all-capitals word (SQL keywords, shouting)."""
    return word.raw[:1].isupper() and not (len(word.raw) > 1 and word.raw.isupper())


def _titled_neighbour(words: list[Token], i: int) -> bool:
    return any(
        0 < j < len(words) and _titled(words[j]) and words[j].norm not in FUNCTION_WORDS
        for j in (i - 1, i + 1)
    )


def _span(words: list[Token], first: int, last: int) -> Span:
    run = words[first : last + 1]
    capitals = sum(w.capitalised for w in run) / len(run)  # acronyms (BBQ, CPA) count too
    lead = first > 0 and words[first - 1].norm in _LEADS
    strength = min(1.0, 0.3 + 0.5 * capitals + (0.3 if lead else 0.0))
    return Span(" ".join(w.raw for w in run), first, last, strength, words[last].possessive)


def owner_span(words: list[Token], spans: list[Span]) -> Span | None:
    """A name that owns a book of customers ("Dana's book", "Marcus Bell's clients"): a
    possessive followed by a word for what a person holds."""
    for span in spans:
        after = span.last + 1
        if span.possessive and after < len(words) and words[after].norm in HOLDINGS:
            return span
    return None
