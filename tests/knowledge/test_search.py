"""Retrieval over the bundled corpus (ingested once per session with the real model)."""

from __future__ import annotations

import pytest

from knowledge.evaluation import load_cases
from knowledge.search import CANDIDATES, MAX_QUERY_CHARS, MODES, KnowledgeSearch, Mode
from tests.knowledge.conftest import DEV_SET


def test_error_code_finds_its_own_section(bundled_kb: KnowledgeSearch) -> None:
    result = bundled_kb.search("terminal shows E-104 during activation", "customer")
    top = result.hits[0]
    assert (top.doc_id, top.section) == (
        "pos-activation-errors",
        "E-104 Terminal not assigned to this location",
    )
    assert "Reassign" in top.text


@pytest.mark.parametrize(
    ("query", "doc_id", "section_start"),
    [
        ("E105", "pos-activation-errors", "E-105"),
        ("ACH return R03", "ach-return-codes", "R03"),
        ("pp-03", "positive-pay-rejections", "PP-03"),
        ("OB-103", "online-banking-login-issues", "OB-103"),
    ],
)
def test_codes_match_exactly_however_written(
    bundled_kb: KnowledgeSearch, query: str, doc_id: str, section_start: str
) -> None:
    top = bundled_kb.search(query, "customer").hits[0]
    assert top.doc_id == doc_id
    assert top.section.startswith(section_start)


def test_product_filter(bundled_kb: KnowledgeSearch) -> None:
    result = bundled_kb.search("how do I restart it", "internal", product="pos", limit=10)
    assert result.hits
    assert {hit.product for hit in result.hits} == {"pos"}


@pytest.mark.parametrize("mode", MODES)
def test_customer_never_sees_internal_docs_for_any_dev_query(
    bundled_kb: KnowledgeSearch, mode: Mode
) -> None:
    cases = load_cases(DEV_SET)
    assert len(cases) >= 60
    seen = 0
    for case in cases:
        result = bundled_kb.search(case.query, "customer", limit=CANDIDATES, mode=mode)
        assert all(hit.audience == "customer" for hit in result.hits), case.id
        seen += len(result.hits)
    assert seen > len(cases)  # the check saw real results, not only refusals


def test_internal_doc_is_found_for_staff_but_not_for_customers(bundled_kb: KnowledgeSearch) -> None:
    query = "who do we notify internally after a tampered terminal"
    staff = bundled_kb.search(query, "internal")
    assert "pos-tamper-handling" in {hit.doc_id for hit in staff.hits}
    customer = bundled_kb.search(query, "customer", limit=CANDIDATES)
    assert customer.hits
    assert "pos-tamper-handling" not in {hit.doc_id for hit in customer.hits}


def test_code_only_in_internal_docs_is_unknown_to_customers(bundled_kb: KnowledgeSearch) -> None:
    assert bundled_kb.search("BRD-102", "internal").hits[0].doc_id == "merchant-boarding-statuses"
    result = bundled_kb.search("BRD-102", "customer")
    assert result.hits == []
    assert result.reason == "no document mentions BRD-102"


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("", "the query is empty"),
        ("   \n ", "the query is empty"),
        ("x" * (MAX_QUERY_CHARS + 1), "the query is too long"),
        ("the and of it what is", "the query has no searchable words"),
        ("terminal shows E-999 during activation", "no document mentions E-999"),
        ("pizza recipe with pineapple", "no passage is close enough (best similarity"),
        ("who won the football game last night", "no passage is close enough (best similarity"),
    ],
)
def test_bad_queries_find_nothing_with_a_reason(
    bundled_kb: KnowledgeSearch, query: str, reason: str
) -> None:
    result = bundled_kb.search(query, "internal")
    assert result.hits == []
    assert result.reason is not None and result.reason.startswith(reason)


def test_typos_are_corrected(bundled_kb: KnowledgeSearch) -> None:
    assert bundled_kb.search("benificial ownershp certfication", "customer").hits[0].doc_id == (
        "kyb-beneficial-ownership"
    )
