"""Playbooks are data: the defaults load, edits take effect, mistakes fail precisely."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from journeys.engine import derive
from journeys.playbook import PLAYBOOK_DIR, PlaybookError, load_playbook, load_playbooks
from tests.journeys.builders import NOW, journey_at

MERCHANT_FILE = PLAYBOOK_DIR / "merchant_services.yaml"


def test_the_default_playbooks_load():
    playbooks = load_playbooks()
    assert {pb.id for pb in playbooks} == {"merchant_services", "treasury_management"}
    assert playbooks.for_product("merchant services").id == "merchant_services"
    assert playbooks.by_id("treasury_management").systems() == {"salesforce", "zendesk", "kyc"}


def _edited(tmp_path: Path, edit: Callable[[dict], object]) -> Path:
    data = yaml.safe_load(MERCHANT_FILE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "merchant_services.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _step(data: dict, step_id: str) -> dict:
    return next(s for s in data["steps"] if s["id"] == step_id)


def test_changing_an_sla_in_yaml_changes_the_view(tmp_path):
    facts = journey_at("credit", days_in=3)
    assert derive(load_playbook(MERCHANT_FILE), facts, NOW).status == "on_track"
    path = _edited(tmp_path, lambda d: _step(d, "credit").update(sla_days=2))
    assert derive(load_playbook(path), facts, NOW).status == "blocked"


def test_changing_an_owner_in_yaml_changes_who_holds_the_step(tmp_path):
    def edit(data: dict) -> None:
        data["actors"]["credit_officer"]["team"] = "Commercial Credit"
        data["actors"]["credit_officer"]["team_from_ticket_group"] = False

    view = derive(load_playbook(_edited(tmp_path, edit)), journey_at("credit"), NOW)
    assert view.next_step.owner.team == "Commercial Credit"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: _step(d, "credit")["blockers"][0]["when"]["where"].update(stauts="open"),
            "steps[2] (credit).blockers[0].when: 'stauts' is not a field of ticket facts",
        ),
        (
            lambda d: _step(d, "credit").update(owner="credit_committee"),
            "steps[2] (credit): unknown actor 'credit_committee'",
        ),
        (
            lambda d: _step(d, "kyc").update(depends_on=["credit"]),
            "steps[1] (kyc).depends_on: 'credit' is not an earlier step; earlier steps: intake",
        ),
        (
            lambda d: _step(d, "kyc")["complete_when"][0].update(fact="kyc_app"),
            "steps[1] (kyc).complete_when[0]: unknown fact kind 'kyc_app'",
        ),
        (
            lambda d: _step(d, "credit").update(sla_days=0),
            "steps[2] (credit).sla_days: Input should be greater than 0",
        ),
        (
            lambda d: _step(d, "activation")["blockers"][0].update(detail="{failure_cod}"),
            "names failure_cod, which the evidence does not have",
        ),
        (
            lambda d: _step(d, "credit")["blockers"][0]["when"]["where"].update(
                created_at={"matches": "x"}
            ),
            "field 'created_at' (date/time) does not take 'matches'",
        ),
        (
            lambda d: _step(d, "kyc")["blockers"][0]["when"]["where"]["review_reason"].update(
                matches="watch(list"
            ),
            "not a valid regular expression 'watch(list'",
        ),
        (
            lambda d: d["steps"].append(dict(_step(d, "credit"))),
            "steps[8] (credit): duplicate step id 'credit'",
        ),
        (
            lambda d: d["steps"][0].update(type="approval_delay"),
            "steps[0] (intake).type: Extra inputs are not permitted",
        ),
    ],
    ids=[
        "unknown field", "unknown actor", "forward dependency", "unknown fact kind", "bad sla",
        "template field", "operator for type", "bad regex", "duplicate step", "unknown key",
    ],
)  # fmt: skip
def test_a_mistake_fails_to_load_naming_file_place_and_problem(tmp_path, edit, message):
    with pytest.raises(PlaybookError) as info:
        load_playbook(_edited(tmp_path, edit))
    assert str(info.value).startswith("merchant_services.yaml: ")
    assert message in str(info.value)


def test_broken_yaml_names_the_file_and_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nsteps: [\n", encoding="utf-8")
    with pytest.raises(PlaybookError, match=r"(?s)broken.yaml: not valid YAML.*line 3"):
        load_playbook(path)


def test_two_playbooks_for_one_product_are_refused(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(MERCHANT_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(PlaybookError, match="two playbooks for 'merchant_services'"):
        load_playbooks(tmp_path)
