"""Every Baton setting, in one place.

Settings come from environment variables (prefix ``BATON_``, nested fields joined with ``__``,
e.g. ``BATON_SALESFORCE__URL``) or from a ``.env`` file in the working directory. Every setting
is documented in the README's "Configuration" table; keep the two in step.

With no back-office URL configured, Baton starts the sandbox back office with the demo world
in-process (the "embedded" mode) so that every command works on a fresh machine.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)
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


class JourneySettings(BaseModel):
    """How journeys are judged."""

    now: datetime | None = Field(
        None,
        description="ISO timestamp journeys are judged at (a back office whose records are "
        "frozen in time); unset → the wall clock, or the world's frozen now in embedded mode.",
    )

    @field_validator("now")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        # A timestamp without a zone is read as UTC, as every back-office time is.
        return value.replace(tzinfo=UTC) if value and value.tzinfo is None else value


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


# ``local``, ``openai:<model>`` or ``azure:<deployment>`` (``agent.models`` builds the chat model).
ModelName = Annotated[str, Field(pattern=r"^(local|(openai|azure):\S+)$")]


class AgentSettings(BaseModel):
    """The agent: which chat model answers, how it is reached, where conversations are kept."""

    model: ModelName = Field(
        "local", description="local (built-in planner, no key), openai:<model>, azure:<deployment>."
    )
    base_url: str | None = Field(
        None, description="OpenAI-compatible base URL (vLLM, Ollama, …) or the Azure endpoint."
    )
    api_key: SecretStr | None = Field(
        None, description="Model API key; unset → OPENAI_API_KEY / AZURE_OPENAI_API_KEY."
    )
    api_version: str = Field("2024-10-21", description="Azure OpenAI API version.")
    timeout_s: float = Field(60.0, gt=0, description="Time budget for one model call.")
    max_retries: int = Field(2, ge=0, le=10, description="Retries of a failed model call.")
    recursion_limit: int = Field(
        12, ge=4, le=100, description="Graph steps per question (a tool round is two steps)."
    )
    max_message_chars: int = Field(
        4000, ge=100, description="Longer questions are refused with a clear answer."
    )
    knowledge: bool = Field(
        True, description="Offer the search_knowledge tool (needs `baton ingest` to have run)."
    )
    checkpoint_path: Path = Field(
        PROJECT_ROOT / "var" / "checkpoints.sqlite",
        description="SQLite file of conversation checkpoints (used unless postgres_url is set).",
    )
    postgres_url: SecretStr | None = Field(
        None, description="postgresql://… → conversations are checkpointed in Postgres."
    )


# --- channels: the HTTP API and Slack (docs/http-api.md, docs/slack.md, docs/security.md) ----


class ApiKey(BaseModel):
    """One API key and whom it speaks for.

    ``staff`` keys act as a staff principal with ``role``. ``chatbot`` keys belong to a customer
    integration (the bank's portal bot): every request must also carry a customer token signed
    with ``customer_token_secret`` naming the one account it may ask about.
    """

    name: str = Field(pattern=r"^[A-Za-z0-9_.@-]{1,64}$", description="Shown in logs.")
    key: SecretStr = Field(min_length=16)
    kind: Literal["staff", "chatbot"]
    role: str | None = Field(None, description="Staff role, e.g. relationship_manager.")
    customer_token_secret: SecretStr | None = Field(None, min_length=32)

    @model_validator(mode="after")
    def _complete(self) -> ApiKey:
        if self.kind == "staff" and not self.role:
            raise ValueError(f"API key {self.name!r}: a staff key needs a role")
        if self.kind == "chatbot" and self.customer_token_secret is None:
            raise ValueError(f"API key {self.name!r}: a chatbot key needs customer_token_secret")
        return self


class ApiSettings(BaseModel):
    keys: list[ApiKey] = Field(
        default_factory=list, description="JSON list; in embedded mode demo keys are added."
    )
    max_body_bytes: int = Field(32_768, ge=1_024, description="Larger request bodies → 413.")
    rate_per_minute: float = Field(120, gt=0, description="Sustained requests per principal.")
    rate_burst: int = Field(20, ge=1, description="Requests a principal may make at once.")
    customer_token_max_ttl_s: int = Field(
        3_600, ge=60, description="Longest lifetime (exp - iat) a customer token may have."
    )


class SlackSettings(BaseModel):
    bot_token: SecretStr | None = Field(None, description="xoxb-…; unset → Slack is off.")
    signing_secret: SecretStr | None = None
    app_token: SecretStr | None = Field(None, description="xapp-… for Socket Mode.")
    api_url: str = Field("https://slack.com/api/", description="Slack Web API base URL.")
    users_file: Path | None = Field(
        None, description="YAML: Slack user id → {email, role}; wins over the users.info email."
    )
    digest_channels: dict[str, str] = Field(
        default_factory=dict, description="Team name → channel id for `baton digest --post`."
    )
    feedback_file: Path = Field(
        PROJECT_ROOT / "var" / "feedback.jsonl", description="Where answer votes are appended."
    )

    @property
    def enabled(self) -> bool:
        return self.bot_token is not None and self.signing_secret is not None


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
    journeys: JourneySettings = JourneySettings()
    knowledge: KnowledgeSettings = KnowledgeSettings()
    api: ApiSettings = ApiSettings()
    slack: SlackSettings = SlackSettings()
    agent: AgentSettings = AgentSettings()
    # The model is chosen with the short BATON_MODEL (BATON_AGENT__MODEL works too);
    # pydantic-settings does not read aliases of nested fields from the environment, so it is a
    # top-level field that ``_apply_model`` moves into ``agent.model``.
    baton_model: ModelName | None = Field(
        None, validation_alias=AliasChoices("BATON_MODEL", "model"), exclude=True
    )

    @model_validator(mode="after")
    def _apply_model(self) -> Settings:
        if self.baton_model:
            self.agent = self.agent.model_copy(update={"model": self.baton_model})
        return self

    @property
    def embedded(self) -> bool:
        """True when no back-office system is configured: Baton runs the demo sandbox itself."""
        return not any(s.url for s in (self.salesforce, self.zendesk, self.kyc, self.pos))


@lru_cache
def get_settings() -> Settings:
    return Settings()
