"""Every code the linkworkers app records, in one place."""

from __future__ import annotations

from django.db import models

from referrals.codes import Transition


class CaseStatus(models.TextChoices):
    AWAITING_CONTACT = "awaiting_contact", "Awaiting first contact"
    ACTIVE = "active", "In progress"
    CLOSED = "closed", "Closed"


OPEN_CASE_STATUSES = frozenset({CaseStatus.AWAITING_CONTACT, CaseStatus.ACTIVE})


class CaseEventKind(models.TextChoices):
    OPENED = "opened", "Case opened"
    FIRST_CONTACT = "first_contact", "First contact made"
    CLOSED = "closed", "Case closed"


# The one table of allowed case status changes, by the kind of event that records each
# (a case is created awaiting contact: that is its "opened" event, not a change). Every
# service that changes a case's status goes through ``services.cases.case_move``.
CASE_TRANSITIONS: dict[str, Transition] = {
    CaseEventKind.FIRST_CONTACT: Transition(
        frozenset({CaseStatus.AWAITING_CONTACT}), CaseStatus.ACTIVE
    ),
    CaseEventKind.CLOSED: Transition(OPEN_CASE_STATUSES, CaseStatus.CLOSED),
}


def can_move_case(current: str, kind: str) -> bool:
    transition = CASE_TRANSITIONS.get(kind)
    return transition is not None and current in transition.sources


class ContactMode(models.TextChoices):
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    FACE_TO_FACE = "face_to_face", "Face to face"
    HOME_VISIT = "home_visit", "Home visit"
    GROUP = "group", "Group session"
    TEXT = "text", "Text message"
    LETTER = "letter", "Letter"


class LifeDomain(models.TextChoices):
    """The life domains of the holistic "what matters to me" assessment (issue 5)."""

    MENTAL_WELLBEING = "mental_wellbeing", "Mental and emotional wellbeing"
    PHYSICAL_HEALTH = "physical_health", "Physical health and activity"
    SOCIAL_CONNECTION = "social_connection", "Social connection and loneliness"
    HOUSING = "housing", "Home and housing"
    MONEY = "money", "Money and benefits"
    WORK_LEARNING = "work_learning", "Work, learning and volunteering"
    RELATIONSHIPS = "relationships", "Relationships and caring"
    DAILY_LIVING = "daily_living", "Daily living and independence"
    LIFESTYLE = "lifestyle", "Lifestyle"


class NeedLevel(models.IntegerChoices):
    NONE = 0, "No need"
    LOW = 1, "Low need"
    MEDIUM = 2, "Medium need"
    HIGH = 3, "High need"


class GoalStatus(models.TextChoices):
    OPEN = "open", "Working on it"
    ACHIEVED = "achieved", "Achieved"
    PARTLY_ACHIEVED = "partly_achieved", "Partly achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"


class StepOwner(models.TextChoices):
    PERSON = "person", "The person"
    LINK_WORKER = "link_worker", "Link worker"
    FAMILY_OR_CARER = "family_or_carer", "Family or carer"
    SERVICE = "service", "A service"
    OTHER = "other", "Someone else"


class ConnectionStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    REFERRED = "referred", "Referred"
    ACCEPTED = "accepted", "Accepted by the service"
    STARTED = "started", "Started"
    COMPLETED = "completed", "Completed"
    DECLINED_BY_PERSON = "declined_by_person", "Declined by the person"
    # The service said no for a reason other than capacity (not eligible, could not
    # contact...): the VCSE decline needs a status of its own.
    DECLINED_BY_SERVICE = "declined_by_service", "Declined by the service"
    SERVICE_FULL = "service_full", "Service full"
    NO_RESPONSE = "no_response", "No response from the service"


# Connections still going somewhere: at most one of these per case and service.
LIVE_CONNECTION_STATUSES = frozenset(
    {
        ConnectionStatus.SUGGESTED,
        ConnectionStatus.REFERRED,
        ConnectionStatus.ACCEPTED,
        ConnectionStatus.STARTED,
    }
)
DECLINED_CONNECTION_STATUSES = frozenset(
    {
        ConnectionStatus.DECLINED_BY_PERSON,
        ConnectionStatus.DECLINED_BY_SERVICE,
        ConnectionStatus.SERVICE_FULL,
    }
)


class ConnectionDeclineReason(models.TextChoices):
    """Why a connection did not work (findhelp's list)."""

    COULD_NOT_CONTACT = "could_not_contact", "Couldn't contact"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    NO_CAPACITY = "no_capacity", "No capacity"
    COULD_NOT_GET_HELP = "could_not_get_help", "Couldn't get help"
    NO_LONGER_INTERESTED = "no_longer_interested", "No longer interested"
    REFERRED_ELSEWHERE = "referred_elsewhere", "Referred elsewhere"


# --- connection moves ------------------------------------------------------------------

_C = ConnectionStatus

# Sent and not yet answered by the service: its list shows these first.
AWAITING_ANSWER_STATUSES = frozenset({_C.REFERRED, _C.NO_RESPONSE})


class ConnectionSide:
    PERSON = "person"  # the case team's link worker, for the person
    SERVICE = "service"  # a VCSE editor of the receiving organisation
    SYSTEM = "system"  # a deadline passed


# The one table of allowed connection status changes: (side, from) -> the statuses it
# may move to.
# No response is not a decline: the service may still answer late, and the link
# worker may send it again or let it go, but nothing ends without a person deciding.
CONNECTION_MOVES: dict[tuple[str, str], frozenset[str]] = {
    (ConnectionSide.PERSON, _C.SUGGESTED): frozenset({_C.REFERRED, _C.DECLINED_BY_PERSON}),
    (ConnectionSide.PERSON, _C.REFERRED): frozenset({_C.DECLINED_BY_PERSON}),
    (ConnectionSide.PERSON, _C.ACCEPTED): frozenset({_C.STARTED, _C.DECLINED_BY_PERSON}),
    (ConnectionSide.PERSON, _C.STARTED): frozenset({_C.COMPLETED, _C.DECLINED_BY_PERSON}),
    (ConnectionSide.PERSON, _C.NO_RESPONSE): frozenset({_C.REFERRED, _C.DECLINED_BY_PERSON}),
    (ConnectionSide.SERVICE, _C.REFERRED): frozenset(
        {_C.ACCEPTED, _C.DECLINED_BY_SERVICE, _C.SERVICE_FULL, _C.DECLINED_BY_PERSON}
    ),
    (ConnectionSide.SERVICE, _C.NO_RESPONSE): frozenset(
        {_C.ACCEPTED, _C.DECLINED_BY_SERVICE, _C.SERVICE_FULL, _C.DECLINED_BY_PERSON}
    ),
    (ConnectionSide.SERVICE, _C.ACCEPTED): frozenset(
        {_C.STARTED, _C.DECLINED_BY_SERVICE, _C.SERVICE_FULL, _C.DECLINED_BY_PERSON}
    ),
    (ConnectionSide.SERVICE, _C.STARTED): frozenset({_C.COMPLETED, _C.DECLINED_BY_PERSON}),
    (ConnectionSide.SYSTEM, _C.REFERRED): frozenset({_C.NO_RESPONSE}),
}
