"""The planner's vocabulary: cue words per intent and the words that fill each slot.

Entries are words or short phrases in normalised form (see ``text.fold``); they are matched
word by word with ``text.same_word``, so inflections (blocked/blocking) and typos (blokcing)
match without being listed. Weights say how much a cue alone signals its intent: 1.0 is
decisive ("timeline"), 0.5 needs company ("why"). These are cue *words*, not phrasings:
the planner must understand questions nobody wrote down, so each intent is described by the
words people use for it, in any order.
"""

from __future__ import annotations

from typing import Literal

Intent = Literal[
    "status",
    "next_step",
    "blockers",
    "history",
    "owner",
    "sources",
    "troubleshooting",
    "portfolio",
    "handoff",
    "follow_up",
    "help",
    "step_sla",  # a step's SLA in the playbooks (no cues of its own: see SLA_WORDS)
]

INTENT_CUES: dict[Intent, dict[str, float]] = {
    "status": {
        "status": 1.0,
        "where": 0.6,
        "stage": 1.0,
        "progress": 1.0,
        "far along": 1.0,
        "how far": 1.0,
        "update": 0.7,
        "doing": 0.6,
        "going": 0.5,
        "standing": 0.8,
        "state": 0.6,
        "situation": 0.8,
        "overview": 0.8,
        "tell me about": 0.8,
        "look up": 0.7,
        "check on": 0.8,
        "how is": 0.5,
        "how are": 0.5,
        "what is up with": 1.0,
        "summary": 0.8,
        "summarize": 0.9,
        "summarise": 0.9,
        "recap": 0.8,
        "brief me": 0.9,
        "onboarding": 0.3,
        "phase": 0.9,
        "at": 0.2,
        "live yet": 1.0,
        "done yet": 1.0,
        "ready": 0.5,
        "finished": 0.5,
        "complete": 0.4,
        "any news": 1.0,
        "news": 0.6,
        "latest on": 0.8,
    },
    "next_step": {
        "next": 1.0,
        "then": 0.4,
        "remaining": 0.8,
        "left to do": 1.0,
        "to do": 0.6,
        "upcoming": 0.9,
        "due": 0.8,
        "deadline": 0.9,
        "sla": 0.6,
        "when will": 0.8,
        "eta": 0.8,
        "needs to happen": 1.0,
        "what now": 1.0,
        "still needed": 0.9,
        "after that": 0.8,
        "happen next": 1.0,
        "outstanding": 0.6,
        "expect": 0.6,
        "how long": 0.7,
    },
    "blockers": {
        "block": 1.0,
        "blocker": 1.0,
        "stuck": 1.0,
        "holding": 0.9,
        "hold up": 1.0,
        "holdup": 1.0,
        "delay": 1.0,
        "why": 0.7,
        "issue": 0.7,
        "problem": 0.7,
        "wrong": 0.8,
        "waiting on": 0.8,
        "waiting for": 0.8,
        "slow": 0.8,
        "behind": 0.7,
        "late": 0.6,
        "obstacle": 1.0,
        "snag": 1.0,
        "prevent": 0.9,
        "bottleneck": 1.0,
        "so long": 0.9,
        "taking long": 0.9,
        "moved forward": 0.8,
        "moving": 0.6,
        "hang up": 0.9,
        "hitch": 1.0,
        "keeping": 0.6,
        "gone anywhere": 0.9,
        "missing": 0.8,
        "impediment": 1.0,
        "stop": 0.6,
        "fail": 0.6,
        "hung": 0.8,
        "overdue": 0.8,
    },
    "history": {
        "history": 1.0,
        "timeline": 1.0,
        "happened": 1.0,
        "happen": 0.6,
        "activity": 0.9,
        "events": 0.9,
        "log": 0.8,
        "so far": 0.8,
        "recent": 0.9,
        "recently": 0.9,
        "lately": 0.9,
        "past": 0.6,
        "changes": 0.7,
        "note": 0.9,  # not "notes": its stem is "not"
        "comments": 0.9,
        "rundown": 0.9,
        "chronology": 1.0,
        "trail": 0.8,
        "audit": 0.8,
        "last week": 0.8,
        "latest": 0.6,
        "what has been done": 1.0,
        "what was done": 1.0,
        "who did what": 1.0,
        "story": 0.6,
        "correspondence": 0.9,
        "conversation": 0.7,
        "thread": 0.6,
        "said": 0.6,
    },
    "owner": {
        "who": 0.9,
        "whom": 0.9,
        "whose": 1.0,
        "owner": 1.0,
        "owns": 1.0,
        "own": 0.6,
        "responsible": 1.0,
        "accountable": 1.0,
        "ball": 1.0,
        "baton": 1.0,
        "desk": 1.0,
        "court": 0.8,
        "handling": 0.9,
        "assigned": 1.0,
        "point person": 1.0,
        "contact": 0.6,
        "chase": 0.8,
        "holds": 0.7,
        "sitting with": 1.0,
        "in charge": 1.0,
        "working on": 0.9,
        "sitting on": 0.9,
        "busy with": 0.9,
        "ping": 0.5,
        "talk to": 0.6,
        "reach out": 0.6,
        "poke": 0.5,
        "lead": 0.5,
        "hands": 0.6,
        "relationship manager": 0.9,
        "rm": 0.9,
        "email": 0.5,
        "phone": 0.5,
    },
    "sources": {
        "where find": 1.0,
        "where can": 0.8,
        "where": 0.4,
        "where do": 0.7,
        "link": 1.0,
        "links": 1.0,
        "record": 0.8,
        "records": 0.8,
        "source": 1.0,
        "sources": 1.0,
        "pull up": 1.0,
        "locate": 1.0,
        "which system": 1.0,
        "stored": 1.0,
        "kept": 0.8,
        "evidence": 1.0,
        "proof": 0.9,
        "documents": 0.4,
        "docs": 0.3,
        "paperwork": 0.4,
        "file": 0.4,
        "form": 0.5,
        "ticket": 0.5,
        "find": 0.8,
        "look at": 0.5,
        "see the": 0.4,
        "url": 1.0,
        "application": 0.3,
    },
    "troubleshooting": {
        "error": 1.0,
        "troubleshoot": 1.0,
        "fix": 0.9,
        "not working": 1.0,
        "does not work": 1.0,
        "will not": 0.6,
        "broken": 0.9,
        "how do i": 0.7,
        "how do we": 0.7,
        "how to": 0.7,
        "reset": 0.9,
        "offline": 0.8,
        "rejected": 0.6,
        "code": 0.6,
        "terminal": 0.5,
        "reader": 0.5,
        "printer": 0.8,
        "pin pad": 0.8,
        "firmware": 0.9,
        "keeps": 0.5,
        "message": 0.4,
        "screen": 0.7,
        "shows": 0.6,
        "says": 0.4,
        "try": 0.6,
        "steps": 0.4,
        "cutoff": 0.8,
        "cut off": 0.8,
        "return code": 1.0,
        "returned": 0.6,
        "bounced": 0.7,
        "setup": 0.3,
        "configure": 0.6,
        "locked out": 1.0,
        "password": 0.9,
        "login": 0.6,
        "what does": 0.5,
        "mean": 0.6,
        "declined": 0.4,
        "failing": 0.5,
        "crash": 0.9,
        "won't": 0.5,
        "connect": 0.6,
        "wifi": 0.8,
        "network": 0.6,
        # Devices and their symptoms.
        "pinpad": 0.8,
        "tamper": 0.9,
        "warning": 0.6,
        "alert": 0.5,
        "receipt": 0.6,
        "print": 0.5,
        "paper": 0.5,
        "battery": 0.7,
        "outage": 0.9,
        "down": 0.3,
        # What to do: the question's frame.
        "what should i do": 1.0,
        "what do i do": 1.0,
        "what do we do": 1.0,
        "should i": 0.4,
        "do i": 0.3,
        "how does": 0.7,
        "why does": 0.6,
        "what happens": 0.7,
        # Processes and policy: how the bank works, not where one customer is.
        "policy": 0.9,
        "procedure": 0.9,
        "process": 0.5,
        "rule": 0.6,
        "threshold": 0.8,
        "limit": 0.6,
        "exposure": 0.6,
        "requirement": 0.7,
        "required": 0.5,
        "sla": 0.5,
        "escalate": 0.6,
        "escalation": 0.9,
        "page": 0.5,
        "on call": 0.8,
        "sev": 0.8,
        "severity": 0.8,
        "incident": 0.7,
    },
    "portfolio": {
        "which": 0.7,
        "list": 1.0,
        "all": 0.5,
        "clients": 0.9,
        "customers": 0.9,
        "accounts": 0.9,
        "journeys": 0.9,
        "merchants": 0.8,
        "portfolio": 1.0,
        "book": 0.6,
        "how many": 1.0,
        "anything": 0.7,
        "everything": 0.7,
        "any": 0.4,
        "mine": 0.8,
        "my": 0.4,
        "show me": 0.4,
        "every": 0.6,
        "pipeline": 0.9,
        "queue": 0.8,
        "count": 0.8,
        "overall": 0.6,
        "across": 0.6,
        "ones": 0.6,
        "whole": 0.5,
        "relationships": 0.7,
        "deals": 0.6,
        "files": 0.4,
        "companies": 0.8,
        "businesses": 0.8,
    },
    "handoff": {
        "human": 1.0,
        "person": 0.8,
        "someone": 0.7,
        "somebody": 0.7,
        "representative": 1.0,
        "agent": 0.6,
        "speak": 0.9,
        "talk": 0.6,
        "call me": 1.0,
        "hand off": 1.0,
        "handoff": 1.0,
        "transfer": 0.9,
        "real person": 1.0,
        "live agent": 1.0,
        "operator": 0.9,
        "escalate": 0.6,
        "complain": 0.8,
        "complaint": 0.8,
        "manager": 0.5,
        "staff": 0.5,
        "actual": 0.4,
        "not a bot": 1.0,
    },
    "follow_up": {
        "remind": 1.0,
        "reminder": 1.0,
        "nudge": 1.0,
        "ping": 0.8,
        "chase": 0.7,
        "follow up": 1.0,
        "create": 0.8,
        "open a ticket": 1.0,
        "raise": 0.7,
        "send": 0.8,
        "notify": 1.0,
        "schedule": 0.8,
        "task": 0.7,
        "add a comment": 1.0,
        "log a": 0.8,
        "tell": 0.4,
        "ask them": 0.8,
        "escalate": 0.9,
        "book": 0.3,
        "message them": 1.0,
        "poke": 0.8,
        "set up a": 0.5,
        "assign": 0.7,
        "reassign": 1.0,
        "mark": 0.6,
        "update the": 0.6,
        "write": 0.6,
        "draft": 0.8,
    },
    "help": {
        "help": 1.0,
        "what can you": 1.0,
        "what do you": 0.8,
        "how do you work": 1.0,
        "capabilities": 1.0,
        "commands": 0.9,
        "hello": 0.8,
        "hi": 0.8,
        "hey": 0.5,
        "good morning": 0.8,
        "what are you": 1.0,
        "who are you": 1.0,
        "able to": 0.5,
        "example": 0.7,
        "examples": 0.7,
        "sort of stuff": 0.8,
        "kind of things": 0.8,
        "things": 0.3,
        "answer": 0.4,
        "thanks": 0.6,
        "thank you": 0.7,
    },
}

