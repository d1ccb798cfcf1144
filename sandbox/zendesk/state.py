"""What the route handlers share, reached through FastAPI dependencies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from sandbox.context import SandboxContext
from sandbox.zendesk.idempotency import IdempotencyKeys
from sandbox.zendesk.matcher import Matcher
from sandbox.zendesk.records import Records
from sandbox.zendesk.writes import TicketWriter


@dataclass(frozen=True)
class Zendesk:
    ctx: SandboxContext
    records: Records
    matcher: Matcher
    writer: TicketWriter
    idempotency: IdempotencyKeys

    @classmethod
    def build(cls, ctx: SandboxContext) -> Zendesk:
        records = Records(ctx.store)
        return cls(
            ctx,
            records,
            Matcher(records, ctx.now),
            TicketWriter(ctx, records),
            IdempotencyKeys(ctx.store),
        )


async def zendesk(request: Request) -> Zendesk:
    return request.app.state.zendesk


ZendeskDep = Annotated[Zendesk, Depends(zendesk)]


def base_url(request: Request) -> str:
    """The emulator's own base URL (``http://host:port/zendesk`` when mounted there)."""
    return str(request.url.replace(path=request.scope.get("root_path", ""), query=""))
