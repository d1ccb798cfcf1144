"""Does what a customer typed name their own account?

A customer principal is bound to one account and is only ever answered about it. When they name
something else ("the status of Acme Bakeries Inc", another account's id, a ticket that is not
theirs), answering about their own account as if it were the one asked about would mislead, so
the tools refuse instead. The decision is made from their own account's view alone — never by
resolving the words against other customers — so the refusal is the same whether the other
customer exists or not, and nothing about anyone else can be learnt from it.

Their own account is: nothing at all or words like "me", "my account", "our application"; its
CRM id (15 or 18 characters); its name or DBA name, with a typo or two or only some of its
words ("Acme Bakry", "Acme"); or a record of theirs (a ticket number, a reader id, ...).
"""

from __future__ import annotations

from rapidfuzz import fuzz

from journeys.resolve import ACCOUNT_ID, RECORD_REFS, TICKET_REF, normalize_name
from journeys.view import JourneyView

# Words that point at the asker rather than name anyone: "my account", "our onboarding".
SELF_WORDS = frozenset(
    {"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "this", "it"}
    | {"account", "accounts", "company", "business", "application", "onboarding", "status"}
)
# rapidfuzz ratio (0-100) on normalized names at or above which a name is a typo of the own
# name: "acme bakry" against "acme bakery" scores 95, "acme bakeries" (another customer) 83.
OWN_NAME_RATIO = 93.0
SHORT_ID = 15  # Salesforce ids: the 18-character form adds a case-safe suffix


def names_own_account(said: str, view: JourneyView) -> bool:
    """True when ``said`` refers to the account ``view`` is about."""
    text = said.strip()
    if ACCOUNT_ID.match(text):
        return text[:SHORT_ID] == view.account.id[:SHORT_ID]
    if any(pattern.match(text) for pattern, _ in RECORD_REFS):
        return _record_id(text) in {s.record_id for s in view.sources}
    words = [w for w in normalize_name(text).split() if w not in SELF_WORDS]
    if not words:
        return True
    names = (n for n in (view.account.name, view.account.dba_name) if n)
    return any(_same_name(" ".join(words), normalize_name(name)) for name in names)


def _record_id(reference: str) -> str:
    ticket = TICKET_REF.match(reference)
    return ticket.group(1) if ticket else reference


def _same_name(wanted: str, own: str) -> bool:
    """The own name, misspelt a little, or some of its words ("Acme" for "Acme Bakery")."""
    return set(wanted.split()) <= set(own.split()) or fuzz.ratio(wanted, own) >= OWN_NAME_RATIO
