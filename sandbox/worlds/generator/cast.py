"""The bank's staff (Salesforce Users and Zendesk agents), its teams, and customer name pools."""

from __future__ import annotations

from dataclasses import dataclass

BANK_DOMAIN = "demo-bank.example"


@dataclass(frozen=True)
class Staff:
    key: str
    first: str
    last: str
    title: str
    team: str  # Zendesk group name, or the department of staff outside the ticket teams

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def email(self) -> str:
        return f"{self.first.lower()}.{self.last.lower()}@{BANK_DOMAIN}"


RELATIONSHIP_MANAGEMENT = "Commercial Banking"
TREASURY_TEAM = "Treasury Implementation"

# Zendesk groups: the teams that work onboarding steps in tickets.
TEAMS: dict[str, str] = {
    "KYC & BSA": "KYC/KYB reviews, BSA/AML and sanctions screening",
    "Credit": "Credit officers: merchant exposure, ACH origination limits, committee reviews",
    "Onboarding Operations": "Onboarding specialists: account documents and signatures",
    "Deposit Operations": "Core banking: opening and funding deposit accounts",
    "Treasury Implementation": "ACH origination, positive pay, remote deposit, wires, entitlements",
    "Merchant Services": "Merchant boarding with the processor and terminal orders",
    "Activation Support": "Terminal activation and online-banking first login",
}

STAFF: tuple[Staff, ...] = (
    Staff("dana", "Dana", "Whitfield", "Relationship Manager", RELATIONSHIP_MANAGEMENT),
    Staff("marcus", "Marcus", "Bell", "Senior Relationship Manager", RELATIONSHIP_MANAGEMENT),
    Staff("priya", "Priya", "Raman", "Relationship Manager", RELATIONSHIP_MANAGEMENT),
    Staff("jordan", "Jordan", "Ellis", "Onboarding Specialist", "Onboarding Operations"),
    Staff("sofia", "Sofia", "Marquez", "Onboarding Specialist", "Onboarding Operations"),
    Staff("hannah", "Hannah", "Cho", "KYC Analyst", "KYC & BSA"),
    Staff("tom", "Tom", "Okafor", "BSA/AML Analyst", "KYC & BSA"),
    Staff("rebecca", "Rebecca", "Stein", "Credit Officer", "Credit"),
    Staff("luis", "Luis", "Ortega", "Senior Credit Officer", "Credit"),
    Staff("grace", "Grace", "Liu", "Deposit Operations Specialist", "Deposit Operations"),
    Staff("ben", "Ben", "Carter", "Treasury Implementation Specialist", TREASURY_TEAM),
    Staff("aisha", "Aisha", "Khan", "Treasury Implementation Specialist", TREASURY_TEAM),
    Staff("kevin", "Kevin", "Walsh", "Merchant Services Specialist", "Merchant Services"),
    Staff("erin", "Erin", "Murphy", "Merchant Services Specialist", "Merchant Services"),
    Staff("nina", "Nina", "Petrova", "Activation Technician", "Activation Support"),
    Staff("sam", "Sam", "Whitaker", "Activation Technician", "Activation Support"),
)
STAFF_BY_KEY = {s.key: s for s in STAFF}

# The API user Baton itself signs in as (docs/sandbox.md demo credentials).
INTEGRATION_USER = Staff("baton", "Baton", "Integration", "Integration User", "IT")
INTEGRATION_EMAIL = f"baton@{BANK_DOMAIN}"


def team_members(team: str) -> tuple[Staff, ...]:
    return tuple(s for s in STAFF if s.team == team)


FIRST_NAMES = (
    "Maria", "James", "Linda", "Robert", "Patricia", "Michael", "Jennifer", "David", "Elena",
    "William", "Angela", "Carlos", "Susan", "Kevin", "Michelle", "Anthony", "Laura", "Daniel",
    "Rachel", "Thomas", "Monica", "Brian", "Denise", "Victor", "Karen", "Andre", "Heather",
    "Jamal", "Teresa", "Gregory", "Nicole", "Hector", "Diane", "Samuel", "Yolanda", "Peter",
    "Lauren", "Raymond", "Christine", "Omar",
)  # fmt: skip
LAST_NAMES = (
    "Alvarez", "Johnson", "Nguyen", "Brooks", "Fitzgerald", "Kowalski", "Patel", "Hernandez",
    "Sullivan", "Washington", "Morales", "Chen", "Lindqvist", "Okonkwo", "Reyes", "Gallagher",
    "Park", "Delgado", "Schmidt", "Harrington", "Moreau", "Abernathy", "Castillo", "Yamamoto",
    "Bianchi", "Oduya", "Larsen", "Whitman", "Becker", "Romero", "Sato", "Donnelly", "Vargas",
    "Novak", "Ferreira", "Haddad", "McAllister", "Quinn", "Esposito", "Tran",
)  # fmt: skip
