"""What every emulator shares: the store, the frozen clock, options, faults and call counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sandbox.faults import FaultSpec
from sandbox.store import Store


@dataclass(frozen=True)
class Credentials:
    """The demo credentials each emulator accepts (Baton's embedded mode uses these)."""

    salesforce_client_id: str = "baton-demo"
    salesforce_client_secret: str = "baton-demo-secret"
    # Username allowed as ``sub`` of a JWT bearer assertion; the signature is not verified.
    salesforce_username: str = "baton@demo-bank.example"
    zendesk_email: str = "baton@demo-bank.example"
    zendesk_api_token: str = "baton-demo-token"
    kyc_workflow_token: str = "baton-demo-workflow"
    kyc_workflow_secret: str = "baton-demo-secret"
    pos_api_key: str = "sk_test_baton_demo"


@dataclass
class SandboxOptions:
    credentials: Credentials = field(default_factory=Credentials)
    salesforce_batch_size: int = 2000
    salesforce_daily_limit: int = 100_000
    zendesk_rate_per_minute: int = 700
    hang_s: float = 300.0
    faults: dict[str, FaultSpec] = field(default_factory=dict)


@dataclass
class SandboxContext:
    store: Store
    now: datetime
    options: SandboxOptions = field(default_factory=SandboxOptions)
    # Requests served per system (``salesforce``, ``zendesk``, ...), for tests and benchmarks.
    stats: dict[str, int] = field(default_factory=dict)

    def now_iso(self) -> str:
        """The frozen "now" in the ISO-8601 form most systems use (UTC, ``Z``)."""
        return self.now.strftime("%Y-%m-%dT%H:%M:%SZ")
