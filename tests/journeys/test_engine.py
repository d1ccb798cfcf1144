"""The engine on hand-built facts: every step, blocker, status and discrepancy rule."""

from __future__ import annotations

import pytest

from journeys.engine import NoPlaybook, choose_playbook, derive
from journeys.facts import FactSet, OpportunityFact, Unlinked, at_day
from journeys.playbook import load_playbooks
from journeys.view import JourneyView
from tests.journeys.builders import (
    ACCOUNT_ID,
    ANALYST,
    CLIENT,
    MERCHANT_STEPS,
    NOW,
    TREASURY_STEPS,
    account,
    ago,
    boarding,
    hardware_order,
    journey_at,
    journey_through,
    kyc,
    kyc_document,
    reader,
    source,
    task,
    ticket,
    with_facts,
)

PLAYBOOKS = load_playbooks()
MERCHANT = PLAYBOOKS.by_id("merchant_services")
TREASURY = PLAYBOOKS.by_id("treasury_management")
PRODUCTS = {"merchant": MERCHANT, "treasury": TREASURY}


def view_of(facts: FactSet, product: str = "merchant") -> JourneyView:
    return derive(PRODUCTS[product], facts, NOW)


def blocker_types(view: JourneyView) -> list[str]:
    return sorted(b.type for b in view.blockers)


# -- steps -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("product", "step"),
    [("merchant", s) for s in MERCHANT_STEPS] + [("treasury", s) for s in TREASURY_STEPS],
)
def test_each_step_is_current_once_the_previous_ones_have_their_evidence(product, step):
    view = view_of(journey_at(step, product), product)
    assert view.current_step == step
    assert view.status == "on_track", view.status_reason
    assert view.next_step is not None and view.next_step.step == step
    states = {p.id: p.state for p in view.steps}
    steps = MERCHANT_STEPS if product == "merchant" else TREASURY_STEPS
    index = steps.index(step)
    assert all(states[s] == "complete" for s in steps[:index])
    assert states[step] == "active"
    assert all(states[s] == "pending" for s in steps[index + 1 :])


@pytest.mark.parametrize("product", ["merchant", "treasury"])
def test_every_step_complete_is_live(product):
    steps = MERCHANT_STEPS if product == "merchant" else TREASURY_STEPS
    view = view_of(journey_through(steps[-1], product, start=30), product)
    assert view.status == "live"
    assert view.current_step is None and view.next_step is None
    assert all(p.evidence for p in view.steps)


def test_completion_evidence_points_at_the_records():
    view = view_of(journey_at("credit"))
    kyc_step = next(p for p in view.steps if p.id == "kyc")
    assert [e.record_id for e in kyc_step.evidence] == ["AP-1"]
    assert kyc_step.completed_at == ago(1)


def test_documents_need_every_document_task_completed():
    facts = journey_at("documents")
    facts = with_facts(
        facts,
        task("00T1", "Signature cards", "Completed", "documents", updated=1),
        task("00T2", "W-9", "In Progress", "documents", updated=1),
    )
    assert view_of(facts).current_step == "documents"
    done = with_facts(
        journey_at("documents"), task("00T2", "W-9", "Completed", "documents", updated=1)
    )
    assert view_of(done).current_step == "account_opening"


def test_a_resubmitted_boarding_supersedes_the_failed_one():
    facts = with_facts(
        journey_at("provisioning"),
        boarding("FAIL_PROCESSED", updated=5, app_id="BA-1", error_code="E-2107"),
        boarding("SUCCESSFUL_PROCESSED", updated=1, app_id="BA-2", mid="MID9"),
        hardware_order("delivered", updated=1),
    )
    view = view_of(facts)
    assert view.current_step == "activation"
    assert view.blockers == []


# -- next step and owners -----------------------------------------------------------------------


