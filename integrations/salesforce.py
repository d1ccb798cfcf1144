"""Salesforce REST client: OAuth client credentials, SOQL with paging, sObjects, Task upserts.

Custom field API names (``Onboarding_Stage__c``, ``Product__c``, …) come from
``SalesforceSettings.fields``; records expose them under stable names (``account.product``)
whatever the org calls them. Every value written into SOQL goes through ``integrations.soql``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar
from urllib.parse import quote, urlsplit

import httpx
from pydantic import Field

from config import SalesforceSettings
from integrations.dialect import (
    Dialect,
    ErrorDetail,
    LimitSnapshot,
    body_snippet,
    json_body,
)
from integrations.errors import (
    AuthError,
    BadResponse,
    IntegrationError,
    InvalidRequest,
    RateLimited,
    required,
)
from integrations.records import Envelope, Record, parse
from integrations.soql import contains, in_list, literal
from integrations.transport import Transport

SYSTEM = "salesforce"
_ID = re.compile(r"^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_USAGE = re.compile(r"api-usage=(\d+)/(\d+)")
# OAuth errors of the token endpoint that mean "these credentials will not work".
_OAUTH_CREDENTIAL_ERRORS = frozenset({"invalid_client", "invalid_grant", "unauthorized_client"})

SObject = dict[str, Any]


# -- records ---------------------------------------------------------------------------------


class SalesforceRecord(Record):
    # The sObject, the standard fields Baton selects, and its custom fields: model attribute →
    # attribute of ``SalesforceFields`` holding the org's API name for it.
    SOBJECT: ClassVar[str]
    STANDARD_FIELDS: ClassVar[str]
    CUSTOM_FIELDS: ClassVar[Mapping[str, str]] = {}

    id: str = Field(alias="Id")
    link: str = Field("", description="The record in the Lightning UI.")


class User(SalesforceRecord):
    SOBJECT = "User"
    STANDARD_FIELDS = "Id Name Email Title Department IsActive"

    name: str = Field(alias="Name")
    email: str | None = Field(None, alias="Email")
    title: str | None = Field(None, alias="Title")
    department: str | None = Field(None, alias="Department")
    is_active: bool | None = Field(None, alias="IsActive")


class Account(SalesforceRecord):
    SOBJECT = "Account"
    STANDARD_FIELDS = "Id Name OwnerId Type Industry CreatedDate LastModifiedDate"
    CUSTOM_FIELDS = {
        name: name
        for name in (
            "product",
            "onboarding_stage",
            "dba_name",
            "segment",
            "core_account_number",
            "account_opened_date",
            "first_transaction_date",
        )
    }

    name: str = Field(alias="Name")
    owner_id: str | None = Field(None, alias="OwnerId")
    type: str | None = Field(None, alias="Type")
    industry: str | None = Field(None, alias="Industry")
    created_date: datetime | None = Field(None, alias="CreatedDate")
    last_modified_date: datetime | None = Field(None, alias="LastModifiedDate")
    # Custom fields, under the names of ``SalesforceFields``.
    product: str | None = None
    onboarding_stage: str | None = None
    dba_name: str | None = None
    segment: str | None = None
    core_account_number: str | None = None
    account_opened_date: date | None = None
    first_transaction_date: date | None = None


class Contact(SalesforceRecord):
    SOBJECT = "Contact"
    STANDARD_FIELDS = "Id AccountId FirstName LastName Name Email Phone Title"

    account_id: str | None = Field(None, alias="AccountId")
    first_name: str | None = Field(None, alias="FirstName")
    last_name: str = Field(alias="LastName")
    name: str | None = Field(None, alias="Name")
    email: str | None = Field(None, alias="Email")
    phone: str | None = Field(None, alias="Phone")
    title: str | None = Field(None, alias="Title")


class Opportunity(SalesforceRecord):
    SOBJECT = "Opportunity"
    STANDARD_FIELDS = (
        "Id AccountId Name StageName CloseDate IsClosed IsWon Amount OwnerId CreatedDate"
    )
    CUSTOM_FIELDS = {"product": "product"}

    account_id: str | None = Field(None, alias="AccountId")
    name: str = Field(alias="Name")
    stage_name: str = Field(alias="StageName")
    close_date: date | None = Field(None, alias="CloseDate")
    is_closed: bool | None = Field(None, alias="IsClosed")
    is_won: bool | None = Field(None, alias="IsWon")
    amount: float | None = Field(None, alias="Amount")
    owner_id: str | None = Field(None, alias="OwnerId")
    created_date: datetime | None = Field(None, alias="CreatedDate")
    product: str | None = None


class Task(SalesforceRecord):
    SOBJECT = "Task"
    STANDARD_FIELDS = (
        "Id Subject Status WhatId WhoId OwnerId Priority ActivityDate Description CreatedDate"
        " LastModifiedDate"
    )
    CUSTOM_FIELDS = {"step": "task_step"}

    subject: str = Field(alias="Subject")
    status: str = Field(alias="Status")
    what_id: str | None = Field(None, alias="WhatId")
    who_id: str | None = Field(None, alias="WhoId")
    owner_id: str | None = Field(None, alias="OwnerId")
    priority: str | None = Field(None, alias="Priority")
    activity_date: date | None = Field(None, alias="ActivityDate")
    description: str | None = Field(None, alias="Description")
    created_date: datetime | None = Field(None, alias="CreatedDate")
    last_modified_date: datetime | None = Field(None, alias="LastModifiedDate")
    step: str | None = None


R = TypeVar("R", bound=SalesforceRecord)

# -- wire format -----------------------------------------------------------------------------


class SalesforceDialect(Dialect):
    system = SYSTEM

    def error_detail(self, response: httpx.Response) -> ErrorDetail:
        body = json_body(response)
        # REST errors are a list of {errorCode, message}; the token endpoint speaks OAuth.
        if isinstance(body, list) and body and isinstance(body[0], dict):
            first = body[0]
            return ErrorDetail(str(first.get("message", "")), first.get("errorCode"))
        if isinstance(body, dict) and "error" in body:
            message = body.get("error_description") or body["error"]
            return ErrorDetail(str(message), str(body["error"]))
        return ErrorDetail(body_snippet(response))

    def classify(self, response: httpx.Response, detail: ErrorDetail) -> IntegrationError:
        args = (SYSTEM, detail.message, response.status_code, detail.code)
        if detail.code == "REQUEST_LIMIT_EXCEEDED":
            # The daily API limit: waiting seconds will not help, so no retry_after.
            return RateLimited(*args, retry_after=None)
        if detail.code in _OAUTH_CREDENTIAL_ERRORS:
            return AuthError(*args)
        return super().classify(response, detail)

    def session_expired(self, error: IntegrationError) -> bool:
        return isinstance(error, AuthError) and error.code == "INVALID_SESSION_ID"

    def limits(self, headers: httpx.Headers) -> LimitSnapshot | None:
        match = _USAGE.search(headers.get("Sforce-Limit-Info", ""))
        if match is None:
            return None
        used, limit = int(match[1]), int(match[2])
        return LimitSnapshot(
            system=SYSTEM,
            used=used,
            limit=limit,
            remaining=limit - used,
            observed_at=datetime.now().astimezone(),
        )


class _Token(Envelope):
    access_token: str
    instance_url: str


class _QueryPage(Envelope):
    done: bool
    records: list[SObject]
    next_records_url: str | None = Field(None, alias="nextRecordsUrl")


class _SaveResult(Envelope):
    id: str
    success: bool


class _OAuthSession:
    """Client-credentials token, fetched on first use, cached, dropped when it expires."""

    def __init__(self, login: Transport, client_id: str, client_secret: str) -> None:
        self._login = login
        self._form = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        }
        self._token: _Token | None = None
        self._lock = asyncio.Lock()  # concurrent first calls fetch one token, not several

    async def token(self) -> _Token:
        async with self._lock:
            if self._token is None:
                reply = await self._login.request(
                    "POST",
                    "/services/oauth2/token",
                    data=self._form,
                    authenticate=False,
                    idempotent=True,
                )
                self._token = parse(SYSTEM, _Token, reply.data)
            return self._token

    async def headers(self) -> Mapping[str, str]:
        return {"Authorization": f"Bearer {(await self.token()).access_token}"}

    def invalidate(self) -> None:
        self._token = None

    @property
    def instance_url(self) -> str | None:
        """Where the API lives, once a token has said so."""
        return self._token.instance_url.rstrip("/") if self._token else None


# -- the client ------------------------------------------------------------------------------


class SalesforceClient:
    def __init__(
        self,
        settings: SalesforceSettings,
        *,
        http_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        url = required(settings.url, "BATON_SALESFORCE__URL")
        dialect = SalesforceDialect()
        # The token endpoint (login host) and the API (instance) are separate services in
        # Salesforce, so each has its own pool and breaker; both share a call's time budget.
        self._login = Transport(dialect, url, settings.transport, http_transport=http_transport)
        self._session = _OAuthSession(
            self._login,
            required(settings.client_id, "BATON_SALESFORCE__CLIENT_ID"),
            required(settings.client_secret, "BATON_SALESFORCE__CLIENT_SECRET"),
        )
        self._api = Transport(
            dialect, url, settings.transport, auth=self._session, http_transport=http_transport
        )
        self._version = settings.api_version
        self._fields = settings.fields

    @property
    def transport(self) -> Transport:
        """The API transport (limits, breaker); token requests use a transport of their own."""
        return self._api

    async def aclose(self) -> None:
        await asyncio.gather(self._api.aclose(), self._login.aclose())

    # -- generic -----------------------------------------------------------------------------

    async def query(self, soql: str) -> list[SObject]:
        """Every record of a SOQL query, following ``nextRecordsUrl`` to the last batch."""
        async with self._api.budget():
            instance = await self._instance_url()
            url = f"{instance}/services/data/v{self._version}/query"
            page = parse(SYSTEM, _QueryPage, await self._api.get(url, params={"q": soql}))
            records = list(page.records)
            while not page.done and page.next_records_url:
                next_url = _resolve(instance, page.next_records_url)
                page = parse(SYSTEM, _QueryPage, await self._api.get(next_url))
                records.extend(page.records)
            return records

    async def get(self, sobject: str, record_id: str) -> SObject:
        """One record with all its fields (``sobjects/{type}/{id}``)."""
        _check_name(sobject)
        _check_id(record_id)
        async with self._api.budget():
            url = await self._sobject_url(f"{sobject}/{record_id}")
            data = await self._api.get(url)
        if not isinstance(data, dict):
            raise BadResponse(SYSTEM, f"{sobject} {record_id}: the answer is not a record")
        return data

    def link(self, sobject: str, record_id: str) -> str:
        """The record in the Lightning UI (the instance is known once a call has been made)."""
        instance = self._session.instance_url or self._api.base_url
        return f"{instance}/lightning/r/{sobject}/{record_id}/view"

    # -- accounts ----------------------------------------------------------------------------

    async def account(self, account_id: str) -> Account:
        return self._record(Account, await self.get("Account", account_id))

    async def accounts(self, ids: Sequence[str]) -> list[Account]:
        if not ids:
            return []
        return await self._select(Account, f"Id IN {in_list(ids)}", "Name")

    async def search_accounts(self, name: str, limit: int = 20) -> list[Account]:
        """Accounts whose name or DBA name contains ``name`` (case-insensitive, like SOQL)."""
        where = f"Name LIKE {contains(name)} OR {self._fields.dba_name} LIKE {contains(name)}"
        return await self._select(Account, where, "Name", limit)

    async def accounts_where(
        self,
        *,
        owner_id: str | None = None,
        product: str | None = None,
        stage: str | None = None,
        limit: int = 2000,
    ) -> list[Account]:
        """A portfolio: accounts matching every filter given (all accounts when none)."""
        filters = {
            "OwnerId": owner_id,
            self._fields.product: product,
            self._fields.onboarding_stage: stage,
        }
        where = " AND ".join(f"{f} = {literal(v)}" for f, v in filters.items() if v is not None)
        return await self._select(Account, where, "Name", limit)

    # -- related records ---------------------------------------------------------------------

    async def opportunities(self, account_id: str) -> list[Opportunity]:
        where = f"AccountId = {literal(account_id)}"
        return await self._select(Opportunity, where, "CreatedDate")

    async def contacts(self, account_id: str) -> list[Contact]:
        return await self._select(Contact, f"AccountId = {literal(account_id)}", "Name")

    async def find_contacts(self, name_or_email: str, limit: int = 20) -> list[Contact]:
        where = f"Name LIKE {contains(name_or_email)} OR Email LIKE {contains(name_or_email)}"
        return await self._select(Contact, where, "Name", limit)

    async def tasks(self, account_id: str) -> list[Task]:
        """Tasks attached to the account (``WhatId``), oldest first."""
        return await self._select(Task, f"WhatId = {literal(account_id)}", "CreatedDate")

    # Bulk forms for portfolio views: one query for many accounts instead of one per account.
    async def opportunities_for(self, account_ids: Sequence[str]) -> list[Opportunity]:
        if not account_ids:
            return []
        return await self._select(
            Opportunity, f"AccountId IN {in_list(account_ids)}", "CreatedDate"
        )

    async def contacts_for(self, account_ids: Sequence[str]) -> list[Contact]:
        if not account_ids:
            return []
        return await self._select(Contact, f"AccountId IN {in_list(account_ids)}", "Name")

    async def tasks_for(self, account_ids: Sequence[str]) -> list[Task]:
        if not account_ids:
            return []
        return await self._select(Task, f"WhatId IN {in_list(account_ids)}", "CreatedDate")

    async def users(self, ids: Sequence[str]) -> list[User]:
        if not ids:
            return []
        return await self._select(User, f"Id IN {in_list(ids)}", "Name")

    async def user_by_email(self, email: str) -> User | None:
        found = await self._select(User, f"Email = {literal(email)}", "Name", 1)
        return found[0] if found else None

    # -- writes ------------------------------------------------------------------------------

    async def create_task(
        self,
        *,
        what_id: str,
        subject: str,
        idempotency_key: str,
        owner_id: str | None = None,
        who_id: str | None = None,
        description: str | None = None,
        activity_date: date | None = None,
        priority: str = "Normal",
        status: str = "Not Started",
        step: str | None = None,
    ) -> Task:
        """Create a Task once per ``idempotency_key``.

        An upsert on the external-id field (``PATCH sobjects/Task/Baton_Key__c/{key}``): a
        retried or repeated create finds the Task the first one made instead of adding another,
        which is what makes it safe to retry.
        """
        if not idempotency_key:
            raise InvalidRequest(SYSTEM, "create_task needs an idempotency key")
        values: dict[str, Any] = {
            "WhatId": what_id,
            "Subject": subject,
            "Priority": priority,
            "Status": status,
            "OwnerId": owner_id,
            "WhoId": who_id,
            "Description": description,
            "ActivityDate": activity_date.isoformat() if activity_date else None,
            self._fields.task_step: step,
        }
        body = {field: value for field, value in values.items() if value is not None}
        async with self._api.budget():
            key = quote(idempotency_key, safe="")
            url = await self._sobject_url(f"Task/{self._fields.task_key}/{key}")
            reply = await self._api.request("PATCH", url, json=body, idempotent=True)
            saved = parse(SYSTEM, _SaveResult, reply.data)
            return self._record(Task, await self.get("Task", saved.id))

    # -- helpers -----------------------------------------------------------------------------

    async def _select(
        self, model: type[R], where: str, order_by: str, limit: int | None = None
    ) -> list[R]:
        custom = (getattr(self._fields, name) for name in model.CUSTOM_FIELDS.values())
        fields = dict.fromkeys((*model.STANDARD_FIELDS.split(), *custom))
        soql = f"SELECT {', '.join(fields)} FROM {model.SOBJECT}"
        if where:
            soql += f" WHERE {where}"
        soql += f" ORDER BY {order_by}"
        if limit is not None:
            soql += f" LIMIT {int(limit)}"
        return [self._record(model, record) for record in await self.query(soql)]

    def _record(self, model: type[R], record: SObject) -> R:
        """``record`` as ``model``, custom fields read from the org's field names."""
        custom = {
            attr: record.get(getattr(self._fields, name))
            for attr, name in model.CUSTOM_FIELDS.items()
        }
        link = self.link(model.SOBJECT, str(record.get("Id", "")))
        return parse(SYSTEM, model, {**record, **custom, "link": link})

    async def _instance_url(self) -> str:
        return (await self._session.token()).instance_url.rstrip("/")

    async def _sobject_url(self, path: str) -> str:
        return f"{await self._instance_url()}/services/data/v{self._version}/sobjects/{path}"


def _resolve(instance: str, path: str) -> str:
    """``nextRecordsUrl`` is a path on the instance's host; the instance may sit below a path
    prefix (the sandbox serves Salesforce under ``/salesforce``), which the path may repeat."""
    parts = urlsplit(instance)
    if parts.path and path.startswith(parts.path.rstrip("/") + "/"):
        return f"{parts.scheme}://{parts.netloc}{path}"
    return instance + path


def _check_id(record_id: str) -> None:
    if not _ID.match(record_id):
        raise InvalidRequest(SYSTEM, f"not a Salesforce id: {record_id!r}", code="MALFORMED_ID")


def _check_name(sobject: str) -> None:
    if not _NAME.match(sobject):
        raise InvalidRequest(SYSTEM, f"not an sObject name: {sobject!r}", code="INVALID_TYPE")
