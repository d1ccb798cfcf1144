"""Emulator of the Salesforce REST API: OAuth token, SOQL query with paging, sObjects.

The app is mounted by ``sandbox.server`` at ``/salesforce``; the paths below are relative to it
(the ``instance_url`` it hands out). See ``docs/sandbox.md`` for the subset served.
"""

from __future__ import annotations

from fastapi import FastAPI

from sandbox.api_errors import install_error_handlers
from sandbox.context import SandboxContext
from sandbox.faults import install_faults
from sandbox.salesforce.auth import Sessions
from sandbox.salesforce.errors import SalesforceErrors
from sandbox.salesforce.middleware import IgnoreTrailingSlash, install_limit_info
from sandbox.salesforce.routes import data_router, oauth_router
from sandbox.salesforce.usage import ApiUsage

SYSTEM = "salesforce"


def create_app(ctx: SandboxContext) -> FastAPI:
    # No OpenAPI pages: the real API has none, and every path must answer like Salesforce.
    app = FastAPI(
        title="Salesforce REST (sandbox)", openapi_url=None, docs_url=None, redoc_url=None
    )
    errors = SalesforceErrors()
    sessions = Sessions()
    usage = ApiUsage(ctx.options)
    install_error_handlers(app, errors)
    app.include_router(oauth_router(ctx, sessions))
    app.include_router(data_router(ctx, sessions, usage))
    install_faults(app, SYSTEM, ctx, errors)
    install_limit_info(app, usage)
    app.add_middleware(IgnoreTrailingSlash)
    return app