def test_next_step_owner_is_the_step_tickets_assignee_and_group():
    facts = with_facts(
        journey_at("kyc", days_in=2),
        ticket(
            201, "KYC review", "open", ("step_kyc",), created=2, group="KYC & BSA", assignee=ANALYST
        ),
    )
    nxt = view_of(facts).next_step
    assert nxt.owner.person == "Kim Analyst" and nxt.owner.team == "KYC & BSA"
    assert nxt.owner.role == "KYC & BSA analyst"
    # Intake completed on the opportunity's close date, which has no time of day.
    assert nxt.started_at == at_day(ago(2).date())
    assert nxt.due_at == at_day(ago(2 - 10).date())
    assert nxt.sla_state == "ok"


def test_intake_is_held_by_the_account_owner():
    nxt = view_of(journey_at("intake")).next_step
    assert (nxt.owner.person, nxt.owner.team) == ("Rita Manager", "Relationship Management")


def test_an_owner_the_records_do_not_name_has_a_team_but_no_person():
    nxt = view_of(journey_at("credit")).next_step
    assert nxt.owner.team == "Credit" and nxt.owner.person is None


# -- blockers -----------------------------------------------------------------------------------


def test_missing_kyc_documents_are_the_clients_to_provide():
    facts = with_facts(
        journey_at("kyc", days_in=3),
        kyc("pending_documents", None, updated=3),
        kyc_document("doc_1", "requested", requested=3),
        kyc_document("doc_2", "accepted", requested=3),
    )
    view = view_of(facts)
    [blocker] = view.blockers
    assert blocker.type == "missing_documents"
    assert "certificate of good standing" in blocker.detail
    assert blocker.who.person == CLIENT.name and blocker.who.team == "Client"
    assert blocker.evidence.record_id == "doc_1" and blocker.since == ago(3)
    assert view.status == "blocked"


def test_overdue_document_collection_is_missing_documents():
    facts = with_facts(
        journey_at("documents", days_in=8),
        task(
            "00T3",
            "Collect IRS Form W-9",
            "Not Started",
            "documents",
            updated=8,
            due_date=ago(5).date(),
        ),
    )
    [blocker] = view_of(facts).blockers
    assert blocker.type == "missing_documents" and "Collect IRS Form W-9" in blocker.detail
    assert blocker.who.team == "Client" and blocker.since == at_day(ago(5).date())


def test_document_collection_just_due_is_not_yet_missing():
    facts = with_facts(
        journey_at("documents", days_in=2),
        task(
            "00T3",
            "Collect IRS Form W-9",
            "Not Started",
            "documents",
            updated=2,
            due_date=ago(1).date(),
        ),
    )
    assert view_of(facts).blockers == []


def test_documents_task_waiting_on_the_client():
    facts = with_facts(
        journey_at("documents"),
        task(
            "00T3",
            "Collect resolution authorizing signers",
            "Waiting on someone else",
            "documents",
            updated=1,
        ),
    )
    assert blocker_types(view_of(facts)) == ["waiting_on_client"]


def test_pending_step_ticket_is_waiting_on_the_client():
    facts = with_facts(
        journey_at("credit", days_in=2),
        ticket(
            202,
            "Credit review",
            "pending",
            ("step_credit",),
            created=2,
            updated=1,
            requester=CLIENT,
        ),
    )
    [blocker] = view_of(facts).blockers
    assert (blocker.type, blocker.who.person) == ("waiting_on_client", CLIENT.name)
    assert blocker.evidence.record_id == "202"


def test_a_ticket_of_another_step_does_not_block_this_one():
    facts = with_facts(
        journey_at("credit", days_in=2),
        ticket(203, "Signature cards", "pending", ("step_documents",), created=2, updated=1),
    )
    assert view_of(facts).blockers == []


def test_credit_review_open_past_its_sla_is_an_approval_delay():
    facts = with_facts(
        journey_at("credit", days_in=9),
        ticket(204, "Credit committee", "open", ("step_credit",), created=9, group="Credit"),
    )
    [blocker] = view_of(facts).blockers
    assert blocker.type == "approval_delay" and "9 days" in blocker.detail
    assert blocker.who.team == "Credit"


