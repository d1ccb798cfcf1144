"""Validation of world records against the world format (``docs/world-format.md``).

``validate_world`` checks every record of a loaded ``World`` — required fields, types,
vocabularies, id formats, timestamps — with one pydantic model per record type
(``extra="allow"``: fields the format does not list are served back untouched), then the
references *inside* each system (a Contact's ``AccountId``, a ticket's ``group_id``, ...).
References *across* systems (Zendesk ``external_id``, KYC ``external_entity_id``, POS
``external_id`` / ``metadata.account_id``) are deliberately not checked: unlinkable records
happen in real back offices and the journey engine reports them.

The first problem found raises ``WorldError`` naming the file, the record and the field.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from sandbox.world import COMMENTS_FILE, FILES, Record, World, WorldError

# -- field types ------------------------------------------------------------------------------


class FieldProblem(ValueError):
    """A rule spanning several fields, raised from a model validator, blamed on one field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _one_of(*allowed: str) -> Any:
    """A string restricted to a vocabulary, with a message that lists the vocabulary."""

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
        return value

    return Annotated[str, AfterValidator(check)]


def _datetime(value: str) -> str:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    # Naive times would be ambiguous against the world's UTC "now", so an offset is required.
    if parsed is None or parsed.tzinfo is None or "T" not in value:
        raise ValueError(
            f"{value!r} is not an ISO-8601 date-time with a UTC offset "
            "(e.g. 2026-11-02T15:04:05Z or 2026-11-02T15:04:05.000+0000)"
        )
    return value


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(value: str) -> str:
    try:
        parsed = _DATE.fullmatch(value) and date.fromisoformat(value)
    except ValueError:
        parsed = None
    if not parsed:
        raise ValueError(f"{value!r} is not a date of the form YYYY-MM-DD")
    return value


def _email(value: str) -> str:
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise ValueError(f"{value!r} is not an email address")
    return value


def _currency(value: str) -> str:
    if not re.fullmatch(r"[a-z]{3}", value):
        raise ValueError(f"{value!r} is not a lowercase ISO 4217 currency code such as 'usd'")
    return value


_SALESFORCE_ID = re.compile(r"[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?")


def _salesforce_id(prefix: str | None) -> Any:
    """A 15- or 18-character Salesforce id, starting with its object's key prefix if known."""

    def check(value: str) -> str:
        if not _SALESFORCE_ID.fullmatch(value):
            raise ValueError(f"{value!r} is not a 15- or 18-character Salesforce id")
        if prefix and not value.startswith(prefix):
            raise ValueError(f"{value!r} does not start with {prefix}, this object's id prefix")
        return value

    return Annotated[str, AfterValidator(check)]


def _prefixed(prefix: str) -> Any:
    def check(value: str) -> str:
        if not value.startswith(prefix) or len(value) == len(prefix):
            raise ValueError(f"{value!r} does not look like {prefix}…")
        return value

    return Annotated[str, AfterValidator(check)]


Text = Annotated[str, Field(min_length=1)]
DateTime = Annotated[str, AfterValidator(_datetime)]
Date = Annotated[str, AfterValidator(_date)]
EmailAddress = Annotated[str, AfterValidator(_email)]
ZendeskId = Annotated[int, Field(gt=0)]
UnixSeconds = Annotated[int, Field(ge=0)]

# Key prefixes of the standard objects a world may hold (any other sObject only needs an id).
SALESFORCE_PREFIXES = {
    "User": "005",
    "Account": "001",
    "Contact": "003",
    "Opportunity": "006",
    "Task": "00T",
    "Event": "00U",
    "Case": "500",
    "Lead": "00Q",
}
SfUserId = _salesforce_id("005")
SfAccountId = _salesforce_id("001")
SfContactId = _salesforce_id("003")
SfAnyId = _salesforce_id(None)


class _Record(BaseModel):
    # strict: a world is data written for machines, "1042" is not the integer id 1042.
    model_config = ConfigDict(extra="allow", strict=True)


# -- Salesforce -------------------------------------------------------------------------------


class _SObject(_Record):
    CreatedDate: DateTime | None = None
    LastModifiedDate: DateTime | None = None


class SalesforceUser(_SObject):
    Id: SfUserId
    Name: Text
    Email: EmailAddress
    IsActive: bool | None = None


class SalesforceAccount(_SObject):
    Id: SfAccountId
    Name: Text
    OwnerId: SfUserId | None = None
    Account_Opened_Date__c: Date | None = None
    First_Transaction_Date__c: Date | None = None


class SalesforceContact(_SObject):
    Id: SfContactId
    LastName: Text
    AccountId: SfAccountId
    Email: EmailAddress | None = None


