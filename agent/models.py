"""The chat model factory: ``BATON_MODEL`` → a LangChain chat model.

- ``local`` (default): the built-in planner, deterministic, no network or key.
- ``openai:<model>``: OpenAI or any OpenAI-compatible server (vLLM, Ollama, LiteLLM…) at
  ``BATON_AGENT__BASE_URL``.
- ``azure:<deployment>``: Azure OpenAI, endpoint ``BATON_AGENT__BASE_URL``.

Compatible servers speak Chat Completions, not the Responses API, hence
``use_responses_api=False``; ``stream_usage=True`` makes token counts arrive when streaming too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from langchain_core.language_models import BaseChatModel

from config import AgentSettings


class ModelConfigurationError(ValueError):
    """The configured model cannot be built (missing key or endpoint)."""


@asynccontextmanager
async def open_chat_model(settings: AgentSettings) -> AsyncIterator[BaseChatModel]:
    """The configured chat model, with its HTTP connections closed on exit."""
    provider, _, name = settings.model.partition(":")
    if provider == "local":
        from agent.planner import LocalPlanner  # no langchain-openai import for the default

        yield LocalPlanner()
        return
    from openai import DefaultAsyncHttpxClient

    # A client of our own: langchain-openai otherwise shares one process-wide client, bound to
    # the first event loop that used it, which breaks every later loop (tests, embedding apps).
    async with DefaultAsyncHttpxClient() as http_client:
        yield _openai_model(settings, provider, name, http_client)


def _openai_model(
    settings: AgentSettings, provider: str, name: str, http_client: Any
) -> BaseChatModel:
    from langchain_openai import AzureChatOpenAI, ChatOpenAI
    from openai import OpenAIError

    common: dict[str, Any] = {
        "api_key": settings.api_key,
        "timeout": settings.timeout_s,
        "max_retries": settings.max_retries,
        "use_responses_api": False,
        "stream_usage": True,
        "http_async_client": http_client,
    }
    try:
        if provider == "azure":
            if not settings.base_url:
                raise ModelConfigurationError(
                    "azure models need the endpoint: set BATON_AGENT__BASE_URL"
                )
            return AzureChatOpenAI(
                azure_deployment=name,
                azure_endpoint=settings.base_url,
                api_version=settings.api_version,
                **common,
            )
        return ChatOpenAI(model=name, base_url=settings.base_url, **common)
    except OpenAIError as exc:  # raised at construction when no key is configured anywhere
        raise ModelConfigurationError(
            f"cannot use model {settings.model!r}: {exc} (set BATON_AGENT__API_KEY)"
        ) from exc
