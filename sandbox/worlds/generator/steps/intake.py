"""Intake: the relationship manager wins the deal — Opportunity "Closed Won"."""

from __future__ import annotations

from sandbox.worlds.generator.journey import Journey
from sandbox.worlds.generator.timeline import StepWindow

BLOCKERS = frozenset({"waiting_on_client", "sla_breach"})
LOSS_REASON = "Lost to competitor: client chose a bank offering a lower interchange-plus rate."


def write(j: Journey, w: StepWindow) -> None:
    j.world.salesforce["Opportunity"].append(_opportunity(j, w))
    j.task(
        w,
        "Send {product} pricing proposal and fee schedule",
        "Completed",
        j.rm,
        created=w.start,
        updated=w.at(0.3),
        due=w.start - 2,
    )
    status, description = _signature_task(w)
    j.task(
        w,
        "Collect signed proposal and onboarding application",
        status,
        j.rm,
        created=w.at(0.3),
        updated=w.end,
        due=w.start - 4,
        description=description,
        priority="High" if w.blockers else "Normal",
    )


def _opportunity(j: Journey, w: StepWindow) -> dict:
    if w.done:
        stage, probability, close = "Closed Won", 100, j.date(w.end)
    elif w.terminated:
        stage, probability, close = "Closed Lost", 0, j.date(w.end)
    else:
        stage, probability, close = "Negotiation/Review", 75, j.date(w.start - 14)
    return {
        "Id": j.ids.salesforce("006", f"opportunity:{j.scenario.key}"),
        "Name": f"{j.scenario.name} - {j.label}",
        "AccountId": j.account_id,
        "OwnerId": j.bank.user_ids[j.rm.key],
        "Type": "New Business",
        "StageName": stage,
        "Probability": probability,
        "IsClosed": stage.startswith("Closed"),
        "IsWon": stage == "Closed Won",
        "Amount": j.amount,
        "CloseDate": close,
        "Product__c": j.label,
        "Description": LOSS_REASON if w.terminated else f"New {j.label} relationship.",
        "CreatedDate": j.sf_time(w.start),
        "LastModifiedDate": j.sf_time(w.end),
    }


def _signature_task(w: StepWindow) -> tuple[str, str]:
    if w.done:
        return "Completed", "Signed proposal and application received."
    if w.terminated:
        return "Deferred", "Client declined the proposal."
    if w.has("waiting_on_client"):
        return "Waiting on someone else", "Client is reviewing the fee schedule with their CPA."
    return "In Progress", "Proposal sent; following up on signature."
