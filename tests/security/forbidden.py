"""What must never reach a customer, read from the demo world's own records.

Built from the world rather than typed in, so a journey added to the demo world is checked
too: the KYC reviews (queues, reasons, analysts), staff emails, private comment bodies, and
every other account's name and id (a name the customer wrote in their own public reply is
theirs to see quoted back).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from config import DEMO_WORLD

# Screening vocabulary and the wording of internal reviews and risk decisions.
TERMS = re.compile(
    r"watch\s*list|ofac|\bsdn\b|\bpep\b|sanction|politically exposed|match score|threshold"
    r"|due diligence|queued for|bsa officer|risk appetite|https?://",
    re.IGNORECASE,
)
PRIVATE_PREFIX = 40  # characters of a private comment that would show it was quoted


@dataclass(frozen=True)
class Account:
    id: str
    name: str


@dataclass(frozen=True)
class Forbidden:
    secrets: frozenset[str]  # never shown to any customer
    accounts: tuple[Account, ...]
    customer_words: dict[str, str]  # account id → what its end users wrote in public replies

    def leaks(self, text: str, account_id: str) -> list[str]:
        """Everything forbidden that ``text``, shown to the customer of ``account_id``,
        contains."""
        own = next(a for a in self.accounts if a.id == account_id)
        said = self.customer_words.get(account_id, "")
        found = [m.group() for m in TERMS.finditer(text)]
        found += [s for s in self.secrets if s in text]
        for other in self.accounts:
            if other.id == account_id:
                continue
            if other.id in text:
                found.append(other.id)
            if other.name in text and other.name not in own.name and other.name not in said:
                found.append(other.name)
        return found


def _read(path: str) -> Any:
    return json.loads((DEMO_WORLD / path).read_text(encoding="utf-8"))


@cache
def forbidden() -> Forbidden:
    secrets: set[str] = set()
    for application in _read("kyc/applications.json"):
        review = application.get("review") or {}
        secrets |= {v for k in ("queue", "reason", "analyst_email") if (v := review.get(k))}
        details = {e.get("detail") or "" for e in application.get("events", [])}
        # Phrases only: a bare outcome word ("Approved") is not a secret on its own.
        secrets |= {d for d in details if len(d.split()) > 1}
    secrets -= {"Business application started", "Documents requested"}  # said to customers
    staff = [u for u in _read("zendesk/users.json") if u["role"] != "end-user"]
    secrets |= {u["email"] for u in staff} | {u["Email"] for u in _read("salesforce/User.json")}
    for comments in _read("zendesk/comments.json").values():
        for comment in comments:
            if comment.get("public") is False:
                secrets.add(" ".join(comment["body"].split())[:PRIVATE_PREFIX])
    accounts = tuple(Account(a["Id"], a["Name"]) for a in _read("salesforce/Account.json"))
    return Forbidden(frozenset(secrets), accounts, _customer_words())


def _customer_words() -> dict[str, str]:
    organizations = {o["id"]: o.get("external_id") for o in _read("zendesk/organizations.json")}
    tickets = _read("zendesk/tickets.json")
    account_of = {t["id"]: organizations.get(t.get("organization_id")) for t in tickets}
    end_users = {u["id"] for u in _read("zendesk/users.json") if u["role"] == "end-user"}
    words: dict[str, str] = {}
    for ticket_id, comments in _read("zendesk/comments.json").items():
        account_id = account_of.get(int(ticket_id))
        for comment in comments:
            if account_id and comment.get("public", True) and comment["author_id"] in end_users:
                words[account_id] = words.get(account_id, "") + "\n" + comment["body"]
    return words
