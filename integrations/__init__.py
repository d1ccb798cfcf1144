"""Clients of the back-office systems over one shared HTTP transport (``docs/integrations.md``)."""

from integrations.backoffice import BackOffice
from integrations.errors import (
    AuthError,
    BadResponse,
    CircuitOpen,
    IntegrationError,
    InvalidRequest,
    NotConfigured,
    NotFound,
    RateLimited,
    Timeout,
    Unavailable,
)

__all__ = [
    "AuthError",
    "BackOffice",
    "BadResponse",
    "CircuitOpen",
    "IntegrationError",
    "InvalidRequest",
    "NotConfigured",
    "NotFound",
    "RateLimited",
    "Timeout",
    "Unavailable",
]
