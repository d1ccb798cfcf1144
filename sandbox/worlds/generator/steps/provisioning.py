"""Vendor provisioning (merchant services): the processor's boarding application, the terminal
hardware order and the "Merchant Services" ticket tagged step_provisioning."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.worlds.generator.conventions import INTEGRATION_ERROR_TAG
from sandbox.worlds.generator.ids import UPPER_ALNUM
from sandbox.worlds.generator.journey import Journey, Line
from sandbox.worlds.generator.steps.common import thread_for, ticket_status
from sandbox.worlds.generator.timeline import StepWindow

BLOCKERS = frozenset({"failed_integration", "vendor_dependency", "sla_breach"})


@dataclass(frozen=True)
class BoardingState:
    status: str
    step: str
    error_code: str | None = None
    error_message: str | None = None


BOARDED = BoardingState("SUCCESSFUL_PROCESSED", "BOARDED")
UNDERWRITING = BoardingState("IN_PROGRESS", "UNDERWRITING")
STUCK = BoardingState("IN_PROGRESS", "CREDIT_REVIEW")
DECLINED = BoardingState(
    "DECLINED",
    "RISK_REVIEW",
    "D-4410",
    "Declined by processor risk: merchant category outside the processor's risk appetite",
)
# Failed boarding by scenario variant.
FAILURES = {
    "tin_mismatch": BoardingState(
        "FAIL_PROCESSED",
        "VALIDATION",
        "E-2107",
        "TIN mismatch: the legal name does not match IRS records for the EIN",
    ),
    "bad_routing": BoardingState(
        "REJECTED",
        "VALIDATION",
        "E-1003",
        "Invalid settlement account: routing number failed ABA checksum validation",
    ),
}
DEVICES = ("bbpos_wisepos_e", "stripe_m2", "verifone_P400")

OPENING = Line(
    "agent",
    "Hi {client}, I'm {agent} in Merchant Services. We've submitted {dba} for boarding with our "
    "processor and will order your card terminal as soon as the merchant ID is issued.",
)
THREADS: dict[str, list[Line]] = {
    "done": [
        Line("agent", "Boarded, MID {mid}. Terminal ordered.", public=False),
        Line("agent", "Your terminal was delivered. Our activation team will reach out to set "
             "it up."),
    ],
    "terminated": [
        Line("agent", "Processor declined the application: {error_code} {error_message}.",
             public=False),
        Line("agent", "Hi {client}, unfortunately the processor could not approve the merchant "
             "account. {rm} will call you to talk through alternatives."),
    ],
    "failed_integration": [
        Line("agent", "Boarding came back {boarding_status}: {error_code} {error_message}.",
             public=False),
        Line("agent", "Hi {client}, the processor flagged a data mismatch on the application; "
             "we're correcting it and will resubmit."),
    ],
    "boarding_stuck": [
        Line("agent", "Processor underwriting queue is backed up; application sitting in "
             "CREDIT_REVIEW. Put on hold pending the processor.", public=False),
    ],
    "eta_passed": [
        Line("agent", "Terminal shipped {carrier} {tracking}, ETA {eta}.", public=False),
        Line("client", "Hi, the tracking page still says in transit. Any update?"),
        Line("agent", "Carrier shows an exception at the hub; opened a trace with the hardware "
             "vendor.", public=False),
    ],
    "sla_breach": [
        Line("agent", "Boarded, MID {mid}. Hardware order drafted, not submitted yet.",
             public=False),
    ],
    "in_progress": [
        Line("agent", "Boarding submitted; processor underwriting in progress.", public=False),
    ],
}  # fmt: skip


def write(j: Journey, w: StepWindow) -> None:
    variant = j.variant(w)
    boarding = _boarding(j, w, variant)
    order = _order(j, w, variant)
    threads = THREADS
    if w.has("vendor_dependency"):
        key = "eta_passed" if variant == "eta_passed" else "boarding_stuck"
        threads = {**THREADS, "vendor_dependency": THREADS[key]}
    shipment = (order or {}).get("shipment") or {}
    j.ticket(
        w,
        "Merchant boarding and terminal order: {dba}",
        ticket_status(w, on_hold=w.has("vendor_dependency") and variant != "eta_passed"),
        [OPENING, *thread_for(w, threads)],
        tags=(INTEGRATION_ERROR_TAG,) if w.has("failed_integration") else (),
        boarding_status=boarding["status"],
        error_code=boarding["error_code"],
        error_message=boarding["error_message"],
        mid=boarding["mid"],
        carrier=shipment.get("carrier"),
        tracking=shipment.get("tracking_number"),
        eta=shipment.get("eta"),
    )


def _boarding(j: Journey, w: StepWindow, variant: str | None) -> dict:
    state, updated = _boarding_state(w, variant)
    record = {
        "applicationId": "BA-" + j.ids.digits(f"boarding:{j.scenario.key}", 8),
        "external_id": j.account_id,
        "merchant_name": j.display_name,
        "legal_name": j.scenario.name,
        "status": state.status,
        "current_step": state.step,
        "mid": "5" + j.ids.digits(f"mid:{j.scenario.key}", 11) if state is BOARDED else None,
        "submitted_at": j.iso(w.at(0.05)),
        "updated_at": j.iso(updated),
        "error_code": state.error_code,
        "error_message": state.error_message,
    }
    j.world.boarding_applications.append(record)
    return record


def _boarding_state(w: StepWindow, variant: str | None) -> tuple[BoardingState, float]:
    """The application's state and when the processor last touched it (days ago)."""
    if w.terminated:
        return DECLINED, w.end
    if w.has("failed_integration"):
        return FAILURES[variant or "tin_mismatch"], w.at(0.5)
    if w.has("vendor_dependency") and variant != "eta_passed":
        return STUCK, w.at(0.1)
    if w.done or w.blockers or w.start >= 5:  # eta_passed, sla_breach, or a late on-track step
        return BOARDED, w.at(0.3)
    return UNDERWRITING, w.end


