"""Every demo journey, as a customer sees it through the tools: nothing confidential.

Each journey of ``scenarios.yaml`` is read through every customer-facing tool with a customer
principal bound to it; the serialized view, the tools' text and their artifacts must hold
none of the material in ``tests.security.forbidden`` (screening terms, review queues and
reasons, staff emails, private comment bodies, internal links, other customers).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from langchain_core.tools import BaseTool

from journeys.facts import Source
from journeys.service import JourneyService
from journeys.view import (
    Blocker,
    Diagnostics,
    Discrepancy,
    Event,
    JourneyView,
    Owner,
    StepProgress,
)
from tests.journeys.conftest import BY_NAME, MANIFEST
from tests.security.forbidden import forbidden
from tools.customer_view import RULES_PATH, CustomerViewRules, customer_view, load_rules
from tools.journeys import make_journey_tools

SUNRISE = BY_NAME["Sunrise Auto Repair Inc"]["account_id"]  # OFAC manual review
SCREENED = [j for j in MANIFEST if "screening_hit" in j["blockers"]]


def customer(account_id: str) -> dict:
    principal = {"kind": "customer", "id": "portal-user-1", "account_id": account_id}
    return {"configurable": {"principal": principal}}


@pytest.fixture
def tools(service: JourneyService) -> dict[str, BaseTool]:
    return {t.name: t for t in make_journey_tools(service)}


async def read_all(tools: dict[str, BaseTool], account_id: str) -> list[str]:
    """The text and the artifact of every customer tool, as the model would receive them."""
    calls = {
        "get_journey": {},
        "explain_blocker": {},
        "journey_timeline": {"limit": 100},
    }
    seen: list[str] = []
    for name, args in calls.items():
        call = {
            "name": name,
            "args": {"customer": account_id, **args},
            "id": name,
            "type": "tool_call",
        }
        message = await tools[name].ainvoke(call, customer(account_id))
        assert message.status == "success", message.text
        seen += [message.text, json.dumps(message.artifact)]
    return seen


@pytest.mark.parametrize("journey", MANIFEST, ids=[j["name"] for j in MANIFEST])
async def test_no_journey_shows_a_customer_anything_confidential(tools, journey):
    account_id = journey["account_id"]
    for text in await read_all(tools, account_id):
        assert forbidden().leaks(text, account_id) == []


async def test_the_screening_journeys_are_there_to_be_checked(service: JourneyService):
    # The test above means something only if the staff view holds what it must not show.
    assert len(SCREENED) >= 3
    for journey in SCREENED:
        staff = (await service.view(journey["account_id"])).model_dump_json()
        assert forbidden().leaks(staff, journey["account_id"])


async def test_a_screening_hit_reads_as_a_standard_compliance_review(tools):
    message = await tools["explain_blocker"].ainvoke(
        {"name": "explain_blocker", "args": {"customer": SUNRISE}, "id": "1", "type": "tool_call"},
        customer(SUNRISE),
    )
    (blocker,) = message.artifact["blockers"]
    assert blocker["detail"] == "Your application is under standard compliance review"
    assert blocker["type"] == "approval_delay" and blocker["evidence"] is None
    assert blocker["who"] == {
        "role": "Compliance team",
        "team": "Compliance",
        "person": None,
        "email": None,
    }
    assert message.artifact["account"] == {"id": SUNRISE, "name": "Sunrise Auto Repair Inc"}


async def test_customers_keep_what_is_theirs_to_act_on(tools):
    acme = BY_NAME["Acme Bakery LLC"]["account_id"]  # KYC waits on three documents
    text = await tools["explain_blocker"].ainvoke({"customer": acme}, customer(acme))
    assert "Please send us the IRS EIN confirmation letter" in text
    assert "Denise McAllister (Client)" in text  # the customer's own contact, by name


AT = datetime(2026, 11, 30, tzinfo=UTC)
TICKET = Source(system="zendesk", record_type="ticket", record_id="7", link="https://zd/7", at=AT)
TASK = Source(system="salesforce", record_type="Task", record_id="00T1", link="https://sf/00T1")
NOTE = Source(system="zendesk", record_type="comment", record_id="9", link="https://zd/7")
ANALYST = Owner(role="KYC & BSA analyst", team="KYC & BSA", person="Tom Okafor", email="t@bank")


def test_the_view_is_rebuilt_from_the_allowlist():
    view = JourneyView(
        account={"id": "001A", "name": "A", "owner": "Dana", "owner_email": "d@bank", "link": "x"},
        as_of=AT,
        status="blocked",
        status_reason="KYC / KYB verification: screening hit",
        current_step="kyc",
        steps=[StepProgress(id="kyc", title="KYC / KYB verification", state="active")],
        blockers=[
            Blocker(
                type="sla_breach", step="kyc", detail="15 days; SLA 10", who=ANALYST, evidence=TASK
            ),
            Blocker(
                type="waiting_on_client",
                step="kyc",
                detail="Ticket #7 is waiting on the client",
                customer_detail="Ticket #7 is waiting for your reply",
                who=Owner(role="Client", team="Client", person="Pat", email="pat@a.example"),
                evidence=TICKET,
            ),
        ],
        history=[
            Event(
                at=AT,
                what="Internal note on ticket #7",
                public=False,
                excerpt="secret",
                source=NOTE,
            ),
            Event(at=AT, what="CRM task 'Compliance review' created", source=TASK),
            Event(at=AT, what="Ticket #7 opened", source=TICKET),
        ],
        sources=[TICKET, TASK, NOTE],
        discrepancies=[Discrepancy(kind="crm_stage", detail="stale", sources=[TASK])],
        diagnostics=Diagnostics(unlinked_records=2, notes=["ticket 8 has no organization"]),
        unavailable=[{"system": "kyc", "reason": "ConnectError http://10.0.0.7:443"}],
        partial=True,
    )
    seen = customer_view(view)
    assert seen.account.model_dump(exclude_none=True) == {
        "id": "001A",
        "name": "A",
        "owner": "Dana",
    }
    assert (
        seen.status_reason == "KYC / KYB verification is waiting on something (see the blockers)."
    )
    breach, waiting = seen.blockers
    assert breach.detail.startswith("This step is taking longer") and breach.evidence is None
    assert breach.who == Owner(role="KYC & BSA analyst", team="KYC & BSA")  # team, no person
    assert waiting.detail == "Ticket #7 is waiting for your reply"
    assert waiting.who == Owner(role="Client", team="Client", person="Pat")
    assert waiting.evidence == Source(system="zendesk", record_type="ticket", record_id="7")
    assert [e.what for e in seen.history] == ["Ticket #7 opened"]
    assert seen.sources == [waiting.evidence] and seen.last_activity_at == AT
    assert seen.discrepancies == [] and seen.diagnostics == Diagnostics()
    assert [u.reason for u in seen.unavailable] == ["temporarily unavailable"] and seen.partial


def test_the_rules_file_words_every_blocker_type_and_status(tmp_path):
    assert isinstance(load_rules(RULES_PATH), CustomerViewRules)
    text = RULES_PATH.read_text(encoding="utf-8").replace("  live: Onboarding is complete.\n", "")
    incomplete = tmp_path / "rules.yaml"
    incomplete.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="status_reasons: no customer wording for live"):
        load_rules(incomplete)
