"""Principals for the developer channels (CLI, evaluation): the ``--as`` syntax and the demo
identity used when none is given. Production channels map their own identities (Slack users,
API keys, signed customer sessions) to a ``Principal``."""

from __future__ import annotations

from tools.policy import Principal

# An onboarding specialist of the demo world (a Salesforce User and Zendesk agent there).
DEMO_STAFF = Principal(kind="staff", id="jordan.ellis@demo-bank.example", role="operations")
DEMO_CUSTOMER_USER = "portal-user"

PRINCIPAL_SYNTAX = "staff:<role>[:<email>] or customer:<account id>"


def parse_principal(spec: str) -> Principal:
    """``staff:<role>[:<email>]`` (the demo identity unless an email is given) or
    ``customer:<account id>``; ``ValueError`` naming the syntax otherwise."""
    kind, _, rest = spec.strip().partition(":")
    first, _, second = rest.partition(":")
    if kind == "staff" and first:
        return Principal(kind="staff", role=first, id=second or DEMO_STAFF.id)
    if kind == "customer" and first and not second:
        return Principal(kind="customer", id=DEMO_CUSTOMER_USER, account_id=first)
    raise ValueError(f"bad principal {spec!r}: expected {PRINCIPAL_SYNTAX}")
