"""Hand-built facts for engine tests: a journey completed up to a chosen step, then edited."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from journeys.facts import (
    AccountFact,
    BoardingFact,
    ChargeFact,
    ContactFact,
    FactSet,
    HardwareOrderFact,
    KycApplicationFact,
    KycDocumentFact,
    OpportunityFact,
    Person,
    ReaderFact,
    Source,
    TaskFact,
    TicketFact,
)

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
ACCOUNT_ID = "001000000000001AAA"
RM = Person(name="Rita Manager", email="rita.manager@demo-bank.example")
ANALYST = Person(name="Kim Analyst", email="kim.analyst@demo-bank.example")
CLIENT = Person(name="Carl Client", email="carl@acme.example")

MERCHANT_STEPS = (
    "intake",
    "kyc",
    "credit",
    "documents",
    "account_opening",
    "provisioning",
    "activation",
    "first_transaction",
)
TREASURY_STEPS = (
    "intake",
    "kyc",
    "credit",
    "documents",
    "account_opening",
    "treasury_setup",
    "activation",
    "first_transaction",
)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def source(system: str, record_type: str, record_id: str, at: datetime | None) -> Source:
    return Source(system=system, record_type=record_type, record_id=record_id, at=at)  # type: ignore[arg-type]


def account(**fields: Any) -> AccountFact:
    base: dict[str, Any] = {
        "name": "Acme Bakery LLC",
        "product": "Merchant Services",
        "owner": RM,
        "created_at": ago(60),
    }
    base.update(fields)
    at = base.pop("at", ago(60))
    return AccountFact(source=source("salesforce", "Account", ACCOUNT_ID, at), **base)


def ticket(
    ticket_id: int,
    subject: str,
    status: str,
    tags: tuple[str, ...],
    *,
    created: float,
    updated: float | None = None,
    **fields: Any,
) -> TicketFact:
    at = ago(updated if updated is not None else created)
    fields.setdefault("requester", CLIENT)
    return TicketFact(
        source=source("zendesk", "ticket", str(ticket_id), at),
        subject=subject,
        status=status,
        tags=("onboarding", *tags),
        created_at=ago(created),
        **fields,
    )


def task(
    task_id: str, subject: str, status: str, step: str, *, updated: float, **fields: Any
) -> TaskFact:
    return TaskFact(
        source=source("salesforce", "Task", task_id, ago(updated)),
        subject=subject,
        status=status,
        step=step,
        created_at=ago(updated + 1),
        **fields,
    )


def kyc(status: str, outcome: str | None, *, updated: float, **fields: Any) -> KycApplicationFact:
    return KycApplicationFact(
        source=source("kyc", "application", fields.pop("token", "AP-1"), ago(updated)),
        status=status,
        outcome=outcome,
        created_at=ago(updated + 5),
        completed_at=ago(updated) if status == "completed" else None,
        **fields,
    )


def kyc_document(token: str, status: str, *, requested: float) -> KycDocumentFact:
    return KycDocumentFact(
        source=source("kyc", "document", token, ago(requested)),
        application_token="AP-1",
        type="certificate_of_good_standing",
        description="certificate of good standing",
        status=status,
        requested_at=ago(requested),
    )


def boarding(status: str, *, updated: float, **fields: Any) -> BoardingFact:
    return BoardingFact(
        source=source("pos", "boarding_application", fields.pop("app_id", "BA-1"), ago(updated)),
        status=status,
        submitted_at=ago(fields.pop("submitted", updated)),
        **fields,
    )


def hardware_order(status: str, *, updated: float, **fields: Any) -> HardwareOrderFact:
    delivered = ago(updated) if status == "delivered" else None
    return HardwareOrderFact(
        source=source("pos", "hardware_order", "thor_1", ago(updated)),
        status=status,
        delivered_at=delivered,
        created_at=ago(updated + 5),
        **fields,
    )


def reader(status: str, action_status: str, *, updated: float, **fields: Any) -> ReaderFact:
    return ReaderFact(
        source=source("pos", "reader", "tmr_1", ago(updated)),
        status=status,
        label="Front counter",
        action_type="activate",
        action_status=action_status,
        **fields,
    )


def charge(*, created: float) -> ChargeFact:
    return ChargeFact(
        source=source("pos", "charge", "ch_1", ago(created)),
        status="succeeded",
        amount=1250,
        created_at=ago(created),
    )


def _day(days: float) -> date:
    return ago(days).date()


def journey_through(
    last_step: str | None, product: str = "merchant", start: float = 50, gap: float = 2
) -> FactSet:
    """Facts completing every step up to and including ``last_step`` (None: none), each step
    ``gap`` days after the previous one, the first ``start`` days ago."""
    steps = MERCHANT_STEPS if product == "merchant" else TREASURY_STEPS
    done = steps[: steps.index(last_step) + 1] if last_step else ()
    t = {step: start - gap * i for i, step in enumerate(steps)}
    facts: list[Any] = [
        ContactFact(
            source=source("salesforce", "Contact", "003C1", ago(start + gap)),
            name=CLIENT.name,
            email=CLIENT.email,
        ),
    ]
    acct: dict[str, Any] = {
        "product": "Merchant Services" if product == "merchant" else "Treasury Management",
        "created_at": ago(start + gap),
        "at": ago(start + gap),
    }
    won = "intake" in done
    facts.append(
        OpportunityFact(
            source=source("salesforce", "Opportunity", "006O1", ago(t["intake"])),
            name="Acme Bakery - onboarding",
            stage="Closed Won" if won else "Negotiation/Review",
            is_closed=won,
            is_won=won,
            close_date=_day(t["intake"]) if won else None,
            created_at=ago(start + gap),
        )
    )
    if "kyc" in done:
        facts.append(kyc("completed", "Approved", updated=t["kyc"]))
        facts.append(
            ticket(
                101,
                "KYC review",
                "solved",
                ("step_kyc",),
                created=t["intake"],
                updated=t["kyc"],
                group="KYC & BSA",
                assignee=ANALYST,
            )
        )
    if "credit" in done:
        facts.append(
            ticket(
                102,
                "Credit review",
                "solved",
                ("step_credit",),
                created=t["kyc"],
                updated=t["credit"],
                group="Credit",
            )
        )
    if "documents" in done:
        facts.append(
            task("00T1", "Signature cards", "Completed", "documents", updated=t["documents"])
        )
    if "account_opening" in done:
        acct["core_account_number"] = "4410021"
        acct["account_opened_date"] = _day(t["account_opening"])
    if "provisioning" in done:
        facts.append(boarding("SUCCESSFUL_PROCESSED", updated=t["provisioning"], mid="MID1"))
        facts.append(hardware_order("delivered", updated=t["provisioning"]))
    if "treasury_setup" in done:
        facts.append(
            ticket(
                106,
                "ACH origination",
                "solved",
                ("step_treasury_setup",),
                created=t["account_opening"],
                updated=t["treasury_setup"],
            )
        )
    if "activation" in done:
        if product == "merchant":
            facts.append(reader("online", "succeeded", updated=t["activation"]))
        else:
            facts.append(
                ticket(
                    107,
                    "First login",
                    "solved",
                    ("step_activation",),
                    created=t["treasury_setup"],
                    updated=t["activation"],
                )
            )
    if "first_transaction" in done:
        if product == "merchant":
            facts.append(charge(created=t["first_transaction"]))
        else:
            acct["first_transaction_date"] = _day(t["first_transaction"])
    return FactSet(account_id=ACCOUNT_ID, account=account(**acct), facts=facts)


def journey_at(step: str, product: str = "merchant", days_in: float = 1, gap: float = 2) -> FactSet:
    """Facts where ``step`` is current and became so ``days_in`` days ago."""
    steps = MERCHANT_STEPS if product == "merchant" else TREASURY_STEPS
    index = steps.index(step)
    previous = steps[index - 1] if index else None
    return journey_through(previous, product, start=days_in + gap * (index - 1), gap=gap)


def completed_at(
    step: str, product: str = "merchant", start: float = 50, gap: float = 2
) -> datetime:
    steps = MERCHANT_STEPS if product == "merchant" else TREASURY_STEPS
    return ago(start - gap * steps.index(step))


def with_facts(facts: FactSet, *extra: Any, **changes: Any) -> FactSet:
    return facts.model_copy(update={"facts": [*facts.facts, *extra], **changes})
