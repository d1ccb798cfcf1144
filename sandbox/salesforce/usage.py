"""The org's daily API request allowance, reported in ``Sforce-Limit-Info``."""

from __future__ import annotations

from sandbox.context import SandboxOptions
from sandbox.salesforce.errors import limit_exceeded

LIMIT_HEADER = "Sforce-Limit-Info"


class ApiUsage:
    def __init__(self, options: SandboxOptions) -> None:
        # The options object, not its value: a test may lower the limit on a running sandbox.
        self._options = options
        self.used = 0

    @property
    def limit(self) -> int:
        return self._options.salesforce_daily_limit

    def spend(self) -> None:
        """Count one API request, or refuse it with 403 once the allowance is spent."""
        if self.used >= self.limit:
            raise limit_exceeded()
        self.used += 1

    def header(self) -> str:
        return f"api-usage={self.used}/{self.limit}"