def test_kyc_review_waiting_without_a_watchlist_reason_is_an_approval_delay():
    facts = with_facts(
        journey_at("kyc", days_in=8),
        kyc(
            "waiting_review",
            None,
            updated=1,
            review_reason="Ownership structure review",
            review_opened_at=ago(8),
        ),
    )
    assert blocker_types(view_of(facts)) == ["approval_delay"]


def test_watchlist_review_is_a_screening_hit_not_a_delay():
    facts = with_facts(
        journey_at("kyc", days_in=8),
        kyc(
            "waiting_review",
            None,
            updated=7,
            review_reason="Potential OFAC SDN match",
            review_analyst=ANALYST,
            review_opened_at=ago(7),
        ),
    )
    [blocker] = view_of(facts).blockers
    assert blocker.type == "screening_hit" and "OFAC" in blocker.detail
    assert blocker.since == ago(7)
    assert blocker.who.person == "Kim Analyst"


@pytest.mark.parametrize("status", ["FAIL_PROCESSED", "REJECTED"])
def test_failed_boarding_is_a_failed_integration(status):
    facts = with_facts(
        journey_at("provisioning"),
        boarding(status, updated=1, error_code="E-2107", error_message="TIN mismatch"),
    )
    [blocker] = view_of(facts).blockers
    assert blocker.type == "failed_integration"
    assert "E-2107 TIN mismatch" in blocker.detail


def test_failed_reader_activation_is_a_failed_integration():
    facts = with_facts(
        journey_at("activation"),
        reader(
            "offline",
            "failed",
            updated=1,
            failure_code="E-104",
            failure_message="Activation timed out",
        ),
    )
    [blocker] = view_of(facts).blockers
    assert blocker.type == "failed_integration" and "E-104" in blocker.detail


def test_treasury_integration_error_ticket_is_a_failed_integration():
    facts = with_facts(
        journey_at("treasury_setup", "treasury"),
        ticket(
            205,
            "Positive pay file rejected",
            "open",
            ("step_treasury_setup", "integration_error"),
            created=1,
        ),
    )
    assert blocker_types(view_of(facts, "treasury")) == ["failed_integration"]


def test_step_ticket_on_hold_is_a_vendor_dependency():
    facts = with_facts(
        journey_at("provisioning"),
        ticket(206, "Terminal order", "hold", ("step_provisioning",), created=1),
    )
    assert blocker_types(view_of(facts)) == ["vendor_dependency"]


def test_shipped_order_past_its_eta_is_a_vendor_dependency():
    facts = with_facts(
        journey_at("provisioning", days_in=4),
        boarding("SUCCESSFUL_PROCESSED", updated=3, mid="MID1"),
        hardware_order("shipped", updated=3, carrier="UPS", eta=ago(1).date()),
    )
    [blocker] = view_of(facts).blockers
    assert blocker.type == "vendor_dependency" and "UPS" in blocker.detail
    assert blocker.who.team == "POS vendor"


def test_shipped_order_before_its_eta_is_not_blocking():
    facts = with_facts(
        journey_at("provisioning", days_in=4),
        boarding("SUCCESSFUL_PROCESSED", updated=3, mid="MID1"),
        hardware_order("shipped", updated=3, carrier="UPS", eta=ago(-2).date()),
    )
    assert view_of(facts).blockers == []


def test_boarding_in_progress_for_days_is_a_vendor_dependency():
    facts = with_facts(
        journey_at("provisioning", days_in=6),
        boarding("IN_PROGRESS", updated=5, submitted=6, current_step="UNDERWRITING"),
    )
    [blocker] = view_of(facts).blockers
    assert blocker.type == "vendor_dependency" and "UNDERWRITING" in blocker.detail


def test_a_step_past_its_sla_without_other_blockers_is_an_sla_breach():
    view = view_of(journey_at("account_opening", days_in=5))
    [blocker] = view.blockers
    assert blocker.type == "sla_breach" and "past its 3-day SLA" in blocker.detail
    assert view.status == "blocked" and view.next_step.sla_state == "breached"


