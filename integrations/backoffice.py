"""The four back-office clients, built from settings and closed together."""

from __future__ import annotations

import asyncio
from types import TracebackType

import httpx

from config import Settings
from integrations.dialect import LimitSnapshot
from integrations.kyc import KycClient
from integrations.pos import PosClient
from integrations.salesforce import SalesforceClient
from integrations.zendesk import ZendeskClient


class BackOffice:
    """``async with BackOffice(settings) as office: await office.salesforce.account(id)``.

    Settings must name every system's URL and credentials; in embedded mode the CLI fills
    them in from the sandbox it starts (``sandbox.embedded.backoffice_settings``).
    """

    def __init__(
        self, settings: Settings, *, http_transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.salesforce = SalesforceClient(settings.salesforce, http_transport=http_transport)
        self.zendesk = ZendeskClient(settings.zendesk, http_transport=http_transport)
        self.kyc = KycClient(settings.kyc, http_transport=http_transport)
        self.pos = PosClient(settings.pos, http_transport=http_transport)

    def limits(self) -> dict[str, LimitSnapshot]:
        """The latest usage each system reported (systems that report none are left out)."""
        transports = (self.salesforce.transport, self.zendesk.transport)
        return {t.system: t.limits for t in transports if t.limits is not None}

    async def aclose(self) -> None:
        await asyncio.gather(
            self.salesforce.aclose(), self.zendesk.aclose(), self.kyc.aclose(), self.pos.aclose()
        )

    async def __aenter__(self) -> BackOffice:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
