"""The model factory and its settings: BATON_MODEL → local planner, OpenAI, Azure OpenAI."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from agent.models import ModelConfigurationError, open_chat_model
from config import AgentSettings, Settings


@pytest.fixture(autouse=True)
def no_ambient_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "BATON_MODEL", "BATON_AGENT__MODEL"):
        monkeypatch.delenv(name, raising=False)


def test_baton_model_selects_the_model_and_wins_over_the_nested_name(monkeypatch):
    assert Settings(_env_file=None).agent.model == "local"
    monkeypatch.setenv("BATON_AGENT__MODEL", "azure:prod-gpt")
    assert Settings(_env_file=None).agent.model == "azure:prod-gpt"
    monkeypatch.setenv("BATON_MODEL", "openai:gpt-4.1-mini")
    assert Settings(_env_file=None).agent.model == "openai:gpt-4.1-mini"


@pytest.mark.parametrize("name", ["gpt-4o", "openai:", "anthropic:claude", "local:x"])
def test_an_unknown_model_name_is_refused(monkeypatch, name: str):
    monkeypatch.setenv("BATON_MODEL", name)
    with pytest.raises(ValidationError, match="BATON_MODEL"):
        Settings(_env_file=None)


async def test_openai_compatible_models_use_chat_completions_with_usage():
    settings = AgentSettings(
        model="openai:qwen2.5-7b",
        base_url="http://127.0.0.1:8000/v1",
        api_key=SecretStr("sk-local"),
        timeout_s=12,
        max_retries=1,
    )
    async with open_chat_model(settings) as model:
        assert model.model_name == "qwen2.5-7b"
        assert model.openai_api_base == "http://127.0.0.1:8000/v1"
        assert (model.request_timeout, model.max_retries) == (12, 1)
        assert model.use_responses_api is False and model.stream_usage is True
        assert model.http_async_client is not None  # its own, closed with the runtime


async def test_azure_models_need_an_endpoint():
    with pytest.raises(ModelConfigurationError, match="BATON_AGENT__BASE_URL"):
        async with open_chat_model(AgentSettings(model="azure:prod", api_key=SecretStr("k"))):
            pass
    settings = AgentSettings(
        model="azure:prod", base_url="https://bank.openai.azure.com", api_key=SecretStr("k")
    )
    async with open_chat_model(settings) as model:
        assert model.deployment_name == "prod"
        assert model.azure_endpoint == "https://bank.openai.azure.com"
        assert model.openai_api_version == settings.api_version


async def test_a_missing_key_is_a_configuration_error():
    with pytest.raises(ModelConfigurationError, match="BATON_AGENT__API_KEY"):
        async with open_chat_model(AgentSettings(model="openai:gpt-4o-mini")):
            pass


async def test_local_is_the_planner():
    planner = pytest.importorskip("agent.planner")
    async with open_chat_model(AgentSettings()) as model:
        assert isinstance(model, planner.LocalPlanner)