class SalesforceOpportunity(_SObject):
    Id: _salesforce_id("006")
    Name: Text
    StageName: Text
    CloseDate: Date
    AccountId: SfAccountId
    OwnerId: SfUserId | None = None
    IsClosed: bool | None = None
    IsWon: bool | None = None
    Amount: float | None = None

    @model_validator(mode="after")
    def _won_is_closed(self) -> Self:
        if self.IsWon and self.IsClosed is False:
            raise FieldProblem("IsClosed", "a won Opportunity (IsWon true) must be closed")
        return self


class SalesforceTask(_SObject):
    Id: _salesforce_id("00T")
    Subject: Text
    Status: _one_of(
        "Not Started", "In Progress", "Completed", "Waiting on someone else", "Deferred"
    )
    Priority: _one_of("High", "Normal", "Low") | None = None
    WhatId: SfAnyId | None = None
    WhoId: SfAnyId | None = None
    OwnerId: SfUserId | None = None
    ActivityDate: Date | None = None


# -- Zendesk ----------------------------------------------------------------------------------

TICKET_STATUSES = ("new", "open", "pending", "hold", "solved", "closed")


class ZendeskUser(_Record):
    id: ZendeskId
    name: Text
    email: EmailAddress
    role: _one_of("end-user", "agent", "admin")
    organization_id: ZendeskId | None = None
    default_group_id: ZendeskId | None = None
    created_at: DateTime | None = None


class ZendeskGroup(_Record):
    id: ZendeskId
    name: Text
    created_at: DateTime | None = None


class ZendeskOrganization(_Record):
    id: ZendeskId
    name: Text
    external_id: str | None = None
    tags: list[str] | None = None
    created_at: DateTime | None = None


class CustomField(_Record):
    id: ZendeskId
    value: Any = None


class ZendeskTicket(_Record):
    id: ZendeskId
    subject: Text
    status: _one_of(*TICKET_STATUSES)
    requester_id: ZendeskId
    created_at: DateTime
    updated_at: DateTime | None = None
    type: _one_of("problem", "incident", "question", "task") | None = None
    priority: _one_of("urgent", "high", "normal", "low") | None = None
    assignee_id: ZendeskId | None = None
    group_id: ZendeskId | None = None
    organization_id: ZendeskId | None = None
    external_id: str | None = None
    tags: list[str] | None = None
    custom_fields: list[CustomField] | None = None
    due_at: DateTime | None = None


class ZendeskComment(_Record):
    id: ZendeskId
    author_id: ZendeskId
    body: str
    public: bool = True
    created_at: DateTime


# -- KYC provider -----------------------------------------------------------------------------


class RequestedDocument(_Record):
    document_token: Text | None = None
    type: Text
    status: _one_of("requested", "received", "accepted", "rejected")
    requested_at: DateTime | None = None
    received_at: DateTime | None = None


class KycEvent(_Record):
    event_type: _one_of(
        "started_application",
        "pending_documents",
        "pending_review",
        "completed_review",
        "pending_step_up",
        "maximum_retries_reached",
        "completed_application",
    )
    timestamp: DateTime


class BeneficialOwner(_Record):
    name: Text
    ownership_percent: Annotated[float, Field(ge=0, le=100)] | None = None
    status: _one_of("verified", "pending", "failed") | None = None


class KycReview(_Record):
    queue: str | None = None
    reason: str | None = None
    analyst_email: EmailAddress | None = None
    opened_at: DateTime | None = None


class KycApplication(_Record):
    application_token: _prefixed("AP-")
    external_entity_id: Text
    entity_type: _one_of("business", "person")
    status: _one_of(
        "running",
        "pending_documents",
        "waiting_review",
        "pending_step_up",
        "pending_action",
        "completed",
        "error",
    )
    outcome: _one_of("Approved", "Denied", "Manual Review") | None = None
    created_at: DateTime
    updated_at: DateTime
    completed_at: DateTime | None = None
    review: KycReview | None = None
    requested_documents: list[RequestedDocument] | None = None
    events: list[KycEvent] | None = None
    beneficial_owners: list[BeneficialOwner] | None = None

    @model_validator(mode="after")
    def _outcome_matches_status(self) -> Self:
        if self.status == "completed" and self.outcome is None:
            raise FieldProblem("outcome", "required when status is 'completed'")
        # An application sent to an analyst carries "Manual Review" while it waits; any other
        # unfinished application has no outcome yet.
        allowed_open = "Manual Review" if self.status == "waiting_review" else None
        if self.status != "completed" and self.outcome not in (None, allowed_open):
            raise FieldProblem(
                "outcome", f"{self.outcome!r} is not allowed while status is {self.status!r}"
            )
        return self


