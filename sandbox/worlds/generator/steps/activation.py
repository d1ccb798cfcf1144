"""Activation: merchant — the terminal reader online with its ``activate`` action succeeded;
treasury — online banking first login and token. Both work an "Activation Support" ticket."""

from __future__ import annotations

from sandbox.worlds.generator.conventions import INTEGRATION_ERROR_TAG, MERCHANT
from sandbox.worlds.generator.journey import Journey, Line
from sandbox.worlds.generator.steps.common import thread_for, ticket_status
from sandbox.worlds.generator.steps.provisioning import device, place_order
from sandbox.worlds.generator.timeline import StepWindow

BLOCKERS = frozenset({"failed_integration", "waiting_on_client", "vendor_dependency", "sla_breach"})
FAILURE_CODE = "E-104"
# Matches the bank's own documentation of the code (knowledge/docs/pos/activation-errors.md).
FAILURE_MESSAGE = "Activation failed: terminal not assigned to this location"
HEARTBEAT_DAYS = 0.01  # an online reader checks in every few minutes

MERCHANT_OPENING = Line(
    "agent",
    "Hi {client}, I'm {agent} from Activation Support. Once your terminal is plugged in at "
    "{dba} we'll activate it together; it takes about 15 minutes.",
)
MERCHANT_THREADS: dict[str, list[Line]] = {
    "done": [
        Line("client", "Terminal is up and running, thanks!"),
        Line("agent", "Reader {reader} activated and online.", public=False),
    ],
    "failed_integration": [
        Line("agent", "Activation failed on reader {reader}: {code} {message}.", public=False),
        Line(
            "agent",
            "Hi {client}, the terminal couldn't finish activating (error {code}). "
            "Could you open Devices in the merchant portal and check that the terminal is "
            "assigned to {dba}, then restart it?",
        ),
    ],
    "waiting_on_client": [
        Line(
            "agent",
            "Hi {client}, we're ready when you are. Please plug in the terminal and "
            "reply with a good time for a 15-minute activation call.",
        ),
    ],
    "vendor_dependency": [
        Line(
            "agent",
            "Replacement reader ordered from the vendor: {carrier} {tracking}, ETA "
            "{eta}. Not delivered yet.",
            public=False,
        ),
    ],
    "sla_breach": [
        Line("agent", "Activation call not scheduled yet; technician queue backlog.", public=False),
    ],
    "in_progress": [
        Line("agent", "Activation call scheduled.", public=False),
    ],
}
TREASURY_OPENING = Line(
    "agent",
    "Hi {client}, your online banking is ready. Each administrator will receive a login email "
    "and a soft-token enrollment link.",
)
TREASURY_THREADS: dict[str, list[Line]] = {
    "done": [
        Line("client", "We're in, and the tokens work."),
        Line("agent", "First login and token activation confirmed.", public=False),
    ],
    "failed_integration": [
        Line("agent", "Soft token enrollment failed for both administrators: TKN-503 device "
             "registration service unavailable. Escalated to the token vendor.", public=False),
        Line("agent", "Hi {client}, we're seeing an error on our side registering your security "
             "tokens and are working on it."),
    ],
    "waiting_on_client": [
        Line("agent", "Hi {client}, we haven't seen a first login yet. The enrollment link "
             "expires in 7 days; please log in and activate your token."),
    ],
    "sla_breach": [
        Line("agent", "Waiting for the next token enrollment batch.", public=False),
    ],
    "in_progress": [
        Line("agent", "Login emails sent.", public=False),
    ],
}  # fmt: skip


def write(j: Journey, w: StepWindow) -> None:
    tags = (INTEGRATION_ERROR_TAG,) if w.has("failed_integration") else ()
    if j.product != MERCHANT:
        if w.has("vendor_dependency"):
            raise ValueError("treasury activation has no vendor dependency in the demo world")
        j.ticket(
            w,
            "Online banking first login and token activation: {company}",
            ticket_status(w),
            [TREASURY_OPENING, *thread_for(w, TREASURY_THREADS)],
            tags=tags,
        )
        return
    reader = _reader(j, w)
    shipment = {}
    if w.current and w.has("vendor_dependency"):
        order = place_order(j, "shipped", ordered=w.at(0.3), eta=w.at(0.6), replacement=True)
        shipment = order["shipment"]
    j.ticket(
        w,
        "Terminal activation: {dba}",
        ticket_status(w),
        [MERCHANT_OPENING, *thread_for(w, MERCHANT_THREADS)],
        tags=tags,
        reader=reader["id"],
        code=FAILURE_CODE,
        message=FAILURE_MESSAGE,
        carrier=shipment.get("carrier"),
        tracking=shipment.get("tracking_number"),
        eta=shipment.get("eta"),
    )


def _reader(j: Journey, w: StepWindow) -> dict:
    action = None
    status, last_seen = "offline", w.at(0.5)
    if w.done:
        action = {"type": "activate", "status": "succeeded"}
        status, last_seen = "online", HEARTBEAT_DAYS
    elif w.has("failed_integration"):
        action = {
            "type": "activate",
            "status": "failed",
            "failure_code": FAILURE_CODE,
            "failure_message": FAILURE_MESSAGE,
        }
    elif not w.blockers:
        action = {"type": "activate", "status": "in_progress"}
        last_seen = w.end
    if action and action["status"] != "failed":
        action |= {"failure_code": None, "failure_message": None}
    reader = {
        "id": j.ids.token("tmr_", f"reader:{j.scenario.key}", 24),
        "object": "terminal.reader",
        "device_type": device(j),
        "label": "Front counter",
        "serial_number": j.ids.token("WSC", f"serial:{j.scenario.key}", 12, "0123456789"),
        "status": status,
        "last_seen_at": j.unix(last_seen) * 1000,
        "device_sw_version": "2.21.4.0",
        "action": action,
        "metadata": {"account_id": j.account_id},
    }
    j.world.readers.append(reader)
    return reader
