"""KYC/KYB provider client (Alloy-style): applications, requested documents, events."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from urllib.parse import quote

import httpx

from config import KycSettings
from integrations.dialect import Dialect, ErrorDetail, body_snippet, json_body
from integrations.errors import required
from integrations.records import Envelope, Record, parse
from integrations.transport import StaticAuth, Transport

SYSTEM = "kyc"
MAX_PAGE = 100  # the provider's largest ``limit``

ApplicationStatus = Literal[
    "running",
    "pending_documents",
    "waiting_review",
    "pending_step_up",
    "pending_action",
    "completed",
    "error",
]
Outcome = Literal["Approved", "Denied", "Manual Review"]


class KycReview(Record):
    queue: str | None = None
    reason: str | None = None
    analyst_email: str | None = None
    opened_at: datetime | None = None


class KycDocument(Record):
    document_token: str
    type: str
    description: str | None = None
    status: Literal["requested", "received", "accepted", "rejected"]
    requested_at: datetime | None = None
    received_at: datetime | None = None
    rejection_reason: str | None = None


class KycEvent(Record):
    event_type: str
    timestamp: datetime
    detail: str | None = None


class BeneficialOwner(Record):
    name: str
    ownership_percent: float | None = None
    status: Literal["verified", "pending", "failed"] | None = None


class KycApplication(Record):
    application_token: str
    external_entity_id: str
    entity_type: Literal["business", "person"]
    entity_name: str | None = None
    status: ApplicationStatus
    outcome: Outcome | None = None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None
    review: KycReview | None = None
    requested_documents: list[KycDocument] = []
    events: list[KycEvent] = []
    beneficial_owners: list[BeneficialOwner] = []


class _ApplicationPage(Envelope):
    applications: list[KycApplication]
    total: int


class _Documents(Envelope):
    documents: list[KycDocument]


class _Events(Envelope):
    events: list[KycEvent]


class KycDialect(Dialect):
    system = SYSTEM

    def error_detail(self, response: httpx.Response) -> ErrorDetail:
        # {"status_code": 404, "error": {"type": "Not Found", "message": "..."}}
        body = json_body(response)
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):
            return ErrorDetail(str(error.get("message", "")), error.get("type"))
        return ErrorDetail(body_snippet(response))


class KycClient:
    def __init__(
        self,
        settings: KycSettings,
        *,
        http_transport: httpx.AsyncBaseTransport | None = None,
        page_size: int = MAX_PAGE,
    ) -> None:
        self._page_size = min(page_size, MAX_PAGE)
        auth = StaticAuth.basic(
            required(settings.workflow_token, "BATON_KYC__WORKFLOW_TOKEN"),
            required(settings.workflow_secret, "BATON_KYC__WORKFLOW_SECRET"),
        )
        self.transport = Transport(
            KycDialect(),
            required(settings.url, "BATON_KYC__URL"),
            settings.transport,
            auth=auth,
            http_transport=http_transport,
        )

    async def aclose(self) -> None:
        await self.transport.aclose()

    async def applications_for_entity(self, account_id: str) -> list[KycApplication]:
        """Every application for the Salesforce Account, newest first."""
        found: list[KycApplication] = []
        async with self.transport.budget():
            while True:
                params = {
                    "external_entity_id": account_id,
                    "limit": self._page_size,
                    "offset": len(found),
                }
                data = await self.transport.get("/v1/applications", params=params)
                page = parse(SYSTEM, _ApplicationPage, data)
                found.extend(page.applications)
                if not page.applications or len(found) >= page.total:
                    return found

    async def application(self, token: str) -> KycApplication:
        return parse(SYSTEM, KycApplication, await self.transport.get(_path(token)))

    async def documents(self, token: str) -> list[KycDocument]:
        data = await self.transport.get(f"{_path(token)}/documents")
        return parse(SYSTEM, _Documents, data).documents

    async def events(self, token: str) -> list[KycEvent]:
        """The application's history, oldest first."""
        return parse(SYSTEM, _Events, await self.transport.get(f"{_path(token)}/events")).events


def _path(token: str) -> str:
    # Tokens come from records or the model; quoting keeps one from escaping its path segment.
    return f"/v1/applications/{quote(token, safe='')}"
