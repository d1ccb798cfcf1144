"""Reading case files: the shapes of docs/eval-format.md and clear errors for everything else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.principals import DEMO_STAFF
from eval.cases import CaseFileError, load_cases, parse_cases


def lines(*cases: dict) -> list[str]:
    return [json.dumps(case) for case in cases]


def test_a_multi_turn_case_with_a_customer_principal():
    (case,) = parse_cases(
        lines(
            {
                "id": "followup-1",
                "category": "follow_up",
                "principal": {"kind": "customer", "id": "u1", "account_id": "001A"},
                "turns": [
                    {"user": "where is Acme?", "communicate_info": ["KYC"]},
                    {
                        "user": "and what's blocking them?",
                        "expected_tools": [{"name": "explain_blocker"}],
                        "forbidden_info": ["internal"],
                    },
                ],
            }
        ),
        "cases.jsonl",
    )
    assert case.principal.kind == "customer" and case.principal.account_id == "001A"
    assert [t.user for t in case.turns] == ["where is Acme?", "and what's blocking them?"]
    assert case.turns[1].expected_tools[0].args == {}


def test_a_single_turn_shorthand_and_the_defaults():
    (case,) = parse_cases(
        lines({"id": "s1", "user": "help", "communicate_info": ["status"]}), "cases.jsonl"
    )
    assert case.category == "general" and case.principal == DEMO_STAFF
    assert len(case.turns) == 1 and case.turns[0].communicate_info == ["status"]


def test_blank_lines_are_skipped(tmp_path: Path):
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(["", *lines({"id": "a", "user": "q"}), "  ", ""]))
    assert [c.id for c in load_cases(path)] == ["a"]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ({"id": "a", "user": "q", "comunicate_info": ["x"]}, "comunicate_info: Extra inputs"),
        ({"id": "a", "turns": []}, "turns: List should have at least 1 item"),
        ({"id": "a", "user": "q", "principal": {"kind": "customer", "id": "u"}}, "account_id"),
        ({"user": "q"}, "id: Field required"),
    ],
)
def test_bad_cases_name_the_line_and_the_problem(case: dict, message: str):
    with pytest.raises(CaseFileError, match=r"cases\.jsonl:2: .*" + message):
        parse_cases(["", json.dumps(case)], "cases.jsonl")


def test_not_json_and_duplicates_and_empty_files_are_errors(tmp_path: Path):
    with pytest.raises(CaseFileError, match=r"f:1: .*Invalid JSON"):
        parse_cases(["{not json"], "f")
    with pytest.raises(CaseFileError, match="f:2: duplicate case id 'a' \\(first on line 1\\)"):
        parse_cases(lines({"id": "a", "user": "q"}, {"id": "a", "user": "r"}), "f")
    with pytest.raises(CaseFileError, match="f: no cases"):
        parse_cases(["", " "], "f")
    with pytest.raises(CaseFileError, match="cannot read"):
        load_cases(tmp_path / "missing.jsonl")


def test_the_documented_examples_load():
    doc = (Path(__file__).parents[2] / "docs" / "eval-format.md").read_text()
    section = doc.split("## Agent cases")[1].split("\n## ")[0]
    examples = [line for line in section.splitlines() if line.startswith('{"id"')]
    cases = parse_cases(examples, "docs/eval-format.md")
    assert [len(c.turns) for c in cases] == [1, 2, 1]
