"""Resolution: names on a fixed book of accounts (typos, aliases, ambiguity, unknowns), and
contacts and vendor record ids against the demo back office."""

from __future__ import annotations

import pytest

from journeys.resolve import ACCOUNT_ID, TICKET_REF, Candidate, normalize_name, rank
from journeys.service import JourneyService
from tests.journeys.conftest import BY_NAME

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


# --- against the demo back office: contacts and vendor records name their account ----------

ACME = BY_NAME["Acme Bakery LLC"]["account_id"]
NORTHWIND = BY_NAME["Northwind Traders"]["account_id"]
ACME_BAKING = BY_NAME["ACME Baking Co"]["account_id"]


@pytest.fixture
def no_account_listing(service: JourneyService, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if resolution reads the whole book of accounts."""

    async def listing(**_: object) -> None:
        raise AssertionError("resolution fetched every account")

    monkeypatch.setattr(service.office.salesforce, "accounts_where", listing)


@pytest.mark.parametrize(
    ("query", "account_id"),
    [
        ("tmr_9p8bkkCjiNwrGf6rWiQU7VAs", NORTHWIND),  # reader → metadata.account_id
        ("thor_vww7G9FbIPijedGbfKTADK3I", NORTHWIND),  # terminal order
        ("BA-86637147", ACME_BAKING),  # boarding application → external_id
        ("AP-QKBGU39JNSXVHPOKEKN5", ACME),  # KYC application → external_entity_id
        ("denise.mcallister@acmebakery.example", ACME),  # a contact's email
    ],
)
async def test_records_and_emails_resolve_to_their_account_without_listing_accounts(
    service: JourneyService, no_account_listing: None, query: str, account_id: str
):
    resolution = await service.resolve(query)
    assert resolution.outcome == "resolved" and resolution.account.id == account_id
    assert resolution.query == query


@pytest.mark.parametrize("query", ["tmr_unknown0000", "AP-NOSUCHAPP", "nobody@nowhere.example"])
async def test_unknown_records_and_emails_are_unknown(
    service: JourneyService, no_account_listing: None, query: str
):
    resolution = await service.resolve(query)
    assert resolution.outcome == "unknown" and resolution.candidates == []


async def test_a_contact_name_resolves_to_the_contacts_account(service: JourneyService):
    resolution = await service.resolve("Denise McAllister")
    assert resolution.outcome == "resolved" and resolution.account.id == ACME


async def test_a_name_shared_by_contacts_of_several_accounts_is_ambiguous(
    service: JourneyService,
):
    resolution = await service.resolve("Denise")
    assert resolution.outcome == "ambiguous"
    assert ACME in {c.id for c in resolution.candidates} and len(resolution.candidates) == 3


async def test_a_zendesk_end_user_resolves_through_their_tickets(
    service: JourneyService, monkeypatch: pytest.MonkeyPatch
):
    async def no_contacts(_: str) -> list[object]:
        return []

    # Only Zendesk knows this person now: their tickets' organization names the account.
    monkeypatch.setattr(service.office.salesforce, "find_contacts", no_contacts)
    resolution = await service.resolve("denise.mcallister@acmebakery.example")
    assert resolution.outcome == "resolved" and resolution.account.id == ACME


async def test_a_company_name_still_wins_over_contact_search(service: JourneyService):
    resolution = await service.resolve("Zebra Plumbing")
    assert resolution.outcome == "unknown"
    assert "Granite State Plumbing" in {c.name for c in resolution.candidates}
