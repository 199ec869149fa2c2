"""Every code the referrals app records, in one place, with SNOMED CT ids where one exists.

Only concept ids confirmed in ``shared/DOMAIN.md`` are filled in. A reason's concept id is
left as ``None`` until it is checked against the UK SNOMED CT browser: a wrong code in a GP
record is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

SNOMED_SYSTEM = "http://snomed.info/sct"
SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING = "871731000000106"
SNOMED_SOCIAL_PRESCRIBING_DECLINED = "871711000000103"
SNOMED_DISPLAY: dict[str, str] = {
    SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING: "Referral to social prescribing service (procedure)",
    SNOMED_SOCIAL_PRESCRIBING_DECLINED: "Social prescribing declined (situation)",
}


class Sex(models.TextChoices):
    """NHS Data Dictionary 'Person stated gender code'."""

    MALE = "1", "Male"
    FEMALE = "2", "Female"
    INDETERMINATE = "9", "Indeterminate (unable to be classified as male or female)"
    NOT_KNOWN = "X", "Not known"


class EthnicCategory(models.TextChoices):
    """NHS Data Dictionary ethnic category (2001 census categories)."""

    WHITE_BRITISH = "A", "White: British"
    WHITE_IRISH = "B", "White: Irish"
    WHITE_OTHER = "C", "White: Any other White background"
    MIXED_WHITE_BLACK_CARIBBEAN = "D", "Mixed: White and Black Caribbean"
    MIXED_WHITE_BLACK_AFRICAN = "E", "Mixed: White and Black African"
    MIXED_WHITE_ASIAN = "F", "Mixed: White and Asian"
    MIXED_OTHER = "G", "Mixed: Any other mixed background"
    ASIAN_INDIAN = "H", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "J", "Asian or Asian British: Pakistani"
    ASIAN_BANGLADESHI = "K", "Asian or Asian British: Bangladeshi"
    ASIAN_OTHER = "L", "Asian or Asian British: Any other Asian background"
    BLACK_CARIBBEAN = "M", "Black or Black British: Caribbean"
    BLACK_AFRICAN = "N", "Black or Black British: African"
    BLACK_OTHER = "P", "Black or Black British: Any other Black background"
    CHINESE = "R", "Other ethnic groups: Chinese"
    OTHER = "S", "Other ethnic groups: Any other ethnic group"
    NOT_STATED = "Z", "Not stated"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    # No phone, email or address of their own: contact goes through their registered practice.
    GP_PRACTICE = "gp_practice", "Through their GP practice"


class AccessibleFormat(models.TextChoices):
    """Formats the person needs information in (the Accessible Information Standard)."""

    LARGE_PRINT = "large_print", "Large print"
    EASY_READ = "easy_read", "Easy read"
    BRAILLE = "braille", "Braille"
    AUDIO = "audio", "Audio"
    BSL = "bsl", "British Sign Language"


# The details a link worker or triage lead may correct, in the order the form asks them.
PERSON_EDITABLE_FIELDS = (
    "phone",
    "email",
    "address",
    "postcode",
    "registered_practice",
    "language",
    "interpreter_needed",
    "accessible_formats",
    "accessibility_needs",
    "preferred_contact_method",
    "preferred_contact_times",
)


# Who the person is: corrected only by triage (from the referral), to resolve an identity
# conflict or a typing mistake; each change is in the history like any other.
PERSON_IDENTITY_FIELDS = ("given_name", "family_name", "date_of_birth", "nhs_number")


class ReferralSource(models.TextChoices):
    GP = "gp", "GP"
    PRACTICE_NURSE = "practice_nurse", "Practice nurse"
    OTHER_HEALTH = "other_health", "Other health professional"
    SOCIAL_CARE = "social_care", "Social care"
    VCSE = "vcse", "VCSE organisation"
    SELF = "self", "Self-referral"
    OTHER = "other", "Other"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent"


class Reason(models.TextChoices):
    LONELINESS = "loneliness", "Loneliness and isolation"
    LOW_MOOD = "low_mood", "Low mood or anxiety"
    LONG_TERM_CONDITION = "long_term_condition", "Long-term condition management"
    CARER_SUPPORT = "carer_support", "Carer support"
    MONEY = "money", "Money and benefits"
    HOUSING = "housing", "Housing"
    PHYSICAL_INACTIVITY = "physical_inactivity", "Physical inactivity"
    WEIGHT = "weight", "Weight"
    BEREAVEMENT = "bereavement", "Bereavement"
    EMPLOYMENT = "employment", "Employment"
    FREQUENT_ATTENDER = "frequent_attender", "Frequent attender"
    OTHER = "other", "Other"


# Concept ids for reasons, to be confirmed with a terminology server before use.
REASON_SNOMED: dict[str, str | None] = {reason: None for reason in Reason.values}


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    INFO_REQUESTED = "info_requested", "More information requested"
    TRIAGED = "triaged", "Accepted at triage"
    ASSIGNED = "assigned", "Assigned"
    FIRST_CONTACT = "first_contact", "First contact made"
    IN_PROGRESS = "in_progress", "In progress"
    CLOSED = "closed", "Closed"
    DECLINED = "declined", "Declined at triage"
    WITHDRAWN = "withdrawn", "Withdrawn by the referrer"


OPEN_STATUSES = frozenset(Status.values) - {Status.CLOSED, Status.DECLINED, Status.WITHDRAWN}
# The referrer may withdraw a referral until the person has been contacted; after that the
# person is being supported and the link worker closes the case with them.
WITHDRAWABLE_STATUSES = frozenset(
    {Status.RECEIVED, Status.INFO_REQUESTED, Status.TRIAGED, Status.ASSIGNED}
)
AWAITING_TRIAGE_STATUSES = frozenset({Status.RECEIVED, Status.INFO_REQUESTED})


class ClosureOutcome(models.TextChoices):
    SUPPORTED = "supported", "Supported and closed"
    DECLINED_BY_PERSON = "declined_by_person", "Declined by the person"
    UNABLE_TO_CONTACT = "unable_to_contact", "Unable to contact"
    NOT_APPROPRIATE = "not_appropriate", "Not appropriate"
    MOVED_AWAY = "moved_away", "Moved away"


class DeclineReason(models.TextChoices):
    """Why triage declined: findhelp's list, plus the crisis case the issue names."""

    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    NO_CAPACITY = "no_capacity", "No capacity"
    NEEDS_CRISIS_SERVICE = "needs_crisis_service", "Needs urgent or crisis support"
    REFERRED_ELSEWHERE = "referred_elsewhere", "Better met by another service"
    NO_CONSENT = "no_consent", "The person did not agree"
    OTHER = "other", "Other"
    # Set only by the automatic decline, never chosen by a triage lead.
    NOT_ACCEPTED_IN_TIME = "not_accepted_in_time", "Not accepted in time"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", "Referral received"
    INFO_REQUESTED = "info_requested", "More information requested"
    INFO_PROVIDED = "info_provided", "More information given"
    REDIRECTED = "redirected", "Passed to another service"
    ACCEPTED = "accepted", "Accepted at triage"
    ASSIGNED = "assigned", "Assigned to a team"
    DECLINED = "declined", "Declined at triage"
    EXPIRED = "expired", "Declined: not accepted in time"
    FIRST_CONTACT = "first_contact", "First contact made"
    IN_PROGRESS = "in_progress", "Support in progress"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn by the referrer"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str


