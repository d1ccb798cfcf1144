"""KYC/KYB: the provider's application for the account, and the "KYC & BSA" review ticket."""

from __future__ import annotations

from sandbox.worlds.generator.conventions import INTEGRATION_ERROR_TAG
from sandbox.worlds.generator.ids import UPPER_ALNUM
from sandbox.worlds.generator.journey import Journey, Line
from sandbox.worlds.generator.steps.common import require_one, thread_for, ticket_status
from sandbox.worlds.generator.timeline import StepWindow

BLOCKERS = frozenset(
    {
        "missing_documents",
        "waiting_on_client",
        "approval_delay",
        "screening_hit",
        "vendor_dependency",
        "failed_integration",
        "sla_breach",
    }
)

DOCUMENTS = {
    "certificate_of_good_standing": "Certificate of good standing from the Secretary of State, "
    "issued within the last 90 days",
    "ein_letter": "IRS EIN confirmation letter (CP 575 or 147C)",
    "beneficial_ownership_certification": "Certification of beneficial owners (FinCEN CDD rule)",
    "articles_of_organization": "Articles of organization or incorporation",
}
SCREENING_REASONS = {
    "ofac": "Potential OFAC SDN list match on beneficial owner {owner} (name match score 0.92); "
    "analyst review required",
    "pep": "Potential PEP match: beneficial owner {owner} matches a foreign politically exposed "
    "person record; analyst review required",
}
EDD_REASON = (
    "Enhanced due diligence: cash-intensive business with projected monthly cash deposits "
    "above the segment threshold; senior BSA analyst sign-off required"
)
DENIAL_REASON = (
    "Business could not be verified: the EIN is registered to a different legal name and the "
    "Secretary of State shows the entity as administratively dissolved"
)

OPENING = Line(
    "agent",
    "Hi {client}, I'm {agent} from the bank's KYC team. We've started the business verification "
    "for {company} as part of your {product} onboarding and will let you know if we need anything.",
)
THREADS: dict[str, list[Line]] = {
    "done": [
        Line("client", "Thanks {agent}! Happy to help with anything you need."),
        Line("agent", "Registry, TIN and watchlist checks clear; owners verified.", public=False),
        Line("agent", "Good news: the verification for {company} is complete. {rm} will be in "
             "touch about next steps."),
    ],
    "terminated": [
        Line("agent", "Escalated to the BSA officer: {denial}. Decision: decline.", public=False),
        Line("agent", "Thank you for your patience, {client}. We're unable to proceed with the "
             "account at this time; {rm} will contact you directly."),
    ],
    "missing_documents": [
        Line("agent", "To finish the verification we still need: {documents}. You can upload them "
             "through the secure link we emailed."),
        Line("client", "Working on it, our accountant has the EIN letter. Will send this week."),
        Line("agent", "Still outstanding: {documents}. Reminder sent.", public=False),
    ],
    "waiting_on_client": [
        Line("agent", "{owner} still needs to complete the identity check (photo ID and selfie). "
             "We've re-sent the link; could you remind them? It expires in 24 hours."),
    ],
    "approval_delay": [
        Line("agent", "Routed to the EDD queue: {edd}.", public=False),
        Line("agent", "Still in the EDD queue, no senior reviewer assigned yet.", public=False),
    ],
    "screening_hit": [
        Line("agent", "Screening alert: {screening}. Do not discuss the alert with the client "
             "(BSA confidentiality).", public=False),
    ],
    "screening_and_client": [
        Line("agent", "Could you send a copy of {owner}'s passport and confirm their date of "
             "birth? We need it to complete a routine check."),
    ],
    "vendor_dependency": [
        Line("agent", "The {state} Secretary of State registry lookup is failing on the provider "
             "side; filed a manual certificate request with the state. Waiting on them.",
             public=False),
    ],
    "failed_integration": [
        Line("agent", "KYC provider returned an error: maximum retries reached on the business "
             "registry data source (timeout). Re-run failed twice; ticket opened with the vendor.",
             public=False),
    ],
    "in_progress": [
        Line("agent", "Registry and TIN match done; waiting on owner screening results.",
             public=False),
    ],
}  # fmt: skip


def write(j: Journey, w: StepWindow) -> None:
    j.open_organization(w.start)
    owner = j.client.name
    facts = {
        "owner": owner,
        "state": j.scenario.city.rsplit(", ", 1)[-1],
        "denial": DENIAL_REASON,
        "edd": EDD_REASON,
        "screening": SCREENING_REASONS[j.variant(w) or "ofac"].format(owner=owner),
        "documents": ", ".join(_outstanding(w)).replace("_", " "),
    }
    _application(j, w, facts)
    tags = (INTEGRATION_ERROR_TAG,) if w.has("failed_integration") else ()
    j.ticket(
        w,
        "KYB review: {company}",
        ticket_status(w, on_hold=w.has("vendor_dependency")),
        [OPENING, *_thread(w)],
        tags=tags,
        priority="high" if w.has("screening_hit") else "normal",
        **facts,
    )


