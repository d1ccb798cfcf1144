"""What the emulator knows of sObject types: names, fields and parent relationships.

A world may hold any sObject (``salesforce/<SObject>.json``) and any field, so the schema is
the union of the standard objects Baton uses, the custom fields the world format documents,
and whatever the world's records carry. Names resolve case-insensitively, as in Salesforce,
to the spelling the world uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.store import Store

COLLECTION_PREFIX = "salesforce."

# Key prefixes of the standard objects: the first three characters of their ids.
ID_PREFIXES = {
    "Account": "001",
    "Contact": "003",
    "Opportunity": "006",
    "Case": "500",
    "Task": "00T",
    "User": "005",
}
# Fields only Salesforce sets; a create or update that names them is refused.
SYSTEM_FIELDS = (
    "Id",
    "IsDeleted",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
)
_STANDARD_FIELDS: dict[str, tuple[str, ...]] = {
    "Account": (
        "Name", "Type", "Industry", "OwnerId", "ParentId", "Phone", "Website", "Description",
        "AnnualRevenue", "NumberOfEmployees", "BillingStreet", "BillingCity", "BillingState",
        "BillingPostalCode", "BillingCountry",
        # Custom fields of the world format (docs/world-format.md).
        "Product__c", "Onboarding_Stage__c", "DBA_Name__c", "Segment__c",
        "Core_Account_Number__c", "Account_Opened_Date__c", "First_Transaction_Date__c",
    ),
    "Contact": (
        "AccountId", "OwnerId", "FirstName", "LastName", "Name", "Email", "Phone",
        "MobilePhone", "Title", "Department",
    ),
    "Opportunity": (
        "AccountId", "OwnerId", "Name", "StageName", "CloseDate", "Amount", "Probability",
        "IsClosed", "IsWon", "Type", "Description", "Product__c",
    ),
    "Case": (
        "AccountId", "ContactId", "OwnerId", "CaseNumber", "Subject", "Description", "Status",
        "Priority", "Origin", "IsClosed",
    ),
    "Task": (
        "WhatId", "WhoId", "OwnerId", "Subject", "Status", "Priority", "ActivityDate",
        "Description", "IsClosed", "CompletedDateTime", "TaskSubtype",
        # Custom fields: the playbook step, and Baton's idempotency key for upserts.
        "Onboarding_Step__c", "Baton_Key__c",
    ),
    "User": (
        "Name", "FirstName", "LastName", "Email", "Username", "Title", "Department",
        "IsActive", "ManagerId",
    ),
}  # fmt: skip
# Parent relationships whose target types are known; ``What``/``Who`` are polymorphic.
_RELATIONSHIP_TARGETS: dict[str, tuple[str, ...]] = {
    "Owner": ("User",),
    "CreatedBy": ("User",),
    "LastModifiedBy": ("User",),
    "Manager": ("User",),
    "Account": ("Account",),
    "Parent": ("Account",),
    "Contact": ("Contact",),
    "What": ("Account", "Opportunity", "Case"),
    "Who": ("Contact", "Lead"),
}


@dataclass(frozen=True)
class Relationship:
    """A parent relationship such as ``Owner`` (via ``OwnerId``) or ``Bank__r`` (``Bank__c``)."""

    name: str
    id_field: str
    # Types the parent may have; empty when unknown (a custom relationship).
    targets: tuple[str, ...]


class Schema:
    def __init__(self, fields: dict[str, list[str]]) -> None:
        """``fields``: sObject type → the field names it has."""
        self._types = {name.casefold(): name for name in fields}
        self._fields = {
            name: {field.casefold(): field for field in names} for name, names in fields.items()
        }

    @classmethod
    def of(cls, store: Store) -> Schema:
        """The standard objects plus every object and field the store's records have (built
        once per state of the store: it reads every record)."""
        return store.derived(cls, lambda: cls._build(store))

    @classmethod
    def _build(cls, store: Store) -> Schema:
        fields = {name: [*SYSTEM_FIELDS, *names] for name, names in _STANDARD_FIELDS.items()}
        for collection in store.collections():
            if not collection.startswith(COLLECTION_PREFIX):
                continue
            name = collection.removeprefix(COLLECTION_PREFIX)
            known = fields.setdefault(name, list(SYSTEM_FIELDS))
            # The world's own spelling comes last, so it wins over the standard one.
            known.extend(key for record in store.all(collection) for key in record)
        return cls(fields)

    def sobject(self, name: str) -> str | None:
        """The type's name as the world spells it; None when there is no such type."""
        return self._types.get(name.casefold())

    def sobjects(self) -> list[str]:
        return list(self._fields)

    def field(self, sobject: str, name: str) -> str | None:
        """The field's name as the world spells it; None when ``sobject`` has no such field."""
        return self._fields.get(sobject, {}).get(name.casefold())

    def relationship(self, sobject: str, name: str) -> Relationship | None:
        """The parent relationship ``name`` of ``sobject``, if it has the id field for it."""
        if name.casefold().endswith("__r"):
            id_field = self.field(sobject, name[:-3] + "__c")
            return Relationship(id_field[:-3] + "__r", id_field, ()) if id_field else None
        id_field = self.field(sobject, name + "Id")
        if id_field is None:
            return None
        canonical = id_field[:-2]
        return Relationship(canonical, id_field, _RELATIONSHIP_TARGETS.get(canonical, ()))
