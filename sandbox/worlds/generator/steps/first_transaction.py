"""First transaction: merchant — a succeeded charge; treasury — ``First_Transaction_Date__c``
on the Account. The relationship manager follows up in a Task. After it, the journey is live."""

from __future__ import annotations

from sandbox.worlds.generator.conventions import MERCHANT
from sandbox.worlds.generator.journey import Journey
from sandbox.worlds.generator.timeline import StepWindow

BLOCKERS = frozenset({"waiting_on_client", "sla_breach"})
SUBJECTS = {
    MERCHANT: "Confirm first card transaction",
    "treasury_management": "Confirm first ACH batch settled",
}


def write(j: Journey, w: StepWindow) -> None:
    if w.done:
        status, description = "Completed", "First transaction confirmed."
        _record_first_transaction(j, w)
    elif w.has("waiting_on_client"):
        status = "Waiting on someone else"
        description = f"Client plans to start on {j.date(-5)}; nothing to do until then."
    else:
        status, description = "In Progress", "Checking in with the client about going live."
    j.task(
        w,
        SUBJECTS[j.product],
        status,
        j.rm,
        created=w.start,
        updated=w.end,
        due=w.start - 7,
        description=description,
    )


def _record_first_transaction(j: Journey, w: StepWindow) -> None:
    if j.product != MERCHANT:
        j.account["First_Transaction_Date__c"] = j.date(w.end)
        return
    # The first sale, then everyday trading up to the journey's last activity.
    count = min(3 + int(w.end // 5), 14)
    for n in range(count):
        at = w.end - (w.end - j.last_activity) * n / max(count - 1, 1)
        j.world.charges.append(
            {
                "id": j.ids.token("ch_", f"charge:{j.scenario.key}:{n}", 24),
                "object": "charge",
                "amount": j.rng.randrange(450, 48_000, 5),
                "currency": "usd",
                "created": j.unix(at),
                "status": "succeeded",
                "description": "Card present sale",
                "metadata": {"account_id": j.account_id},
            }
        )