# -- POS vendor -------------------------------------------------------------------------------


class Metadata(_Record):
    account_id: Text


class BoardingApplication(_Record):
    applicationId: _prefixed("BA-")
    external_id: Text
    status: _one_of(
        "SUBMITTED",
        "IN_PROGRESS",
        "SUCCESSFUL_PROCESSED",
        "FAIL_PROCESSED",
        "REJECTED",
        "DECLINED",
        "CANCELED",
    )
    submitted_at: DateTime
    updated_at: DateTime
    error_code: str | None = None
    error_message: str | None = None

    @model_validator(mode="after")
    def _failures_say_why(self) -> Self:
        if self.status in ("FAIL_PROCESSED", "REJECTED"):
            for name in ("error_code", "error_message"):
                if not getattr(self, name):
                    raise FieldProblem(name, f"required when status is {self.status!r}")
        return self


class Shipment(_Record):
    carrier: str | None = None
    tracking_number: str | None = None
    eta: Date | None = None
    delivered_at: UnixSeconds | None = None


class HardwareOrder(_Record):
    id: _prefixed("thor_")
    status: _one_of("pending", "ordered", "shipped", "delivered", "canceled")
    created: UnixSeconds
    metadata: Metadata
    shipment: Shipment | None = None


class ReaderAction(_Record):
    type: Text
    status: _one_of("in_progress", "succeeded", "failed")
    failure_code: str | None = None
    failure_message: str | None = None

    @model_validator(mode="after")
    def _failures_say_why(self) -> Self:
        if self.status == "failed" and not self.failure_code:
            raise FieldProblem("failure_code", "required when status is 'failed'")
        return self


class Reader(_Record):
    id: _prefixed("tmr_")
    status: _one_of("online", "offline")
    device_type: Text
    metadata: Metadata
    last_seen_at: Annotated[int, Field(ge=0)] | None = None
    action: ReaderAction | None = None


class Charge(_Record):
    id: _prefixed("ch_")
    amount: Annotated[int, Field(ge=0)]
    currency: Annotated[str, AfterValidator(_currency)]
    created: UnixSeconds
    status: _one_of("succeeded", "pending", "failed")
    metadata: Metadata


# -- per-file models --------------------------------------------------------------------------

MODELS: dict[str, type[_Record]] = {
    "salesforce.User": SalesforceUser,
    "salesforce.Account": SalesforceAccount,
    "salesforce.Contact": SalesforceContact,
    "salesforce.Opportunity": SalesforceOpportunity,
    "salesforce.Task": SalesforceTask,
    "zendesk.users": ZendeskUser,
    "zendesk.groups": ZendeskGroup,
    "zendesk.organizations": ZendeskOrganization,
    "zendesk.tickets": ZendeskTicket,
    "zendesk.comments": ZendeskComment,
    "kyc.applications": KycApplication,
    "pos.boarding_applications": BoardingApplication,
    "pos.hardware_orders": HardwareOrder,
    "pos.readers": Reader,
    "pos.charges": Charge,
}
_FILE_OF = {collection: rel for rel, (collection, _) in FILES.items()}
_FILE_OF["zendesk.comments"] = COMMENTS_FILE


def file_of(collection: str) -> str:
    """The world-relative file a store collection is loaded from."""
    system, _, name = collection.partition(".")
    return _FILE_OF.get(collection, f"{system}/{name}.json")


def model_of(collection: str) -> type[_Record]:
    model = MODELS.get(collection)
    if model is not None:
        return model
    sobject = collection.removeprefix("salesforce.")
    return _generic_sobject(SALESFORCE_PREFIXES.get(sobject))


@cache
def _generic_sobject(prefix: str | None) -> type[_Record]:
    """Any other ``salesforce/<SObject>.json``: only its ``Id`` is constrained."""

    class SObject(_SObject):
        Id: _salesforce_id(prefix)

    return SObject


# -- references inside a system ---------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """``collection.field`` must name a record of one of ``targets`` (all sObjects if empty)."""

    collection: str
    field: str
    targets: tuple[str, ...] = ()


