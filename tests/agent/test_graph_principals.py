"""The ``--as`` syntax of the CLI (and the default principal of evaluation cases)."""

from __future__ import annotations

import pytest

from agent.principals import DEMO_STAFF, parse_principal


def test_staff_with_a_role_is_the_demo_identity_unless_an_email_is_given():
    assert parse_principal("staff:operations") == DEMO_STAFF
    rm = parse_principal("staff:relationship_manager:dana.whitfield@demo-bank.example")
    assert (rm.kind, rm.role, rm.id) == (
        "staff",
        "relationship_manager",
        "dana.whitfield@demo-bank.example",
    )


def test_a_customer_is_bound_to_one_account():
    customer = parse_principal("customer:001Dn0000hKCHEnIAP")
    assert customer.kind == "customer" and customer.account_id == "001Dn0000hKCHEnIAP"
    assert customer.audience == "customer"


@pytest.mark.parametrize("spec", ["", "staff", "staff:", "customer:", "admin:root", "customer:a:b"])
def test_anything_else_names_the_syntax(spec: str):
    with pytest.raises(ValueError, match=r"staff:<role>\[:<email>\] or customer:<account id>"):
        parse_principal(spec)