# An intent is read when its cues add up to this much.
INTENT_THRESHOLD = 0.75

# A status filter the planner applies itself: list_journeys takes one status at a time.
NOT_ON_TRACK = "not_on_track"
NOT_ON_TRACK_STATUSES = ("blocked", "stalled", "at_risk")

# Status filters of list_journeys, and the words that name them.
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "stalled": (
        "stalled",
        "stall",
        "quiet",
        "idle",
        "dormant",
        "no activity",
        "gone cold",
        "cold",
        "untouched",
        "stale",
        "inactive",
        "forgotten",
        "neglected",
        "abandoned",
        "silent",
        "nothing moving",
        "no movement",
        "dead in the water",
        "languishing",
        "gathering dust",
    ),
    "blocked": ("blocked", "held up", "on hold", "jammed", "waiting"),
    "at_risk": (
        "at risk",
        "risky",
        "slipping",
        "about to breach",
        "close to breach",
        "near sla",
        "in danger",
        "jeopardy",
        "tight",
    ),
    # "Stuck" is anything not moving as it should: blocked, stalled or at risk alike.
    NOT_ON_TRACK: (
        "stuck",
        "in trouble",
        "trouble",
        "troubled",
        "struggling",
        "off track",
        "not on track",
        "needs attention",
        "need attention",
        "problems",
    ),
    "on_track": ("on track", "healthy", "fine", "good shape", "going well", "smooth"),
    "live": ("live", "went live", "gone live", "launched", "completed onboarding"),
    "terminated": (
        "terminated",
        "lost",
        "cancelled",
        "canceled",
        "dropped",
        "dead",
        "withdrawn",
        "ended",
        "denied",
        "declined",
        "closed lost",
    ),
}