# The one table of allowed status changes. Each service that changes a referral's status
# asks here, and the event row it writes names the kind of change.
_TRIAGE = AWAITING_TRIAGE_STATUSES
TRANSITIONS: dict[str, Transition] = {
    EventKind.INFO_REQUESTED: Transition(_TRIAGE, Status.INFO_REQUESTED),
    # The referrer's answer puts the referral back in the queue for the triage lead.
    EventKind.INFO_PROVIDED: Transition(frozenset({Status.INFO_REQUESTED}), Status.RECEIVED),
    # Passing to another service puts the referral back at the start of that queue.
    EventKind.REDIRECTED: Transition(_TRIAGE, Status.RECEIVED),
    EventKind.ACCEPTED: Transition(_TRIAGE, Status.TRIAGED),
    EventKind.ASSIGNED: Transition(_TRIAGE | {Status.TRIAGED, Status.ASSIGNED}, Status.ASSIGNED),
    EventKind.DECLINED: Transition(_TRIAGE | {Status.TRIAGED}, Status.DECLINED),
    # No one accepted it by the deadline; once accepted, the deadline no longer applies.
    EventKind.EXPIRED: Transition(_TRIAGE, Status.DECLINED),
    EventKind.FIRST_CONTACT: Transition(frozenset({Status.ASSIGNED}), Status.FIRST_CONTACT),
    EventKind.IN_PROGRESS: Transition(frozenset({Status.FIRST_CONTACT}), Status.IN_PROGRESS),
    EventKind.CLOSED: Transition(
        frozenset({Status.TRIAGED, Status.ASSIGNED, Status.FIRST_CONTACT, Status.IN_PROGRESS}),
        Status.CLOSED,
    ),
    EventKind.WITHDRAWN: Transition(WITHDRAWABLE_STATUSES, Status.WITHDRAWN),
}


def can_transition(current: str, kind: str) -> bool:
    transition = TRANSITIONS.get(kind)
    return transition is not None and current in transition.sources


# FHIR Task.status for each of our statuses (HL7 SDOH Clinical Care vocabulary).
FHIR_TASK_STATUS: dict[str, str] = {
    Status.RECEIVED: "received",
    Status.INFO_REQUESTED: "on-hold",
    Status.TRIAGED: "accepted",
    Status.ASSIGNED: "accepted",
    Status.FIRST_CONTACT: "in-progress",
    Status.IN_PROGRESS: "in-progress",
    Status.CLOSED: "completed",
    Status.DECLINED: "rejected",
    Status.WITHDRAWN: "cancelled",
}


def snomed_for_event(kind: str, closure_outcome: str = "") -> str | None:
    """The SNOMED CT code to record in the GP record for this event, if any.

    ``871731000000106`` is recorded once, when the person accepts at first contact;
    ``871711000000103`` when the person declines social prescribing.
    """
    if kind == EventKind.FIRST_CONTACT:
        return SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING
    if kind == EventKind.CLOSED and closure_outcome == ClosureOutcome.DECLINED_BY_PERSON:
        return SNOMED_SOCIAL_PRESCRIBING_DECLINED
    return None