def test_no_sla_breach_on_top_of_another_blocker():
    facts = with_facts(
        journey_at("credit", days_in=9),
        ticket(204, "Credit committee", "open", ("step_credit",), created=9),
    )
    assert blocker_types(view_of(facts)) == ["approval_delay"]


def test_several_blockers_at_once():
    facts = with_facts(
        journey_at("kyc", days_in=8),
        kyc("waiting_review", None, updated=2, review_reason="PEP potential match"),
        kyc_document("doc_1", "requested", requested=3),
        ticket(207, "KYC review", "pending", ("step_kyc",), created=8, updated=2),
    )
    assert blocker_types(view_of(facts)) == [
        "missing_documents",
        "screening_hit",
        "waiting_on_client",
    ]


# -- statuses -----------------------------------------------------------------------------------


def test_at_risk_when_most_of_the_sla_is_spent():
    view = view_of(journey_at("kyc", days_in=8))
    assert view.status == "at_risk" and view.next_step.sla_state == "at_risk"


def test_stalled_when_nothing_moved_anywhere_for_two_weeks():
    view = view_of(journey_at("credit", days_in=20))
    assert view.status == "stalled"
    assert "20 days" in view.status_reason
    assert view.last_activity_at == ago(20)
    assert blocker_types(view) == ["sla_breach"]  # blockers are still listed


def test_recent_activity_anywhere_prevents_stalled():
    facts = with_facts(
        journey_at("credit", days_in=20),
        ticket(208, "Credit review", "open", ("step_credit",), created=20, updated=3),
    )
    assert view_of(facts).status == "blocked"


@pytest.mark.parametrize(
    ("terminal", "reason"),
    [
        (
            OpportunityFact(
                source=source("salesforce", "Opportunity", "006O2", ago(3)),
                name="Acme",
                stage="Closed Lost",
                is_closed=True,
            ),
            'Opportunity "Acme" was closed lost',
        ),
        (kyc("completed", "Denied", updated=2, token="AP-9"), "KYC application AP-9 was denied"),
        (
            boarding("DECLINED", updated=1, app_id="BA-9", error_code="E-3001"),
            "Boarding application BA-9 was declined: E-3001",
        ),
    ],
    ids=["closed_lost", "kyc_denied", "boarding_declined"],
)
def test_terminated(terminal, reason):
    view = view_of(with_facts(journey_at("provisioning"), terminal))
    assert (view.status, view.status_reason) == ("terminated", reason)
    assert view.next_step is None


# -- discrepancies ------------------------------------------------------------------------------


def test_stale_crm_stage_is_a_discrepancy_with_the_proving_record():
    facts = journey_at("credit", days_in=9)
    facts = facts.model_copy(update={"account": account(crm_stage="KYC Review")})
    [d] = [d for d in view_of(facts).discrepancies if d.kind == "crm_stage"]
    assert "KYC Review" in d.detail and "9 days ago" in d.detail
    assert [s.record_id for s in d.sources] == [ACCOUNT_ID, "AP-1"]


def test_crm_stage_matching_the_journey_is_not_a_discrepancy():
    facts = journey_at("credit", days_in=2)
    facts = facts.model_copy(update={"account": account(crm_stage="Credit Approval")})
    assert view_of(facts).discrepancies == []


def test_crm_stage_ahead_of_the_evidence():
    facts = journey_at("credit", days_in=2)
    facts = facts.model_copy(update={"account": account(crm_stage="Live")})
    [d] = view_of(facts).discrepancies
    assert d.kind == "crm_stage" and "'Credit approval' is not complete" in d.detail


