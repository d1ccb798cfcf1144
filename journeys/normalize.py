"""Client records (``integrations``) → facts with provenance.

People are resolved through a ``People`` lookup (ids → names) so these functions stay pure;
``journeys.directory`` fills it from the back office.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from integrations import kyc as kyc_api
from integrations import pos as pos_api
from integrations import salesforce as sf_api
from integrations import zendesk as zd_api
from journeys.facts import (
    AccountFact,
    BoardingFact,
    ChargeFact,
    CommentFact,
    ContactFact,
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


@dataclass
class People:
    """Names for the ids records carry: CRM users, Zendesk users, Zendesk groups."""

    crm_users: dict[str, Person] = field(default_factory=dict)
    zendesk_users: dict[int, Person] = field(default_factory=dict)
    groups: dict[int, str] = field(default_factory=dict)
    # Email → person, to name a KYC analyst (the provider only gives an email).
    by_email: dict[str, Person] = field(default_factory=dict)

    def crm(self, user_id: str | None) -> Person | None:
        return self.crm_users.get(user_id) if user_id else None

    def zendesk(self, user_id: int | None) -> Person | None:
        return self.zendesk_users.get(user_id) if user_id is not None else None

    def email(self, address: str | None) -> Person | None:
        if not address:
            return None
        return self.by_email.get(address.casefold()) or Person(name=address, email=address)


# -- Salesforce ----------------------------------------------------------------------------------


def _sf(record_type: str, record: sf_api.SalesforceRecord, at: datetime | None) -> Source:
    return Source(
        system="salesforce",
        record_type=record_type,
        record_id=record.id,
        link=record.link or None,
        at=at,
    )


def account_fact(account: sf_api.Account, people: People) -> AccountFact:
    return AccountFact(
        source=_sf("Account", account, account.last_modified_date or account.created_date),
        name=account.name,
        dba_name=account.dba_name,
        product=account.product,
        crm_stage=account.onboarding_stage,
        segment=account.segment,
        owner=people.crm(account.owner_id),
        core_account_number=account.core_account_number,
        account_opened_date=account.account_opened_date,
        first_transaction_date=account.first_transaction_date,
        created_at=account.created_date,
    )


def opportunity_fact(opp: sf_api.Opportunity) -> OpportunityFact:
    return OpportunityFact(
        source=_sf("Opportunity", opp, opp.created_date),
        name=opp.name,
        stage=opp.stage_name,
        is_closed=bool(opp.is_closed),
        is_won=bool(opp.is_won),
        close_date=opp.close_date,
        amount=opp.amount,
        created_at=opp.created_date,
    )


def contact_fact(contact: sf_api.Contact) -> ContactFact:
    name = contact.name or " ".join(filter(None, (contact.first_name, contact.last_name)))
    return ContactFact(
        source=_sf("Contact", contact, None), name=name, email=contact.email, title=contact.title
    )


def task_fact(task: sf_api.Task, people: People) -> TaskFact:
    return TaskFact(
        source=_sf("Task", task, task.last_modified_date or task.created_date),
        subject=task.subject,
        status=task.status,
        step=task.step,
        priority=task.priority,
        owner=people.crm(task.owner_id),
        due_date=task.activity_date,
        created_at=task.created_date,
    )


# -- Zendesk -------------------------------------------------------------------------------------


def ticket_fact(ticket: zd_api.Ticket, people: People) -> TicketFact:
    return TicketFact(
        source=Source(
            system="zendesk",
            record_type="ticket",
            record_id=str(ticket.id),
            link=ticket.link or None,
            at=ticket.updated_at or ticket.created_at,
        ),
        subject=ticket.subject,
        status=ticket.status,
        priority=ticket.priority,
        tags=tuple(ticket.tags),
        group=people.groups.get(ticket.group_id) if ticket.group_id is not None else None,
        assignee=people.zendesk(ticket.assignee_id),
        requester=people.zendesk(ticket.requester_id),
        created_at=ticket.created_at,
        due_at=ticket.due_at,
    )


def comment_fact(comment: zd_api.Comment, ticket: zd_api.Ticket, people: People) -> CommentFact:
    return CommentFact(
        source=Source(
            system="zendesk",
            record_type="comment",
            record_id=str(comment.id),
            link=ticket.link or None,
            at=comment.created_at,
        ),
        ticket_id=str(ticket.id),
        author=people.zendesk(comment.author_id),
        public=comment.public,
        body=comment.plain_body or comment.body,
    )


# -- KYC -----------------------------------------------------------------------------------------


def kyc_facts(
    app: kyc_api.KycApplication, people: People
) -> list[KycApplicationFact | KycDocumentFact]:
    review = app.review
    application = KycApplicationFact(
        source=Source(
            system="kyc",
            record_type="application",
            record_id=app.application_token,
            at=app.updated_at,
        ),
        status=app.status,
        outcome=app.outcome,
        entity_name=app.entity_name,
        created_at=app.created_at,
        completed_at=app.completed_at,
        review_queue=review.queue if review else None,
        review_reason=review.reason if review else None,
        review_analyst=people.email(review.analyst_email) if review else None,
        review_opened_at=review.opened_at if review else None,
        events=tuple((e.event_type, e.timestamp, e.detail or "") for e in app.events),
    )
    documents = [
        KycDocumentFact(
            source=Source(
                system="kyc",
                record_type="document",
                record_id=doc.document_token,
                at=doc.received_at or doc.requested_at or app.updated_at,
            ),
            application_token=app.application_token,
            type=doc.type,
            description=doc.description,
            status=doc.status,
            requested_at=doc.requested_at,
            received_at=doc.received_at,
            rejection_reason=doc.rejection_reason,
        )
        for doc in app.requested_documents
    ]
    return [application, *documents]


# -- POS -----------------------------------------------------------------------------------------


def _pos(record_type: str, record_id: str, at: datetime | None) -> Source:
    return Source(system="pos", record_type=record_type, record_id=record_id, at=at)


def boarding_fact(app: pos_api.BoardingApplication) -> BoardingFact:
    return BoardingFact(
        source=_pos("boarding_application", app.application_id, app.updated_at),
        status=app.status,
        merchant_name=app.merchant_name,
        current_step=app.current_step,
        mid=app.mid,
        error_code=app.error_code,
        error_message=app.error_message,
        submitted_at=app.submitted_at,
    )


def hardware_order_fact(order: pos_api.HardwareOrder) -> HardwareOrderFact:
    shipment = order.shipment
    items = ", ".join(
        f"{item.quantity} x {item.hardware_sku.product if item.hardware_sku else 'item'}"
        for item in order.hardware_order_items
    )
    delivered = shipment.delivered_at if shipment else None
    return HardwareOrderFact(
        source=_pos("hardware_order", order.id, delivered or order.created),
        status=order.status,
        items=items or None,
        carrier=shipment.carrier if shipment else None,
        tracking_number=shipment.tracking_number if shipment else None,
        eta=shipment.eta if shipment else None,
        delivered_at=delivered,
        created_at=order.created,
    )


def reader_fact(reader: pos_api.Reader) -> ReaderFact:
    action = reader.action
    last_seen: datetime | None = reader.last_seen_at
    return ReaderFact(
        # last_seen_at is a heartbeat, not a change of state: it neither dates the activation
        # nor counts as activity on the journey.
        source=_pos("reader", reader.id, None),
        status=reader.status or "offline",
        label=reader.label,
        device_type=reader.device_type,
        serial_number=reader.serial_number,
        last_seen_at=last_seen,
        action_type=action.type if action else None,
        action_status=action.status if action else None,
        failure_code=action.failure_code if action else None,
        failure_message=action.failure_message if action else None,
    )


def charge_fact(charge: pos_api.Charge) -> ChargeFact:
    return ChargeFact(
        source=_pos("charge", charge.id, charge.created),
        status=charge.status,
        amount=charge.amount,
        currency=charge.currency,
        description=charge.description,
        created_at=charge.created,
    )
