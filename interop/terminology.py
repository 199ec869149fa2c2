"""Code systems, value sets and the one table from SNOMED CT reasons to our referral reasons.

Each concept id below was checked against the published source named beside it. A code
not in the table is kept as the referral's "other" reason text, never guessed at: a wrong
code is worse than none.
"""

from __future__ import annotations

from referrals import codes

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
SDS_USER_SYSTEM = "https://fhir.nhs.uk/Id/sds-user-id"
SNOMED_SYSTEM = codes.SNOMED_SYSTEM
# Our own reason codes, for senders that use them (older integrations did).
REASON_SYSTEM = "https://socialrx.example/fhir/CodeSystem/referral-reason"
TASK_BUSINESS_STATUS_SYSTEM = "https://socialrx.example/fhir/CodeSystem/referral-status"

# FHIR R4 value sets (hl7.org/fhir/R4/valueset-request-priority.html, -request-status,
# -request-intent). Anything else is refused: "yesterday" is not a priority.
REQUEST_PRIORITY = frozenset({"routine", "urgent", "asap", "stat"})
REQUEST_STATUS = frozenset(
    {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}
)
REQUEST_INTENT = frozenset(
    {
        "proposal",
        "plan",
        "directive",
        "order",
        "original-order",
        "reflex-order",
        "filler-order",
        "instance-order",
        "option",
    }
)
# Of those, what a new referral may be: an order or a proposal, sent active.
ACCEPTED_INTENTS = frozenset({"order", "proposal", "original-order"})
URGENT_PRIORITIES = frozenset({"urgent", "asap", "stat"})
TASK_STATUS = frozenset(
    {
        "draft",
        "requested",
        "received",
        "accepted",
        "rejected",
        "ready",
        "cancelled",
        "in-progress",
        "on-hold",
        "failed",
        "completed",
        "entered-in-error",
    }
)

# The one table: SNOMED CT concept id -> our referral reason. Sources:
#   [SDOHCC] HL7 FHIR SDOH Clinical Care IG (hl7.org/fhir/us/sdoh-clinicalcare), its
#            examples and Gravity Project value sets, which publish id and display together.
#   [SCT]    SNOMED CT International browser (browser.ihtsdotools.org), fully specified name.
SNOMED_REASONS: dict[str, tuple[str, str]] = {
    # code: (our reason, the concept's display as published)
    "422650009": (codes.Reason.LONELINESS, "Social isolation (finding)"),  # [SDOHCC]
    "48694002": (codes.Reason.LOW_MOOD, "Anxiety (finding)"),  # [SCT]
    "35489007": (codes.Reason.LOW_MOOD, "Depressive disorder (disorder)"),  # [SCT]
    "1184702004": (codes.Reason.MONEY, "Financial insecurity (finding)"),  # [SDOHCC]
    "1156191002": (codes.Reason.HOUSING, "Housing instability (finding)"),  # [SDOHCC]
    "32911000": (codes.Reason.HOUSING, "Homeless (finding)"),  # [SDOHCC]
    "414916001": (codes.Reason.WEIGHT, "Obesity (disorder)"),  # [SCT]
    "73438004": (codes.Reason.EMPLOYMENT, "Unemployed (finding)"),  # [SCT], [SDOHCC]
}

# The codes of the moment written back to the GP record (NHS England's social prescribing
# codes; DOMAIN.md): accepted at first contact, declined.
SNOMED_ACCEPTED = codes.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING
SNOMED_DECLINED = codes.SNOMED_SOCIAL_PRESCRIBING_DECLINED
SNOMED_DISPLAY = codes.SNOMED_DISPLAY