def _order(j: Journey, w: StepWindow, variant: str | None) -> dict | None:
    if w.done:
        return place_order(j, "delivered", ordered=w.at(0.35), eta=w.at(0.9), delivered=w.at(0.9))
    if w.has("vendor_dependency") and variant == "eta_passed":
        return place_order(j, "shipped", ordered=w.at(0.35), eta=w.at(0.6))
    if w.has("sla_breach"):
        return place_order(j, "pending", ordered=w.at(0.35))
    if not w.blockers and not w.terminated and w.start >= 5:  # shipped, arriving in 3 days
        return place_order(j, "shipped", ordered=w.at(0.35), eta=-3)
    return None


def place_order(
    j: Journey,
    status: str,
    *,
    ordered: float,
    eta: float | None = None,
    delivered: float | None = None,
    replacement: bool = False,
) -> dict:
    """A terminal hardware order (also used for a replacement reader at activation)."""
    key = f"order:{j.scenario.key}:{'replacement' if replacement else 'first'}"
    shipped = status in ("shipped", "delivered")
    order = {
        "id": j.ids.token("thor_", key, 24),
        "object": "terminal.hardware_order",
        "status": status,
        "created": j.unix(ordered),
        "hardware_order_items": [{"quantity": 1, "hardware_sku": {"product": device(j)}}],
        "shipment": {
            "carrier": "UPS",
            "tracking_number": "1Z" + j.ids.token("", f"tracking:{key}", 16, UPPER_ALNUM),
            "eta": j.date(eta),
            "delivered_at": j.unix(delivered) if delivered is not None else None,
        }
        if shipped and eta is not None
        else None,
        "metadata": {"account_id": j.account_id},
    }
    j.world.hardware_orders.append(order)
    return order


def device(j: Journey) -> str:
    return DEVICES[sum(map(ord, j.scenario.key)) % len(DEVICES)]
