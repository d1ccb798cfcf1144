"""Credit approval: the "Credit" ticket tagged step_credit, solved once approved."""

from __future__ import annotations

from sandbox.worlds.generator.conventions import MERCHANT
from sandbox.worlds.generator.journey import Journey, Line
from sandbox.worlds.generator.steps.common import money, require_one, thread_for, ticket_status
from sandbox.worlds.generator.timeline import StepWindow

BLOCKERS = frozenset({"approval_delay", "waiting_on_client", "vendor_dependency", "sla_breach"})

SUBJECTS = {
    MERCHANT: "Credit review: merchant processing exposure for {company}",
    "treasury_management": "Credit review: ACH origination exposure limit for {company}",
}
REQUESTS = {
    MERCHANT: "Requesting a merchant credit review. Projected card volume {volume}/month, "
    "average ticket {ticket}; card-not-present under 10%.",
    "treasury_management": "Requesting a credit review for ACH origination: daily exposure "
    "limit {limit}, two-day settlement, payroll and vendor payments.",
}
APPROVALS = {
    MERCHANT: "Approved: monthly volume {volume}, 5% rolling reserve waived.",
    "treasury_management": "Approved: ACH daily exposure limit {limit}, two-day settlement.",
}

THREADS: dict[str, list[Line]] = {
    "done": [
        Line("agent", "{approval}", public=False),
        Line("agent", "Hi {client}, the credit review for {company} is complete and approved."),
    ],
    "approval_delay": [
        Line("agent", "Exposure is above my approval authority; scheduled for credit committee "
             "on {committee}.", public=False),
        Line("agent", "Committee agenda was full; moved to the next session.", public=False),
    ],
    "waiting_on_client": [
        Line("agent", "Hi {client}, to complete the review we need your FY2025 financial "
             "statements and year-to-date interim statements. Could you send them?"),
    ],
    "vendor_dependency": [
        Line("agent", "Ordered the business credit report from Dun & Bradstreet; on hold until "
             "it arrives.", public=False),
    ],
    "in_progress": [
        Line("agent", "Spreading the financials now.", public=False),
    ],
}  # fmt: skip


def write(j: Journey, w: StepWindow) -> None:
    require_one(w, [b for b in ("waiting_on_client", "vendor_dependency") if w.has(b)], "status")
    facts = {
        "volume": money(j.amount * 9),
        "ticket": money(j.rng.choice((18, 26, 42, 65, 120))),
        "limit": money(round(j.amount * 5, -4)),
        "committee": j.date(-j.rng.randint(4, 9)),
    }
    facts["approval"] = j.fill(APPROVALS[j.product], **facts)
    opening = Line("rm", REQUESTS[j.product], public=False)
    j.ticket(
        w,
        SUBJECTS[j.product],
        ticket_status(w, on_hold=w.has("vendor_dependency")),
        [opening, *thread_for(w, THREADS)],
        priority="high" if w.has("approval_delay") else "normal",
        **facts,
    )
