"""Name resolution on a fixed book of accounts: typos, aliases, ambiguity, unknowns."""

from __future__ import annotations

import pytest

from journeys.resolve import ACCOUNT_ID, TICKET_REF, Candidate, normalize_name, rank

BOOK = [
    Candidate(id="001A00000000001", name="Acme Bakery LLC"),
    Candidate(id="001A00000000002", name="Acme Bakeries Inc"),
    Candidate(id="001A00000000003", name="ACME Baking Co"),
    Candidate(id="001A00000000004", name="Northwind Logistics"),
    Candidate(id="001A00000000005", name="Northwind Traders"),
    Candidate(id="001A00000000006", name="O'Brien's Hardware"),
    Candidate(id="001A00000000007", name="Harbor Dental Group", dba_name="Smile Harbor"),
]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Acme Bakery", "Acme Bakery LLC"),
        ("acme bakery llc", "Acme Bakery LLC"),
        ("Acme Bakry", "Acme Bakery LLC"),
        ("northwind traders", "Northwind Traders"),
        ("OBriens Hardware", "O'Brien's Hardware"),
        ("Smile Harbor", "Harbor Dental Group"),
        ("smile harbour", "Harbor Dental Group"),
    ],
)
def test_names_typos_and_aliases_resolve(query, name):
    resolution = rank(query, BOOK)
    assert resolution.outcome == "resolved" and resolution.account.name == name


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("acme", {"Acme Bakery LLC", "Acme Bakeries Inc", "ACME Baking Co"}),
        ("Northwind", {"Northwind Logistics", "Northwind Traders"}),
    ],
)
def test_ambiguous_names_list_the_candidates(query, names):
    resolution = rank(query, BOOK)
    assert resolution.outcome == "ambiguous"
    assert {c.name for c in resolution.candidates} >= names - {"ACME Baking Co"}
    assert "matches several customers" in resolution.message


def test_an_unknown_name_suggests_the_closest():
    resolution = rank("Acme Plumbing", BOOK)
    assert resolution.outcome == "unknown"
    assert resolution.message.startswith("no customer matches 'Acme Plumbing'; closest: ")
    assert {c.name for c in resolution.candidates} == {
        "Acme Bakery LLC", "Acme Bakeries Inc", "ACME Baking Co",
    }  # fmt: skip


def test_nothing_close_says_so_plainly():
    assert rank("zzzz", BOOK).message == "no customer matches 'zzzz'"


def test_identifiers_are_recognised():
    assert ACCOUNT_ID.match("001Dn0000hKCHEnIAP") and ACCOUNT_ID.match("001Dn0000hKCHEn")
    assert not ACCOUNT_ID.match("003Dn0000hKCHEnIAP")
    assert TICKET_REF.match("#1042").group(1) == "1042"
    assert TICKET_REF.match("ticket #1042")


def test_legal_suffixes_and_punctuation_do_not_matter():
    assert normalize_name("O'Brien's Hardware, LLC") == normalize_name("OBriens Hardware")