def test_solved_provisioning_ticket_while_boarding_failed():
    facts = with_facts(
        journey_at("provisioning"),
        boarding("FAIL_PROCESSED", updated=1, error_code="E-2107", error_message="TIN mismatch"),
        ticket(209, "Boarding", "solved", ("step_provisioning",), created=2, updated=1),
    )
    kinds = [d.kind for d in view_of(facts).discrepancies]
    assert kinds == ["provisioning_ticket_solved_but_boarding_failed"]


def test_complete_step_with_its_ticket_still_open():
    facts = with_facts(
        journey_at("credit", days_in=1),
        ticket(210, "KYC review", "open", ("step_kyc",), created=5),
    )
    [d] = view_of(facts).discrepancies
    assert d.kind == "open_ticket" and "#210" in d.detail


def test_a_later_step_complete_before_an_earlier_one():
    facts = with_facts(journey_at("credit"), reader("online", "succeeded", updated=1))
    kinds = {d.kind for d in view_of(facts).discrepancies}
    assert kinds == {"step_order"}


# -- partial views ------------------------------------------------------------------------------


def test_an_unreachable_system_makes_its_steps_unknown_and_the_view_partial():
    facts = journey_through("credit", start=6)
    facts = facts.model_copy(
        update={
            "facts": [f for f in facts.facts if f.kind not in ("kyc_application",)],
            "unavailable": {"kyc": "timed out after 5.0 s"},
        }
    )
    view = view_of(facts)
    assert view.partial and [u.system for u in view.unavailable] == ["kyc"]
    states = {p.id: p.state for p in view.steps}
    assert states["kyc"] == "unknown" and states["credit"] == "complete"
    # Credit is complete, so the journey has moved past KYC to the documents.
    assert view.current_step == "documents" and states["documents"] == "active"
    unconfirmed = {(u.about, u.step): u.detail for u in view.unconfirmed}
    assert "later steps are complete" in unconfirmed["step", "kyc"]
    assert unconfirmed["blockers", "documents"] == (
        "Blockers on Documents & signatures could not all be checked: the KYC provider is "
        "unavailable"
    )


def test_facts_present_still_prove_completion_when_their_system_is_flaky():
    facts = journey_at("credit", days_in=2).model_copy(update={"unavailable": {"kyc": "503"}})
    view = view_of(facts)
    assert view.current_step == "credit" and view.partial


def test_without_the_crm_the_playbook_comes_from_ticket_tags():
    facts = FactSet(
        account_id=ACCOUNT_ID,
        facts=[ticket(211, "KYC", "open", ("merchant_services", "step_kyc"), created=1)],
        unavailable={"salesforce": "503 Service Unavailable"},
    )
    playbook = choose_playbook(PLAYBOOKS, facts)
    view = derive(playbook, facts, NOW)
    assert view.playbook == "merchant_services" and view.account.name is None
    assert view.steps[0].state == "unknown"


def test_an_account_with_an_unknown_product_has_no_playbook():
    facts = FactSet(account_id=ACCOUNT_ID, account=account(product="Payroll"))
    with pytest.raises(NoPlaybook, match=r"product 'Payroll'.*Merchant Services"):
        choose_playbook(PLAYBOOKS, facts)


def test_unlinked_records_are_counted_in_diagnostics():
    orphan = source("zendesk", "ticket", "999", ago(1))
    facts = journey_at("credit").model_copy(
        update={"unlinked": [Unlinked(source=orphan, reason="ticket has no organization")]}
    )
    diagnostics = view_of(facts).diagnostics
    assert diagnostics.unlinked_records == 1
    assert "zendesk ticket 999" in diagnostics.notes[0]


# -- history and sources ------------------------------------------------------------------------


def test_history_is_merged_oldest_first_and_sourced():
    facts = with_facts(
        journey_at("provisioning"),
        hardware_order("shipped", updated=1, eta=ago(-3).date()),
    )
    view = view_of(facts)
    times = [e.at for e in view.history]
    assert times == sorted(times) and max(times) <= NOW
    systems = {e.source.system for e in view.history}
    assert systems == {"salesforce", "zendesk", "kyc", "pos"}
    assert {s.system for s in view.sources} == systems