def _thread(w: StepWindow) -> list[Line]:
    lines = thread_for(w, THREADS)
    if w.current and w.has("screening_hit") and w.has("waiting_on_client"):
        # The analyst asks for ID documents without revealing the screening alert.
        lines = [line for line in lines if line not in THREADS["waiting_on_client"]]
        lines += THREADS["screening_and_client"]
    return lines


def _outstanding(w: StepWindow) -> list[str]:
    if w.current and w.has("missing_documents"):
        return ["certificate_of_good_standing", "ein_letter", "beneficial_ownership_certification"]
    return []


def _application(j: Journey, w: StepWindow, facts: dict[str, str]) -> None:
    events = [_event(j, "started_application", w.start, "Business application started")]
    app = {
        "application_token": j.ids.token("AP-", f"kyc:{j.scenario.key}", 20, UPPER_ALNUM),
        "external_entity_id": j.account_id,
        "entity_type": "business",
        "entity_name": j.scenario.name,
        "status": "running",
        "outcome": None,
        "created_at": j.iso(w.start),
        "updated_at": j.iso(w.end),
        "completed_at": None,
        "review": None,
        "requested_documents": _documents(j, w),
        "events": events,
        "beneficial_owners": [
            {
                "name": c.name,
                "ownership_percent": c.ownership,
                "status": "pending" if w.current and _owner_unverified(w) else "verified",
            }
            for c in j.contacts
            if c.ownership >= 25
        ],
    }
    if app["requested_documents"]:
        events.append(_event(j, "pending_documents", w.at(0.15), "Documents requested"))
    if w.done or w.terminated:
        _complete(j, w, app, events)
    else:
        _in_progress(j, w, app, events, facts)
    j.world.kyc_applications.append(app)


def _owner_unverified(w: StepWindow) -> bool:
    return w.has("waiting_on_client") or w.has("screening_hit")


def _complete(j: Journey, w: StepWindow, app: dict, events: list[dict]) -> None:
    outcome = "Approved" if w.done else "Denied"
    if w.terminated:
        app["review"] = _review(j, w, "bsa_officer", DENIAL_REASON)
        events.append(_event(j, "pending_review", w.at(0.5), "Sent to BSA officer"))
        events.append(_event(j, "completed_review", w.end, "Review completed: Denied"))
    app |= {"status": "completed", "outcome": outcome, "completed_at": j.iso(w.end)}
    events.append(_event(j, "completed_application", w.end, outcome))


def _in_progress(j: Journey, w: StepWindow, app: dict, events: list[dict], facts: dict) -> None:
    statuses = [b for b in ("missing_documents", "failed_integration") if w.has(b)]
    reviews = [b for b in ("screening_hit", "approval_delay") if w.has(b)]
    require_one(w, statuses + reviews, "application status")
    if w.has("missing_documents"):
        app["status"] = "pending_documents"
    elif w.has("failed_integration"):
        app["status"] = "error"
        events.append(_event(j, "maximum_retries_reached", w.at(0.4), "Registry source timeout"))
    elif reviews:
        screening = reviews[0] == "screening_hit"
        reason = facts["screening"] if screening else EDD_REASON
        queue = "bsa_watchlist_review" if screening else "enhanced_due_diligence"
        app |= {"status": "waiting_review", "review": _review(j, w, queue, reason)}
        if screening:
            app["outcome"] = "Manual Review"
        events.append(_event(j, "pending_review", w.at(0.2), f"Queued for {queue}"))
    elif w.has("waiting_on_client"):
        app["status"] = "pending_step_up"
        events.append(_event(j, "pending_step_up", w.at(0.2), "Owner identity check sent"))


def _documents(j: Journey, w: StepWindow) -> list[dict]:
    if w.current and w.has("missing_documents"):
        kinds, status = _outstanding(w), "requested"
    elif w.done and j.rng.random() < 0.6:
        kinds, status = ["articles_of_organization"], "accepted"
    else:
        return []
    return [
        {
            "document_token": j.ids.token("D-", f"doc:{j.scenario.key}:{kind}", 16, UPPER_ALNUM),
            "type": kind,
            "description": DOCUMENTS[kind],
            "status": status,
            "requested_at": j.iso(w.at(0.15)),
            "received_at": j.iso(w.at(0.6)) if status == "accepted" else None,
            "rejection_reason": None,
        }
        for kind in kinds
    ]


def _review(j: Journey, w: StepWindow, queue: str, reason: str) -> dict:
    return {
        "queue": queue,
        "reason": reason,
        "analyst_email": j.staff("KYC & BSA").email,
        "opened_at": j.iso(w.at(0.2)),
    }


def _event(j: Journey, kind: str, days_ago: float, detail: str) -> dict:
    return {"event_type": kind, "timestamp": j.iso(days_ago), "detail": detail}
