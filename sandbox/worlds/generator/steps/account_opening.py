"""Account opening: deposit operations opens the account in the core — ``Core_Account_Number__c``
and ``Account_Opened_Date__c`` on the Account, and a solved step_account_opening ticket."""

from __future__ import annotations

from sandbox.worlds.generator.conventions import INTEGRATION_ERROR_TAG
from sandbox.worlds.generator.journey import Journey, Line
from sandbox.worlds.generator.steps.common import money, thread_for, ticket_status
from sandbox.worlds.generator.timeline import StepWindow

BLOCKERS = frozenset({"waiting_on_client", "failed_integration", "sla_breach"})

OPENING = Line(
    "agent",
    "Documents are complete, opening the {account_type} for {company} in the core.",
    public=False,
)
THREADS: dict[str, list[Line]] = {
    "done": [
        Line("agent", "Hi {client}, your new {account_type} is open (account ending {last4}). "
             "Welcome aboard!"),
    ],
    "waiting_on_client": [
        Line("agent", "Hi {client}, the account is ready to open once the initial deposit of "
             "{deposit} arrives. Wire instructions are attached."),
    ],
    "failed_integration": [
        Line("agent", "Core booking failed: CIF-409 duplicate customer record (tax id already on "
             "file under a closed CIF). Raised with core support.", public=False),
        Line("agent", "Retry after the CIF merge failed again with CIF-409.", public=False),
    ],
    "sla_breach": [
        Line("agent", "In the queue behind month-end account maintenance.", public=False),
    ],
    "in_progress": [
        Line("agent", "Account set-up started; funding instructions to follow.", public=False),
    ],
}  # fmt: skip


def write(j: Journey, w: StepWindow) -> None:
    number = j.ids.digits(f"core-account:{j.scenario.key}", 10)
    facts = {
        "account_type": "business checking account"
        if j.product == "merchant_services"
        else "commercial analysis checking account",
        "last4": number[-4:],
        "deposit": money(j.rng.choice((5_000, 10_000, 25_000))),
    }
    if w.done:
        j.account["Core_Account_Number__c"] = number
        j.account["Account_Opened_Date__c"] = j.date(w.end)
    j.ticket(
        w,
        "Open operating account: {company}",
        ticket_status(w),
        [OPENING, *thread_for(w, THREADS)],
        tags=(INTEGRATION_ERROR_TAG,) if w.has("failed_integration") else (),
        **facts,
    )
