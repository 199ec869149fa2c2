"""How a case reads in lists and on its page."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format

from linkworkers import codes
from linkworkers.models import Case

STATUS_TAG: dict[str, str] = {
    codes.CaseStatus.AWAITING_CONTACT: "yellow",
    codes.CaseStatus.ACTIVE: "green",
    codes.CaseStatus.CLOSED: "grey",
}


def _day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j M Y, H:i")
    return date_format(value, "j M Y")


class CaseRow:
    """One row of a caseload. Reads the annotations of ``Case.objects.with_next_actions``."""

    def __init__(self, case: Case, today: datetime.date | None = None) -> None:
        self.case = case
        self.today = today or timezone.localdate()

    @property
    def person(self):  # type: ignore[no-untyped-def]
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
        return getattr(self.case, "attempts", 0)

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
