"""Parsing of the ``Authorization`` header schemes the vendor emulators accept.

Only parsing lives here; which credentials are valid and how a refusal is worded belongs to
each emulator.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from dataclasses import dataclass


@dataclass(frozen=True)
class BasicCredentials:
    username: str
    password: str


def basic_credentials(header: str | None) -> BasicCredentials | None:
    """``Basic base64(user:password)`` → its parts; ``None`` when absent or malformed."""
    encoded = _scheme_value(header, "basic")
    if encoded is None:
        return None
    try:
        decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    return BasicCredentials(username, password) if sep else None


def bearer_token(header: str | None) -> str | None:
    """``Bearer TOKEN`` → ``TOKEN``; ``None`` when absent or another scheme."""
    return _scheme_value(header, "bearer") or None


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison, so the sandbox does not teach timing-leaky habits."""
    return hmac.compare_digest(given.encode(), expected.encode())


def _scheme_value(header: str | None, scheme: str) -> str | None:
    if not header:
        return None
    name, _, value = header.strip().partition(" ")
    # Auth schemes are case-insensitive (RFC 9110 §11.1).
    return value.strip() if name.lower() == scheme else None
