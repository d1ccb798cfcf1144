"""Every Baton setting, in one place.

Settings come from environment variables (prefix ``BATON_``, nested fields joined with ``__``,
e.g. ``BATON_SALESFORCE__URL``) or from a ``.env`` file in the working directory. Every setting
is documented in the README's "Configuration" table; keep the two in step.

With no back-office URL configured, Baton starts the sandbox back office with the demo world
in-process (the "embedded" mode) so that every command works on a fresh machine.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent
DEMO_WORLD = PROJECT_ROOT / "sandbox" / "worlds" / "demo"


class TransportSettings(BaseModel):
    """How Baton's HTTP transport treats one back-office system."""

    timeout_s: float = Field(5.0, gt=0, description="Total time budget for one client call.")
    connect_timeout_s: float = Field(2.0, gt=0)
    retries: int = Field(2, ge=0, le=10, description="Extra attempts for idempotent calls.")
    backoff_base_s: float = Field(0.2, ge=0, description="First retry delay; doubles per try.")
    backoff_max_s: float = Field(2.0, ge=0)
    max_retry_after_s: float = Field(
        10.0, ge=0, description="Longest Retry-After Baton waits for; longer → RateLimited."
    )
    breaker_failures: int = Field(
        5, ge=1, description="Consecutive failures that open the circuit breaker."
    )
    breaker_reset_s: float = Field(30.0, gt=0, description="Time the breaker stays open.")


# A Salesforce field name, as it may appear in SOQL (these are pasted into queries, not quoted).
SalesforceFieldName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=80)]


class SalesforceFields(BaseModel):
    """Where the org keeps what Baton reads: custom field API names differ from bank to bank."""

    product: SalesforceFieldName = "Product__c"  # on Account and Opportunity
    onboarding_stage: SalesforceFieldName = "Onboarding_Stage__c"
    dba_name: SalesforceFieldName = "DBA_Name__c"
    segment: SalesforceFieldName = "Segment__c"
    core_account_number: SalesforceFieldName = "Core_Account_Number__c"
    account_opened_date: SalesforceFieldName = "Account_Opened_Date__c"
    first_transaction_date: SalesforceFieldName = "First_Transaction_Date__c"
    task_step: SalesforceFieldName = "Onboarding_Step__c"
    task_key: SalesforceFieldName = Field(
        "Baton_Key__c", description="External-id field on Task that makes Baton's creates upserts."
    )


# Credentials default to None: in embedded mode they come from the sandbox's demo credentials,
# against a real system they must be configured.
class SalesforceSettings(BaseModel):
    url: str | None = Field(None, description="Instance/login URL; unset → embedded sandbox.")
    client_id: str | None = None
    client_secret: SecretStr | None = None
    api_version: str = "62.0"
    fields: SalesforceFields = SalesforceFields()
    transport: TransportSettings = TransportSettings()


class ZendeskSettings(BaseModel):
    url: str | None = None
    email: str | None = None
    api_token: SecretStr | None = None
    transport: TransportSettings = TransportSettings()


class KycSettings(BaseModel):
    url: str | None = None
    workflow_token: str | None = None
    workflow_secret: SecretStr | None = None
    transport: TransportSettings = TransportSettings()


class PosSettings(BaseModel):
    url: str | None = None
    api_key: SecretStr | None = None
    transport: TransportSettings = TransportSettings()


class SandboxSettings(BaseModel):
    world: Path = Field(DEMO_WORLD, description="World directory the embedded sandbox loads.")
    db: Path | None = Field(
        None, description="SQLite file for sandbox state; unset → a fresh temporary file."
    )


class KnowledgeSettings(BaseModel):
    """Where the knowledge base lives and how retrieval decides what is relevant."""

    chroma_path: Path = Field(
        PROJECT_ROOT / "var" / "chroma", description="Embedded Chroma directory (PersistentClient)."
    )
    chroma_host: str | None = Field(
        None, description="Chroma server host; set → HttpClient instead of the embedded store."
    )
    chroma_port: int = Field(8000, ge=1, le=65535)
    collection: str = Field("baton_knowledge", min_length=3, max_length=512)
    model_path: Path | None = Field(
        None, description="sentence-transformers model dir; unset → bundled all-MiniLM-L6-v2."
    )
    score_threshold: float = Field(
        0.30,
        ge=0,
        le=1,
        description="Lowest cosine similarity of the best dense match for an answer to count.",
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="BATON_",
        env_nested_delimiter="__",
        env_file=".env",
        extra="ignore",
    )

    log_level: str = "INFO"
    salesforce: SalesforceSettings = SalesforceSettings()
    zendesk: ZendeskSettings = ZendeskSettings()
    kyc: KycSettings = KycSettings()
    pos: PosSettings = PosSettings()
    sandbox: SandboxSettings = SandboxSettings()
    knowledge: KnowledgeSettings = KnowledgeSettings()

    @property
    def embedded(self) -> bool:
        """True when no back-office system is configured: Baton runs the demo sandbox itself."""
        return not any(s.url for s in (self.salesforce, self.zendesk, self.kyc, self.pos))


@lru_cache
def get_settings() -> Settings:
    return Settings()
