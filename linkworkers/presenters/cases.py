"""How a case reads in lists and on its page."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from linkworkers import codes
from linkworkers.models import Assessment, Case, CaseStatusEvent, Contact
from referrals.presenters import ReferralPresenter, person_rows
from socialrx.core.templatetags.nhsuk import tag_html

STATUS_TAG: dict[str, str] = {
    codes.CaseStatus.AWAITING_CONTACT: "yellow",
    codes.CaseStatus.ACTIVE: "green",
    codes.CaseStatus.CLOSED: "grey",
}


def _day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        # Naive local time in the key: aware datetimes hash by instant, and the same
        # instant reads differently in another time zone.
        local = timezone.localtime(value).replace(tzinfo=None)
        return _formatted(local, "j M Y, H:i", get_language())
    return _formatted(value, "j M Y", get_language())


@functools.lru_cache(maxsize=1024)
def _formatted(value: datetime.date, pattern: str, language: str | None) -> str:
    """A date as the active language writes it, worked out once per date: a caseload
    shows fifty dates, and Django's formatting (month names through gettext) cost a
    tenth of the page (issue 17). The language is in the key, so a page in another
    language never gets these words."""
    return date_format(value, pattern)


class CaseRow:
    """One row of a caseload. Reads the annotations of ``Case.objects.with_next_actions``."""

    def __init__(self, case: Case, today: datetime.date | None = None, url: str = "") -> None:
        self.case = case
        self.today = today or timezone.localdate()
        self.url = url  # the case page, where a list links to it

    @property
    def person(self):
        return self.case.referral.person

    @property
    def status_label(self) -> str:
        return self.case.get_status_display()

    @property
    def tag_colour(self) -> str:
        return STATUS_TAG.get(self.case.status, "")

    @property
    def first_contact_due(self) -> str:
        if self.case.status != codes.CaseStatus.AWAITING_CONTACT:
            return "Made"
        return _day(self.case.first_contact_due_on)

    @property
    def first_contact_overdue(self) -> bool:
        return (
            self.case.status == codes.CaseStatus.AWAITING_CONTACT
            and self.case.first_contact_due_on < self.today
        )

    @property
    def attempts(self) -> int:
        """The list query's annotation, or on the case page (which has the contacts
        already) counted from them."""
        annotated = getattr(self.case, "attempts", None)
        if annotated is not None:
            return int(annotated)
        return sum(1 for contact in self.case.contacts.all() if not contact.successful)

    @property
    def next_appointment(self) -> str:
        moment = self.case.next_appointment_at
        return _day(moment) if moment and moment >= timezone.now() else ""

    @property
    def review_due(self) -> str:
        return _day(getattr(self.case, "review_due_on", None))

    @property
    def review_overdue(self) -> bool:
        due = getattr(self.case, "review_due_on", None)
        return due is not None and due < self.today

    @property
    def days_open(self) -> int:
        return self.case.days_open(self.today)


class CaseloadRow:
    """One row of the caseload, its cells worked out once as finished text (a ``CaseRow``
    read once): the template then reads one name per cell, where it spent a good part of
    the page's time walking ``row.person.full_name``, formatting numbers and rendering a
    tag tag by tag (issue 17)."""

    __slots__ = (
        "case", "url", "name", "nhs_number", "status", "first_contact", "attempts",
        "next_appointment", "review", "days_open",
    )  # fmt: skip

    def __init__(self, case: Case, today: datetime.date, url: str = "") -> None:
        row = CaseRow(case, today, url)
        person = row.person
        self.case = case
        self.url = url
        self.name = person.full_name
        self.nhs_number = person.nhs_number_display
        self.status = tag_html(row.status_label, row.tag_colour)
        self.first_contact = _with_overdue(row.first_contact_due, row.first_contact_overdue)
        self.attempts = str(row.attempts)
        self.next_appointment = row.next_appointment or "None booked"
        self.review = _with_overdue(row.review_due or "No plan yet", row.review_overdue)
        self.days_open = str(row.days_open)


def _with_overdue(text: str, overdue: bool) -> SafeString:
    escaped = escape(text)
    return mark_safe(f"{escaped} {tag_html('Overdue', 'red')}") if overdue else escaped


@dataclass(frozen=True)
class Row:
    key: str
    value: str


class ContactRow:
    def __init__(self, contact: Contact) -> None:
        self.contact = contact

    @property
    def when(self) -> str:
        return _day(self.contact.occurred_at)

    @property
    def outcome(self) -> str:
        return "Spoke" if self.contact.successful else "Attempt, no answer"

    @property
    def tag_colour(self) -> str:
        return "green" if self.contact.successful else "grey"

    @property
    def duration(self) -> str:
        minutes = self.contact.duration_minutes
        return f"{minutes} minutes" if minutes else ""


class CasePresenter:
    """The case page: next actions, the referral's facts and the history."""

    def __init__(self, case: Case, today: datetime.date | None = None) -> None:
        self.case = case
        self.row = CaseRow(case, today)

    @property
    def status_label(self) -> str:
        if self.case.status == codes.CaseStatus.CLOSED:
            return f"Closed: {self.case.get_closure_outcome_display().lower()}"
        return self.case.get_status_display()

    @property
    def tag_colour(self) -> str:
        return self.row.tag_colour

    def next_action_rows(self) -> list[Row]:
        rows = [
            Row("First contact due", self.row.first_contact_due),
            Row("Attempts so far", str(self.row.attempts)),
            Row("Next appointment", self.row.next_appointment or "None booked"),
            Row("Review due", self.row.review_due or "No support plan yet"),
            Row("Days open", str(self.row.days_open)),
        ]
        return rows

    def referral_rows(self) -> list[Row]:
        referral = self.case.referral
        return [
            Row("Reference", referral.reference),
            Row("Referred by", str(referral.referring_organisation or "Self-referral")),
            Row("Reasons", ReferralPresenter(referral).reasons),
            Row("What matters to them", referral.what_matters),
            Row("Safeguarding concerns", referral.safeguarding_concerns or "None recorded"),
            Row("Lone working risks", referral.lone_working_risks or "None recorded"),
        ]

    def person_rows(self) -> list[Row]:
        return person_rows(self.case.referral.person)  # type: ignore[return-value]

    def contact_rows(self) -> list[ContactRow]:
        return [ContactRow(c) for c in self.case.contacts.all()]

    def latest_assessment(self) -> Assessment | None:
        assessments = list(self.case.assessments.all())
        return assessments[-1] if assessments else None

    def events(self) -> list[CaseStatusEvent]:
        return list(self.case.events.all())