# Journey steps (ids of the default playbooks) and the words people use for them.
STEP_WORDS: dict[str, tuple[str, ...]] = {
    "intake": ("intake", "proposal", "signing the deal", "contract", "pricing", "fee schedule"),
    "kyc": (
        "kyc",
        "kyb",
        "know your customer",
        "verification",
        "verify",
        "identity",
        "compliance",
        "aml",
        "bsa",
        "due diligence",
        "kyc review",
    ),
    "credit": ("credit", "underwriting", "credit review", "credit approval", "committee"),
    "documents": ("documents", "signatures", "paperwork", "docs", "signing", "signature"),
    "account_opening": ("account opening", "open the account", "opening", "core account"),
    "provisioning": (
        "provisioning",
        "boarding",
        "merchant boarding",
        "hardware",
        "terminal order",
        "shipping",
        "shipment",
    ),
    "treasury_setup": (
        "treasury setup",
        "treasury services",
        "ach",
        "positive pay",
        "remote deposit",
        "wires",
        "entitlements",
    ),
    "activation": ("activation", "activate", "activating", "go live", "online banking login"),
    "first_transaction": ("first transaction", "first sale", "first payment", "first batch"),
}

# Teams holding next steps in the default playbooks.
TEAMS: tuple[str, ...] = (
    "KYC & BSA",
    "Credit",
    "Onboarding Operations",
    "Deposit Operations",
    "Treasury Implementation",
    "Merchant Services",
    "Activation Support",
    "Relationship Management",
)
# A team is only a slot when named with a team-ish word nearby or in full.
TEAM_WORDS = ("team", "desk", "group", "queue", "ops", "department", "with", "sitting", "on")

