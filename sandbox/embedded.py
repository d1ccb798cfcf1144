"""Embedded mode: with no back-office URL configured, Baton runs the demo sandbox itself.

``backoffice_settings`` is what the CLI (and the demo) wrap around any command that needs the
back office: it returns the settings unchanged when real systems are configured, or starts an
``EmbeddedSandbox`` on a free loopback port and returns settings pointing every client at it
with the sandbox's demo credentials, together with the world's frozen "now" (journeys over a
sandbox world are judged at its time, not the wall clock's).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import NamedTuple

from pydantic import SecretStr

from config import Settings
from sandbox.context import Credentials
from sandbox.server import EmbeddedSandbox

log = logging.getLogger(__name__)

SYSTEMS = ("salesforce", "zendesk", "kyc", "pos")


class ConfigurationError(ValueError):
    """Settings that cannot work together."""


def check_backoffice(settings: Settings) -> None:
    """All four systems configured, or none (embedded): a mix is almost certainly a mistake."""
    configured = [s for s in SYSTEMS if getattr(settings, s).url]
    if configured and len(configured) != len(SYSTEMS):
        missing = [f"BATON_{s.upper()}__URL" for s in SYSTEMS if s not in configured]
        raise ConfigurationError(
            f"back office partly configured ({', '.join(configured)}); also set "
            f"{', '.join(missing)}, or unset them all to use the embedded demo sandbox"
        )


def sandbox_settings(settings: Settings, sandbox: EmbeddedSandbox) -> Settings:
    """``settings`` with every system pointed at ``sandbox`` using its demo credentials."""
    creds = Credentials()
    return settings.model_copy(
        update={
            "salesforce": settings.salesforce.model_copy(
                update={
                    "url": sandbox.system_url("salesforce"),
                    "client_id": creds.salesforce_client_id,
                    "client_secret": SecretStr(creds.salesforce_client_secret),
                }
            ),
            "zendesk": settings.zendesk.model_copy(
                update={
                    "url": sandbox.system_url("zendesk"),
                    "email": creds.zendesk_email,
                    "api_token": SecretStr(creds.zendesk_api_token),
                }
            ),
            "kyc": settings.kyc.model_copy(
                update={
                    "url": sandbox.system_url("kyc"),
                    "workflow_token": creds.kyc_workflow_token,
                    "workflow_secret": SecretStr(creds.kyc_workflow_secret),
                }
            ),
            "pos": settings.pos.model_copy(
                update={
                    "url": sandbox.system_url("pos"),
                    "api_key": SecretStr(creds.pos_api_key),
                }
            ),
        }
    )


class Backoffice(NamedTuple):
    settings: Settings
    now: datetime | None  # the sandbox world's frozen time; None: a real back office


@contextmanager
def backoffice_settings(settings: Settings) -> Iterator[Backoffice]:
    check_backoffice(settings)
    if not settings.embedded:
        yield Backoffice(settings, None)
        return
    with EmbeddedSandbox(settings.sandbox.world, settings.sandbox.db) as sandbox:
        log.info(
            "No back-office URLs configured: running the sandbox back office in-process "
            "with world %s at %s",
            sandbox.app.state.world.name,
            sandbox.url,
        )
        yield Backoffice(sandbox_settings(settings, sandbox), sandbox.ctx.now)
