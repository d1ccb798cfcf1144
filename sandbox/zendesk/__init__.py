"""Emulator of the Zendesk Support API v2 (the subset in ``docs/sandbox.md``).

Serves the ``zendesk.*`` store collections with Zendesk's paths, paging, auth, error bodies and
rate-limit headers. Modules: ``routes/`` (endpoints), ``query``/``matcher`` (search),
``paging``, ``writes`` (ticket create/update), ``idempotency``, ``ratelimit``, ``auth``,
``errors``, ``records`` (reads and response shapes).
"""

from __future__ import annotations

from fastapi import Depends, FastAPI

from sandbox.context import SandboxContext
from sandbox.faults import install_faults
from sandbox.zendesk.auth import require_auth
from sandbox.zendesk.errors import ZendeskErrorRenderer, install_error_handlers
from sandbox.zendesk.ratelimit import install_rate_limit
from sandbox.zendesk.routes import resources, search, tickets
from sandbox.zendesk.state import Zendesk


def create_app(ctx: SandboxContext) -> FastAPI:
    app = FastAPI(
        title="Zendesk Support API v2 (sandbox)",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(require_auth)],
    )
    app.state.ctx = ctx
    app.state.zendesk = Zendesk.build(ctx)
    for module in (tickets, search, resources):
        app.include_router(module.router)
    install_error_handlers(app)
    # Middleware added last runs first: faults wrap the rate limiter, so every request is
    # counted in ``ctx.stats`` and injected faults do not spend the client's budget.
    install_rate_limit(app, ctx.options.zendesk_rate_per_minute)
    install_faults(app, "zendesk", ctx, ZendeskErrorRenderer())
    return app