PRODUCT_WORDS: dict[str, tuple[str, ...]] = {
    "merchant_services": ("merchant services", "merchant", "card processing", "pos"),
    "treasury_management": ("treasury management", "treasury", "cash management"),
}

# Blocker types of the playbooks ("which clients are waiting on a vendor?"). Read before the
# step and status words, so that "screening hit" is a blocker and "blocked on the client" is
# not also a status.
BLOCKER_WORDS: dict[str, tuple[str, ...]] = {
    "missing_documents": (
        "missing documents",
        "missing docs",
        "missing paperwork",
        "documents missing",
        "docs missing",
        "outstanding documents",
    ),
    "waiting_on_client": (
        "waiting on the client",
        "waiting on client",
        "client side",
        "customer side",
        "on the client",
        "on the customer",
        "on the merchant",
        "for the client",
        "for the customer",
        "with the client",
        "client action",
    ),
    "approval_delay": ("approval delay", "awaiting approval", "pending approval", "sign off"),
    "failed_integration": ("integration", "failed integration", "integration error"),
    "vendor_dependency": ("vendor", "carrier", "third party", "supplier"),
    "screening_hit": (
        "screening hit",
        "screening",
        "ofac hit",
        "ofac match",
        "sanctions hit",
        "ofac",
        "pep",
        "sanctions",
        "watchlist",
        "watch list",
        "name match",
    ),
    "sla_breach": ("sla breach",),
}

