"""POS provisioning vendor client: Fiserv-style merchant boarding and Stripe-Terminal-style
hardware orders, readers and charges (Stripe lists: ``limit`` + ``starting_after`` paging)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BeforeValidator, Field

from config import PosSettings
from integrations.dialect import Dialect, ErrorDetail, body_snippet, json_body
from integrations.errors import required
from integrations.records import Envelope, Record, parse
from integrations.transport import StaticAuth, Transport

SYSTEM = "pos"
MAX_PAGE = 100  # Stripe's largest ``limit``


def _from_millis(value: Any) -> Any:
    return datetime.fromtimestamp(value / 1000, UTC) if isinstance(value, int | float) else value


# Stripe times are Unix seconds (pydantic reads numbers as seconds); ``last_seen_at`` is ms.
UnixMillis = Annotated[datetime, BeforeValidator(_from_millis)]

BoardingStatus = Literal[
    "SUBMITTED",
    "IN_PROGRESS",
    "SUCCESSFUL_PROCESSED",
    "FAIL_PROCESSED",
    "REJECTED",
    "DECLINED",
    "CANCELED",
]


class BoardingApplication(Record):
    application_id: str = Field(alias="applicationId")
    external_id: str
    merchant_name: str | None = None
    status: BoardingStatus
    current_step: str | None = None
    mid: str | None = None
    submitted_at: datetime
    updated_at: datetime
    error_code: str | None = None
    error_message: str | None = None


class _StripeObject(Record):
    id: str
    metadata: dict[str, str] = {}

    @property
    def account_id(self) -> str | None:
        """The Salesforce Account the object belongs to."""
        return self.metadata.get("account_id")


S = TypeVar("S", bound=_StripeObject)


class HardwareSku(Record):
    product: str | None = None


class HardwareOrderItem(Record):
    quantity: int
    hardware_sku: HardwareSku | None = None


class Shipment(Record):
    carrier: str | None = None
    tracking_number: str | None = None
    eta: date | None = None
    delivered_at: datetime | None = None


class HardwareOrder(_StripeObject):
    status: Literal["pending", "ordered", "shipped", "delivered", "canceled"]
    created: datetime
    hardware_order_items: list[HardwareOrderItem] = []
    shipment: Shipment | None = None


class ReaderAction(Record):
    type: str | None = None
    status: Literal["in_progress", "succeeded", "failed"]
    failure_code: str | None = None
    failure_message: str | None = None


class Reader(_StripeObject):
    status: Literal["online", "offline"] | None = None
    device_type: str
    label: str | None = None
    serial_number: str | None = None
    last_seen_at: UnixMillis | None = None
    action: ReaderAction | None = None


class Charge(_StripeObject):
    amount: int  # in the currency's smallest unit, as Stripe sends it
    currency: str
    created: datetime
    status: Literal["succeeded", "pending", "failed"]
    description: str | None = None


class _StripeList(Envelope):
    data: list[dict[str, Any]]
    has_more: bool


class _Applications(Envelope):
    applications: list[BoardingApplication]


class PosDialect(Dialect):
    system = SYSTEM

    def error_detail(self, response: httpx.Response) -> ErrorDetail:
        # {"error": {"type": "invalid_request_error", "code": "resource_missing", "message"}}
        body = json_body(response)
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):
            return ErrorDetail(
                str(error.get("message", "")), error.get("code") or error.get("type")
            )
        return ErrorDetail(body_snippet(response))


class PosClient:
    def __init__(
        self,
        settings: PosSettings,
        *,
        http_transport: httpx.AsyncBaseTransport | None = None,
        page_size: int = MAX_PAGE,
    ) -> None:
        self._page_size = min(page_size, MAX_PAGE)
        self.transport = Transport(
            PosDialect(),
            required(settings.url, "BATON_POS__URL"),
            settings.transport,
            auth=StaticAuth.bearer(required(settings.api_key, "BATON_POS__API_KEY")),
            http_transport=http_transport,
        )

    async def aclose(self) -> None:
        await self.transport.aclose()

    # -- boarding ----------------------------------------------------------------------------

    async def boarding_applications(self, account_id: str) -> list[BoardingApplication]:
        """The account's boarding applications, newest first."""
        data = await self.transport.get("/api/v1/applications", params={"external_id": account_id})
        return parse(SYSTEM, _Applications, data).applications

    async def boarding_application(self, application_id: str) -> BoardingApplication:
        data = await self.transport.get(f"/api/v1/application/{quote(application_id, safe='')}")
        return parse(SYSTEM, BoardingApplication, data)

    async def create_boarding_application(
        self, *, account_id: str, merchant_name: str, idempotency_key: str, **details: Any
    ) -> BoardingApplication:
        """Submit a merchant for boarding, once per ``idempotency_key``.

        The vendor replays the first application for a repeated key, so the call is safe to
        retry; ``details`` are further merchant fields the vendor keeps as sent.
        """
        reply = await self.transport.request(
            "POST",
            "/api/v1/application",
            json={**details, "external_id": account_id, "merchant_name": merchant_name},
            headers={"Idempotency-Key": idempotency_key},
            idempotent=True,
        )
        return parse(SYSTEM, BoardingApplication, reply.data)

    # -- terminal ----------------------------------------------------------------------------

    async def hardware_orders(self, account_id: str) -> list[HardwareOrder]:
        """The account's terminal orders, newest first."""
        return await self._list(HardwareOrder, "/v1/terminal/hardware_orders", account_id)

    async def hardware_order(self, order_id: str) -> HardwareOrder:
        return await self._retrieve(HardwareOrder, "/v1/terminal/hardware_orders", order_id)

    async def readers(self, account_id: str) -> list[Reader]:
        return await self._list(Reader, "/v1/terminal/readers", account_id)

    async def reader(self, reader_id: str) -> Reader:
        return await self._retrieve(Reader, "/v1/terminal/readers", reader_id)

    async def charges(self, account_id: str, limit: int = 100) -> list[Charge]:
        """The account's ``limit`` most recent charges."""
        return await self._list(Charge, "/v1/charges", account_id, limit)

    async def _retrieve(self, model: type[S], path: str, object_id: str) -> S:
        """One Stripe object by id (``{path}/{id}``; 404 ``resource_missing`` → ``NotFound``)."""
        return parse(SYSTEM, model, await self.transport.get(f"{path}/{quote(object_id, safe='')}"))

    async def _list(
        self, model: type[S], path: str, account_id: str, limit: int | None = None
    ) -> list[S]:
        """A Stripe list filtered to the account, paged with ``starting_after``."""
        found: list[S] = []
        params: dict[str, Any] = {"metadata[account_id]": account_id}
        async with self.transport.budget():
            while limit is None or len(found) < limit:
                wanted = self._page_size if limit is None else limit - len(found)
                params["limit"] = min(self._page_size, wanted)
                page = parse(SYSTEM, _StripeList, await self.transport.get(path, params=params))
                found.extend(parse(SYSTEM, model, record) for record in page.data)
                if not page.has_more or not page.data:
                    break
                params["starting_after"] = found[-1].id
        return found
