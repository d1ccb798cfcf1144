"""Who may see what: the principal of a run and the hook every tool calls before it reads.

The principal travels in the run's config (``configurable.principal``), set by the channel
(Slack identity mapping, API key, a customer's signed session token) — never in model-chosen
tool arguments. This is the seam a later issue fills with the bank's full policy (roles,
actions, books of business); today's rules are the minimum that must already hold:

- no principal → nothing (fail closed);
- staff may read any journey and list journeys;
- a customer may read their own account's journey only, never a list, and only as
  ``tools.customer_view`` rebuilds it (no screening material, internal notes, staff contact
  details or links into the bank's systems);
- a customer who names anything but their own account is refused, not answered about their
  own account as if it were the one asked about (``tools.own_account``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig
from pydantic import BaseModel, Field, ValidationError, model_validator

from journeys.view import JourneyView
from tools.customer_view import customer_view
from tools.own_account import names_own_account

Action = Literal["journey.read", "journey.list"]


class Principal(BaseModel):
    kind: Literal["staff", "customer"]
    id: str = Field(description="Staff email / user id, or the customer's portal user id.")
    role: str | None = Field(None, description="Staff role, e.g. relationship_manager.")
    account_id: str | None = Field(None, description="The one account a customer is bound to.")

    @model_validator(mode="after")
    def _bound(self) -> Principal:
        if self.kind == "customer" and not self.account_id:
            raise ValueError("a customer principal must be bound to an account_id")
        return self

    @property
    def audience(self) -> Literal["internal", "customer"]:
        """What the knowledge base may show (``tools.knowledge`` reads this)."""
        return "internal" if self.kind == "staff" else "customer"


OWN_ACCOUNT_ONLY = "I can only share information about your own account."


class AccessDenied(PermissionError):
    """The principal may not do this; the message is safe to show to them."""


def principal_from(config: RunnableConfig | None) -> Principal | None:
    raw: Any = ((config or {}).get("configurable") or {}).get("principal")
    if isinstance(raw, Principal) or raw is None:
        return raw
    if isinstance(raw, Mapping):
        try:
            return Principal.model_validate(raw)
        except ValidationError:
            return None  # a malformed principal is no principal: fail closed
    return None


def identified(principal: Principal | None) -> Principal:
    """The principal, if there is one: nothing is looked up for an unidentified caller."""
    if principal is None:
        raise AccessDenied("I can't look that up: this conversation has no verified identity.")
    return principal


def authorize(
    principal: Principal | None, action: Action, account_id: str | None = None
) -> Principal:
    """The principal, if it may do ``action`` (on ``account_id``); else ``AccessDenied``."""
    principal = identified(principal)
    if principal.kind == "customer" and (
        action == "journey.list" or account_id != principal.account_id
    ):
        raise AccessDenied(OWN_ACCOUNT_ONLY)
    return principal


def visible_view(principal: Principal, view: JourneyView) -> JourneyView:
    """The view as this principal may see it: staff everything, a customer the customer view
    (``tools.customer_view``), which every tool answers from."""
    return view if principal.kind == "staff" else customer_view(view)


def check_named_account(principal: Principal, said: str, view: JourneyView) -> None:
    """``AccessDenied`` when a customer named anything but the account of ``view``, their own;
    decided from that view alone, so the answer is the same whatever else exists."""
    if principal.kind == "customer" and not names_own_account(said, view):
        raise AccessDenied(OWN_ACCOUNT_ONLY)