# The next step is past its due date ("what's overdue?"); a list filter of its own.
OVERDUE_WORDS = (
    "overdue",
    "past due",
    "late",
    "past sla",
    "past the sla",
    "past their sla",
    "past its due",
    "past their due",
    "past the due",
    "over sla",
    "breached",
    "breach",
    "missed deadline",
    "behind schedule",
)

# How long a step may take: with a step and no customer, the playbooks' SLA for it.
SLA_WORDS = (
    "sla",
    "service level",
    "turnaround",
    "supposed to take",
    "should take",
    "expected to take",
    "how long",
)

# The CRM's hand-kept stage disagrees with the evidence: a CRM word with a staleness word.
CRM_WORDS = ("crm", "salesforce", "sfdc")
# Systems are never part of a customer's name ("Twin Cities Print & Mail — Salesforce says…").
SYSTEM_WORDS = frozenset((*CRM_WORDS, "zendesk"))
STALE_WORDS = (
    "stale",
    "wrong",
    "out of date",
    "outdated",
    "mismatch",
    "disagree",
    "incorrect",
    "inaccurate",
    "not updated",
    "behind",
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that only carry the question, never a customer's name: removed before a name is
# looked for in what remains (intent cues and slot words are set aside separately).
FUNCTION_WORDS = _words(
    """
    a an the this that these those it its it is they them their theirs there here he she him
    her his we us our ours you your yours i me my mine myself who whom whose what which when
    where why how is are was were be been being am do does did doing done have has had having
    can could would should will shall may might must not no yes of in on at to for from by
    with about into onto over under up down out off as than then so and or but if also plus
    too very just only still yet again any some all each every both either neither else more
    most less please pls plz thanks thank thx hey hi hello ok okay quick question one ones
    tell show give let know need want like get got go going gone see look find check current
    currently right now today moment at the moment customer customers client clients account
    accounts company companies business businesses merchant merchants onboarding journey
    journeys application applications case deal re regarding concerning name named called
    whats hows wheres whos happening happen thing things stuff something anything everything
    same other another those guys folks people team teams lately recently again already
    far along side end point sitting bit kind sort lot actually really during while after
    before since until via per our ours guess wonder wondering mean whoever whatever
    someone somebody anyone anybody
    """
)

# What a person holds: "Dana's book", "Tom's plate" ask for the journeys they own or hold.
HOLDINGS = _words(
    "book clients customers accounts portfolio pipeline queue plate desk deals merchants "
    "relationships files list"
)

# Words that point back to a customer mentioned earlier in the conversation.
PRONOUNS = _words(
    "it its they them their theirs this that those these he she him her his same one there "
    "client customer account company"
)

# Words of other languages that never occur in English questions: a message made of these
# is answered with "English only", not guessed at.
FOREIGN_FUNCTION_WORDS = _words(
    """
    el la los las es est ist der die das und une un des les que qui cual cuál donde dónde
    estado wo wie ist mein meine nicht pas por para con avec sur och och det är är är ja nein
    quel quelle où dov'è dove stato come perché porque warum
    """
)
