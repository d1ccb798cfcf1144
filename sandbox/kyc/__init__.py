"""Emulator of an Alloy-style KYC/KYB provider (see ``docs/sandbox.md``)."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from sandbox.api_errors import install_error_handlers
from sandbox.context import SandboxContext
from sandbox.faults import install_faults
from sandbox.kyc.applications import applications_router
from sandbox.kyc.auth import workflow_auth
from sandbox.kyc.errors import AlloyErrors


def create_app(ctx: SandboxContext) -> FastAPI:
    # No interactive docs: the real provider serves none at these paths.
    app = FastAPI(
        title="KYC provider (Alloy-style)",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(workflow_auth(ctx.options.credentials))],
    )
    renderer = AlloyErrors(now_ms=int(ctx.now.timestamp() * 1000))
    install_error_handlers(app, renderer)
    app.include_router(applications_router(ctx.store))
    install_faults(app, "kyc", ctx, renderer)
    return app
