"""Treasury setup: one "Treasury Implementation" ticket per service (tagged step_treasury_setup
and the service) and the implementation specialist's Tasks."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.worlds.generator.conventions import INTEGRATION_ERROR_TAG
from sandbox.worlds.generator.journey import Journey, Line
from sandbox.worlds.generator.steps.common import money, ticket_status
from sandbox.worlds.generator.timeline import StepWindow

BLOCKERS = frozenset(
    {
        "failed_integration",
        "waiting_on_client",
        "vendor_dependency",
        "missing_documents",
        "sla_breach",
    }
)
AGREEMENT_TASK = "Collect signed treasury management services agreement"


@dataclass(frozen=True)
class Service:
    tag: str
    title: str
    opening: Line
    done: Line
    blocker: str | None = None  # the blocker whose evidence this service's ticket carries
    blocked: tuple[Line, ...] = ()


SERVICES = (
    Service(
        "ach_origination",
        "ACH origination",
        Line("agent", "Hi {client}, I'm {agent}. Setting up ACH origination for {company}: "
             "company ID, daily limit {limit} and a prenote test file."),
        Line("agent", "Prenote test passed; ACH origination is live."),
        "waiting_on_client",
        (Line("agent", "Hi {client}, please approve the prenote test file in the portal and "
              "return the signed ACH origination addendum."),),
    ),
    Service(
        "positive_pay",
        "Positive pay",
        Line("agent", "Setting up check positive pay. Please send a sample issued-check file "
             "exported from your accounting system."),
        Line("agent", "Issued-check file accepted; positive pay exceptions now route to you."),
        "failed_integration",
        (
            Line("client", "Uploaded our issued-check file this morning."),
            Line("agent", "Issued-check file rejected: PP-217 invalid record length at line 14 "
                 "(expected 80 characters, got 78). Resent the format spec.", public=False),
            Line("agent", "Hi {client}, the file was rejected by our positive pay system (error "
                 "PP-217, record length). Could your IT team check the export format?"),
        ),
    ),
    Service(
        "remote_deposit_capture",
        "Remote deposit capture",
        Line("agent", "Ordering a check scanner for remote deposit capture at {company}."),
        Line("agent", "Scanner installed and test deposit cleared."),
        "vendor_dependency",
        (Line("agent", "Scanner is backordered at the vendor (Panini), no ship date yet. "
              "On hold.", public=False),),
    ),
    Service(
        "wire_transfer",
        "Wire transfers",
        Line("agent", "Setting up wire templates with dual approval for {company}."),
        Line("agent", "Templates approved; test wire released."),
    ),
    Service(
        "online_banking",
        "Online banking entitlements",
        Line("agent", "Setting up online banking: administrators, dual control and approval "
             "limits for {company}."),
        Line("agent", "Entitlements configured and confirmed with {client}."),
    ),
)  # fmt: skip


def write(j: Journey, w: StepWindow) -> None:
    specialist = j.staff("Treasury Implementation")
    missing = w.current and w.has("missing_documents")
    j.task(
        w,
        AGREEMENT_TASK,
        "Not Started" if missing else "Completed",
        specialist,
        created=w.start,
        updated=w.end if missing else w.at(0.2),
        due=w.start - 5,
        description="Sent via DocuSign; not returned yet." if missing else "Signed and filed.",
    )
    services = _services(j, w)
    for n, service in enumerate(services):
        solved = w.done or (not _carries_blocker(w, service) and n < len(services) // 2)
        _service_ticket(j, w, service, solved, opened=w.at(0.05 * n))
    j.task(
        w,
        "Configure ACH company ID and exposure limit",
        "Completed" if w.done else "In Progress",
        specialist,
        created=w.at(0.1),
        updated=w.end,
        due=w.start - 10,
    )


def _services(j: Journey, w: StepWindow) -> list[Service]:
    """ACH and online banking always; the others when the client bought them (or they carry a
    blocker the scenario asks for)."""
    chosen = []
    for service in SERVICES:
        core = service.tag in ("ach_origination", "online_banking")
        bought = j.rng.random() < 0.5
        if core or bought or _carries_blocker(w, service):
            chosen.append(service)
    return chosen


def _carries_blocker(w: StepWindow, service: Service) -> bool:
    return w.current and service.blocker is not None and w.has(service.blocker)


def _service_ticket(
    j: Journey, w: StepWindow, service: Service, solved: bool, opened: float
) -> None:
    blocked = _carries_blocker(w, service)
    if solved:
        follow_up: tuple[Line, ...] = (service.done,)
    elif blocked:
        follow_up = service.blocked
    else:
        follow_up = (Line("agent", "Configuration in progress.", public=False),)
    failed = blocked and service.blocker == "failed_integration"
    j.ticket(
        w,
        f"{service.title} setup: {{company}}",
        ticket_status(
            w,
            solved=solved,
            pending=blocked and service.blocker == "waiting_on_client",
            on_hold=blocked and service.blocker == "vendor_dependency",
        ),
        [service.opening, *follow_up],
        opened=opened,
        updated=w.end if w.done or not solved else w.at(0.5),
        tags=(service.tag, INTEGRATION_ERROR_TAG) if failed else (service.tag,),
        limit=money(round(j.amount * 5, -4)),
    )