ZENDESK_USERS = ("zendesk.users",)
REFERENCES = (
    Reference("salesforce.Account", "OwnerId", ("salesforce.User",)),
    Reference("salesforce.Contact", "AccountId", ("salesforce.Account",)),
    Reference("salesforce.Opportunity", "AccountId", ("salesforce.Account",)),
    Reference("salesforce.Opportunity", "OwnerId", ("salesforce.User",)),
    # WhatId is polymorphic: an Account, an Opportunity or any other sObject of the world.
    Reference("salesforce.Task", "WhatId"),
    Reference("salesforce.Task", "WhoId", ("salesforce.Contact", "salesforce.Lead")),
    Reference("salesforce.Task", "OwnerId", ("salesforce.User",)),
    Reference("zendesk.users", "organization_id", ("zendesk.organizations",)),
    Reference("zendesk.users", "default_group_id", ("zendesk.groups",)),
    Reference("zendesk.tickets", "requester_id", ZENDESK_USERS),
    Reference("zendesk.tickets", "submitter_id", ZENDESK_USERS),
    Reference("zendesk.tickets", "assignee_id", ZENDESK_USERS),
    Reference("zendesk.tickets", "group_id", ("zendesk.groups",)),
    Reference("zendesk.tickets", "organization_id", ("zendesk.organizations",)),
    Reference("zendesk.comments", "author_id", ZENDESK_USERS),
)


def _key(collection: str, value: object) -> str:
    # A Salesforce id's first 15 characters are the id; the 18-character form adds a checksum.
    return str(value)[:15] if collection.startswith("salesforce.") else str(value)


# -- validation -------------------------------------------------------------------------------


def validate_world(world: World) -> None:
    """Raise ``WorldError`` naming the file, record and field of the first problem."""
    for collection, records in world.collections.items():
        _validate_records(collection, records)
    _check_unique_comment_ids(world.collections.get("zendesk.comments", []))
    _check_references(world)
    _check_comment_tickets(world)
    _check_assignees_are_agents(world)


def _validate_records(collection: str, records: Iterable[tuple[str, Record]]) -> None:
    model = model_of(collection)
    for rid, record in records:
        try:
            model.model_validate(record)
        except ValidationError as exc:
            field, message = _describe(exc.errors()[0])
            raise WorldError(file_of(collection), message, record=rid, field=field) from None


def _describe(error: ErrorDetails) -> tuple[str | None, str]:
    """(dotted field path, message) for one pydantic error, in the world format's words."""
    path = [f"[{part}]" if isinstance(part, int) else str(part) for part in error["loc"]]
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, FieldProblem):
        path.append(cause.field)
    if error["type"] == "missing":
        message = "missing"
    elif isinstance(cause, ValueError):
        message = str(cause)
    else:
        text = error["msg"]
        message = f"{text[0].lower()}{text[1:]}, got {error['input']!r}"
    field = ".".join(path).replace(".[", "[") or None
    return field, message


def _check_unique_comment_ids(comments: list[tuple[str, Record]]) -> None:
    seen: set[str] = set()
    for rid, comment in comments:
        if rid in seen:
            raise WorldError(
                COMMENTS_FILE,
                f"duplicate comment id {comment['id']!r} (comment ids are unique across tickets)",
                record=str(comment.get("ticket_id")),
                field="id",
            )
        seen.add(rid)


def _check_references(world: World) -> None:
    salesforce = tuple(c for c in world.collections if c.startswith("salesforce."))
    ids = {c: {_key(c, rid) for rid, _ in records} for c, records in world.collections.items()}
    for ref in REFERENCES:
        targets = ref.targets or salesforce
        for rid, value in _values(world, ref):
            if not any(_key(t, value) in ids.get(t, ()) for t in targets):
                where = " or ".join(file_of(t) for t in targets)
                raise WorldError(
                    file_of(ref.collection),
                    f"{value!r} is not the id of any record in {where}",
                    record=rid,
                    field=ref.field,
                )


def _check_comment_tickets(world: World) -> None:
    tickets = {rid for rid, _ in world.collections.get("zendesk.tickets", [])}
    for _, comment in world.collections.get("zendesk.comments", []):
        ticket = str(comment["ticket_id"])
        if ticket not in tickets:
            raise WorldError(
                COMMENTS_FILE, f"no ticket with id {ticket} in zendesk/tickets.json", record=ticket
            )


def _values(world: World, ref: Reference) -> Iterator[tuple[str, object]]:
    """(record id, value) of every record of ``ref.collection`` that sets ``ref.field``."""
    for rid, record in world.collections.get(ref.collection, []):
        value = record.get(ref.field)
        if value not in (None, ""):
            yield rid, value


def _check_assignees_are_agents(world: World) -> None:
    roles = {rid: user.get("role") for rid, user in world.collections.get("zendesk.users", [])}
    for rid, assignee in _values(world, Reference("zendesk.tickets", "assignee_id")):
        if roles.get(str(assignee)) == "end-user":
            raise WorldError(
                file_of("zendesk.tickets"),
                f"user {assignee} is an end-user; tickets are assigned to agents or admins",
                record=rid,
                field="assignee_id",
            )
