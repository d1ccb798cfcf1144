"""The customer's CRM records: the Account (with the onboarding custom fields) and Contacts."""

from __future__ import annotations

from sandbox.worlds.generator.conventions import CLOSED_STAGE, CRM_STAGE, LIVE_STAGE
from sandbox.worlds.generator.journey import Journey

AREA_CODES = {
    "AK": "907", "AL": "251", "AZ": "602", "CA": "415", "CO": "303", "CT": "203", "FL": "813",
    "GA": "404", "ID": "208", "IL": "312", "KY": "502", "MA": "617", "MD": "410", "ME": "207",
    "MI": "616", "MN": "612", "MO": "314", "NC": "919", "NE": "402", "NH": "603", "NJ": "973",
    "NV": "702", "NY": "518", "OH": "614", "OR": "503", "PA": "215", "RI": "401", "SC": "843",
    "TN": "615", "TX": "512", "UT": "801", "VA": "804", "VT": "802", "WA": "206", "WI": "608",
    "WV": "304",
}  # fmt: skip
# Segment by expected annual revenue to the bank: (ceiling, segment, employees, company revenue).
SEGMENTS = (
    (30_000, "Small Business", 12, 2_400_000),
    (150_000, "Commercial", 85, 18_000_000),
    (10**12, "Middle Market", 420, 95_000_000),
)


def open_account(j: Journey) -> None:
    city, state = j.scenario.city.rsplit(", ", 1)
    _, segment, employees, revenue = next(s for s in SEGMENTS if j.amount < s[0])
    phone_suffix = j.ids.digits(f"phone:{j.scenario.key}", 2)
    j.account = {
        "Id": j.account_id,
        "Name": j.scenario.name,
        "Type": "Prospect",
        "Industry": j.scenario.industry,
        "Phone": f"({AREA_CODES[state]}) 555-01{phone_suffix}",
        "Website": f"https://www.{j.domain}",
        "BillingCity": city,
        "BillingState": state,
        "NumberOfEmployees": employees,
        "AnnualRevenue": revenue,
        "OwnerId": j.bank.user_ids[j.rm.key],
        "Product__c": j.label,
        "Onboarding_Stage__c": CRM_STAGE["intake"],
        "DBA_Name__c": j.scenario.dba,
        "Segment__c": segment,
        "Core_Account_Number__c": None,
        "Account_Opened_Date__c": None,
        "First_Transaction_Date__c": None,
        "CreatedDate": j.sf_time(j.started),
        "LastModifiedDate": j.sf_time(j.started),
    }
    j.world.salesforce["Account"].append(j.account)
    for contact in j.contacts:
        j.world.salesforce["Contact"].append(
            {
                "Id": contact.salesforce_id,
                "AccountId": j.account_id,
                "FirstName": contact.first,
                "LastName": contact.last,
                "Name": contact.name,
                "Title": contact.title,
                "Email": contact.email,
                "Phone": j.account["Phone"],
                "CreatedDate": j.sf_time(j.started),
                "LastModifiedDate": j.sf_time(j.started),
            }
        )


def close_account(j: Journey) -> None:
    """Set the hand-maintained stage and when someone last edited the Account."""
    j.account["Onboarding_Stage__c"] = j.scenario.stage
    if j.scenario.status == "live":
        j.account["Type"] = "Customer"
    edits = [_stage_set(j)]
    for step in ("account_opening", "first_transaction"):
        window = j.window(step)
        if window and window.done:
            edits.append(window.end)
    j.account["LastModifiedDate"] = j.sf_time(min(edits))


def _stage_set(j: Journey) -> float:
    """Days ago someone last set the CRM stage: when the step it names began (or, for a stage
    the evidence has not reached, the journey's last activity)."""
    stage = j.scenario.stage
    if stage in (LIVE_STAGE, CLOSED_STAGE) and j.scenario.status in ("live", "terminated"):
        return j.windows[-1].end
    for window in j.windows:
        if CRM_STAGE[window.step] == stage:
            return window.start
    return j.last_activity
