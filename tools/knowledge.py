"""``search_knowledge``: the agent's tool over the product-docs knowledge base.

The audience filter comes from the principal in the run's config (``configurable.principal``),
never from a model-chosen argument: the model cannot ask to see internal docs. Staff see
internal docs; customers — and a run with no valid principal — see customer docs only.
"""

from __future__ import annotations

from typing import Any

from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field

from knowledge.documents import Audience
from knowledge.search import KnowledgeSearch, SearchResult
from tools.policy import principal_from

DESCRIPTION = (
    "Search the bank's product documentation (POS terminals, merchant boarding, KYC/KYB "
    "documents, ACH, positive pay, remote deposit, wires, online banking, account opening, "
    "support processes). Use it for troubleshooting and how-to questions, and always for error "
    "or return codes such as E-104, R03 or PP-03 — pass the code exactly as the user wrote it. "
    "Answer with the steps found and cite each passage as [doc_id § section]. If it finds "
    "nothing relevant, say so; do not answer from memory."
)


class SearchKnowledgeInput(BaseModel):
    query: str = Field(description="The question or error code, in the user's words.")
    product: str | None = Field(
        None,
        description=(
            "Optional: limit to one product — pos, merchant-services, kyc, ach, positive-pay, "
            "remote-deposit, wires, online-banking, accounts, support."
        ),
    )


def make_search_knowledge(search: KnowledgeSearch, limit: int = 4) -> BaseTool:
    """The tool bound to one knowledge base; returns text for the model and the hits as artifact."""

    def search_knowledge(
        query: str, config: RunnableConfig, product: str | None = None
    ) -> tuple[str, dict[str, Any]]:
        result = search.search(query, principal_audience(config), product=product, limit=limit)
        return format_result(result), result.model_dump()

    return StructuredTool.from_function(
        func=search_knowledge,
        name="search_knowledge",
        description=DESCRIPTION,
        args_schema=SearchKnowledgeInput,
        response_format="content_and_artifact",
    )


def principal_audience(config: RunnableConfig | None) -> Audience:
    """``internal`` only for a staff principal; no or a malformed principal fails closed.

    The principal is parsed by ``tools.policy`` like every other tool does (channels pass it as
    a model or as its ``model_dump()``).
    """
    principal = principal_from(config)
    return principal.audience if principal is not None else "customer"


def format_result(result: SearchResult) -> str:
    if not result.hits:
        return f"Nothing relevant found in the knowledge base: {result.reason}."
    passages = [f"[{hit.citation}] (from “{hit.title}”)\n{hit.text}" for hit in result.hits]
    return "Passages, best first — cite as [doc_id § section]:\n\n" + "\n\n".join(passages)
