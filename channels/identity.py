"""Slack user → staff principal: who is asking, as the bank's records know them.

A mapping file (``BATON_SLACK__USERS_FILE``, YAML ``{slack user id: {email, role}}``) wins;
otherwise the user's email from Slack's ``users.info`` must match an active CRM User, whose
title gives the role. Anyone else is nobody Baton answers: the bot refuses politely. Answers
are cached for a few minutes: identity changes are rare, and every message would otherwise
cost a Slack and a CRM call.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from integrations import BackOffice, IntegrationError
from tools.policy import Principal

log = logging.getLogger(__name__)

KNOWN_TTL_S = 600.0
UNKNOWN_TTL_S = 60.0  # short: someone just added to the CRM should not wait long


class MappedUser(BaseModel):
    email: str
    role: str


class IdentityError(ValueError):
    """The mapping file cannot be used; the message names the file and the problem."""


def load_user_map(path: Path | None) -> dict[str, MappedUser]:
    if path is None:
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(raw, Mapping):
            raise IdentityError(f"{path}: expected a mapping of Slack user ids")
        return {str(uid): MappedUser.model_validate(entry) for uid, entry in raw.items()}
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise IdentityError(f"{path}: {exc}") from exc


def role_from_title(title: str | None) -> str:
    """``Senior Relationship Manager`` → ``senior_relationship_manager``; no title → ``staff``."""
    slug = re.sub(r"[^a-z0-9]+", "_", (title or "").casefold()).strip("_")
    return slug or "staff"


class IdentityUnavailable(RuntimeError):
    """Slack or the CRM could not be asked: the user may be staff, Baton cannot tell now."""


class StaffDirectory:
    def __init__(
        self, client: AsyncWebClient, office: BackOffice, mapped: dict[str, MappedUser]
    ) -> None:
        self._client = client
        self._office = office
        self._mapped = mapped
        self._cache: dict[str, tuple[float, Principal | None]] = {}

    async def principal(self, slack_user: str) -> Principal | None:
        """The staff principal of this Slack user, or None when the bank does not know them
        (``IdentityUnavailable`` when Slack or the CRM cannot be asked)."""
        cached = self._cache.get(slack_user)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        principal = await self._lookup(slack_user)
        ttl = KNOWN_TTL_S if principal else UNKNOWN_TTL_S
        self._cache[slack_user] = (time.monotonic() + ttl, principal)
        return principal

    async def _lookup(self, slack_user: str) -> Principal | None:
        mapped = self._mapped.get(slack_user)
        if mapped is not None:
            return Principal(kind="staff", id=mapped.email, role=mapped.role)
        try:
            info = await self._client.users_info(user=slack_user)
            email = (info.get("user") or {}).get("profile", {}).get("email")
            if not email:
                log.info("slack user %s has no visible email (users:read.email scope?)", slack_user)
                return None
            user = await self._office.salesforce.user_by_email(email)
        except SlackApiError as exc:
            raise IdentityUnavailable(
                f"Slack users.info failed: {exc.response.get('error')}"
            ) from exc
        except IntegrationError as exc:
            raise IdentityUnavailable(f"the CRM is unavailable ({exc})") from exc
        if user is None or user.is_active is False:
            return None
        return Principal(kind="staff", id=email, role=role_from_title(user.title))
