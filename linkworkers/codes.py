"""Every code the linkworkers app records, in one place."""

from __future__ import annotations

from django.db import models


class CaseStatus(models.TextChoices):
    AWAITING_CONTACT = "awaiting_contact", "Awaiting first contact"
    ACTIVE = "active", "In progress"
    CLOSED = "closed", "Closed"


OPEN_CASE_STATUSES = frozenset({CaseStatus.AWAITING_CONTACT, CaseStatus.ACTIVE})


class CaseEventKind(models.TextChoices):
    OPENED = "opened", "Case opened"
    FIRST_CONTACT = "first_contact", "First contact made"
    CLOSED = "closed", "Case closed"


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
