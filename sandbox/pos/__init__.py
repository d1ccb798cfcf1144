"""Emulator of a POS provisioning vendor: Fiserv-style boarding and Stripe-Terminal-style
hardware orders, readers and charges (see ``docs/sandbox.md``)."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from sandbox.api_errors import install_error_handlers
from sandbox.context import SandboxContext
from sandbox.faults import install_faults
from sandbox.pos.auth import api_key_auth
from sandbox.pos.boarding import boarding_router
from sandbox.pos.errors import StripeErrors
from sandbox.pos.objects import objects_router


def create_app(ctx: SandboxContext) -> FastAPI:
    # No interactive docs: the real vendor serves none at these paths.
    app = FastAPI(
        title="POS provisioning vendor (Fiserv boarding, Stripe Terminal)",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(api_key_auth(ctx.options.credentials))],
    )
    renderer = StripeErrors()
    install_error_handlers(app, renderer)
    app.include_router(boarding_router(ctx))
    app.include_router(objects_router(ctx.store))
    install_faults(app, "pos", ctx, renderer)
    return app
