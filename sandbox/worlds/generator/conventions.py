"""The onboarding conventions Baton's default playbooks read (``docs/world-format.md``)."""

from __future__ import annotations

from typing import Literal

Product = Literal["merchant_services", "treasury_management"]
MERCHANT: Product = "merchant_services"
TREASURY: Product = "treasury_management"
PRODUCT_LABEL: dict[str, str] = {MERCHANT: "Merchant Services", TREASURY: "Treasury Management"}

STEPS: dict[str, tuple[str, ...]] = {
    MERCHANT: (
        "intake",
        "kyc",
        "credit",
        "documents",
        "account_opening",
        "provisioning",
        "activation",
        "first_transaction",
    ),
    TREASURY: (
        "intake",
        "kyc",
        "credit",
        "documents",
        "account_opening",
        "treasury_setup",
        "activation",
        "first_transaction",
    ),
}

SLA_DAYS: dict[str, int] = {
    "intake": 5,
    "kyc": 10,
    "credit": 7,
    "documents": 10,
    "account_opening": 3,
    "provisioning": 10,
    "treasury_setup": 15,
    "activation": 5,
    "first_transaction": 14,
}

# Account.Onboarding_Stage__c, the CRM's hand-maintained stage.
CRM_STAGE: dict[str, str] = {
    "intake": "Intake",
    "kyc": "KYC Review",
    "credit": "Credit Approval",
    "documents": "Documents & Signatures",
    "account_opening": "Account Opening",
    "provisioning": "Vendor Provisioning",
    "treasury_setup": "Treasury Setup",
    "activation": "Activation",
    "first_transaction": "First Transaction",
}
LIVE_STAGE = "Live"
CLOSED_STAGE = "Closed"

# The Zendesk group (team) accountable for each step that is worked in tickets.
STEP_GROUP: dict[str, str] = {
    "kyc": "KYC & BSA",
    "credit": "Credit",
    "documents": "Onboarding Operations",
    "account_opening": "Deposit Operations",
    "provisioning": "Merchant Services",
    "treasury_setup": "Treasury Implementation",
    "activation": "Activation Support",
}

ONBOARDING_TAG = "onboarding"
INTEGRATION_ERROR_TAG = "integration_error"


def step_tag(step: str) -> str:
    return f"step_{step}"


BLOCKER_TYPES = (
    "missing_documents",
    "waiting_on_client",
    "approval_delay",
    "failed_integration",
    "vendor_dependency",
    "screening_hit",
    "sla_breach",
)
Status = Literal["on_track", "at_risk", "blocked", "stalled", "live", "terminated"]
# No activity in any system for this many days makes a journey stalled.
STALLED_AFTER_DAYS = 14
# A step this far into its SLA, with no blocker, is at risk.
AT_RISK_FRACTION = 0.7
