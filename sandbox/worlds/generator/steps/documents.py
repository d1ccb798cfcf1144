"""Documents & signatures: the onboarding specialist's Tasks and the "Onboarding Operations"
ticket tagged step_documents."""

from __future__ import annotations

from sandbox.worlds.generator.journey import Journey, Line
from sandbox.worlds.generator.steps.common import thread_for, ticket_status
from sandbox.worlds.generator.timeline import StepWindow

BLOCKERS = frozenset({"missing_documents", "waiting_on_client", "sla_breach"})

DOCUMENT_TASKS = (
    "Collect signed signature cards",
    "Collect resolution authorizing account signers",
    "Collect IRS Form W-9",
    "Collect beneficial ownership certification",
)
# Once the client's package is in, the bank still reviews it (internal time counts in the SLA).
REVIEW_TASK = "Compliance review of the signed document package"

THREADS: dict[str, list[Line]] = {
    "done": [
        Line("client", "All signed and uploaded, thanks for walking us through it."),
        Line("agent", "Package complete and reviewed.", public=False),
    ],
    "missing_documents": [
        Line("agent", "Hi {client}, we're still missing the W-9 and the beneficial ownership "
             "certification. The DocuSign envelope is in your inbox."),
        Line("agent", "Second reminder sent; nothing back yet.", public=False),
    ],
    "waiting_on_client": [
        Line("client", "Our attorney is preparing the signer resolution, should have it soon."),
        Line("agent", "Thanks {client}. We'll keep the file open until the resolution arrives."),
    ],
    "sla_breach": [
        Line("agent", "Everything is in from the client; compliance review not started yet.",
             public=False),
    ],
    "in_progress": [
        Line("client", "Signature cards are signed, working on the rest."),
    ],
}  # fmt: skip
OPENING = Line(
    "agent",
    "Hi {client}, I'm {agent}, your onboarding specialist. We've sent the account documents "
    "for {company} via DocuSign: signature cards, signer resolution, W-9 and the beneficial "
    "ownership certification.",
)


def write(j: Journey, w: StepWindow) -> None:
    specialist = j.staff("Onboarding Operations")
    for n, subject in enumerate(DOCUMENT_TASKS):
        status, description = _document_status(w, n)
        j.task(
            w,
            subject,
            status,
            specialist,
            created=w.start,
            updated=w.at(0.3 + 0.15 * n) if status == "Completed" else w.end,
            due=w.start - 7,
            description=description,
        )
    if w.current and w.has("sla_breach"):
        j.task(
            w,
            REVIEW_TASK,
            "In Progress",
            specialist,
            created=w.at(0.5),
            updated=w.at(0.5),
            due=w.start - 9,
        )
    j.ticket(
        w,
        "Account documents and signatures: {company}",
        ticket_status(w),
        [OPENING, *thread_for(w, THREADS)],
    )


def _document_status(w: StepWindow, n: int) -> tuple[str, str]:
    if w.done or w.has("sla_breach"):
        return "Completed", "Received via DocuSign."
    if w.has("missing_documents") and n >= 2:
        return "Not Started", "Not received yet; DocuSign reminders sent."
    if w.has("waiting_on_client") and n == 1:
        return "Waiting on someone else", "Client's attorney is preparing the resolution."
    if n == 0:
        return "Completed", "Received via DocuSign."
    return "In Progress", "Sent for signature."
