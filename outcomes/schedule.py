"""The measure schedule: when each timepoint of a measure is due, as a window of dates.

A baseline is due within ``OUTCOMES_BASELINE_WINDOW_DAYS`` of the case's first contact;
each follow-up within its window of weeks after the baseline
(``OUTCOMES_FOLLOW_UP_WINDOWS``, "12=10-16": the 12-week follow-up between 10 and 16
weeks after it). A record made outside its window is allowed with a reason, labelled,
and never counted as a payable outcome: a "12-week" follow-up on the day of the
baseline shows no change over twelve weeks, whatever its score.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from linkworkers.models import Case
from outcomes.models import Measure, MeasureRecord


@dataclass(frozen=True)
class Window:
    """The dates a timepoint may be recorded on, first and last included."""

    opens: datetime.date
    closes: datetime.date
    rule: str

    def contains(self, day: datetime.date) -> bool:
        return self.opens <= day <= self.closes


def baseline_window(first_contact: datetime.date) -> Window:
    days = settings.OUTCOMES_BASELINE_WINDOW_DAYS
    return Window(
        opens=first_contact,
        closes=first_contact + datetime.timedelta(days=days),
        rule=f"within {days} days of the first contact",
    )


def follow_up_window(week: int, baseline: datetime.date) -> Window:
    try:
        first, last = settings.OUTCOMES_FOLLOW_UP_WINDOWS[week]
    except KeyError:
        raise ImproperlyConfigured(
            f"The {week}-week follow-up has no window in OUTCOMES_FOLLOW_UP_WINDOWS"
        ) from None
    return Window(
        opens=baseline + datetime.timedelta(weeks=first),
        closes=baseline + datetime.timedelta(weeks=last),
        rule=f"{first} to {last} weeks after the baseline",
    )


def window_for(*, case: Case, measure: Measure, follow_up_week: int) -> Window | None:
    """The window of one timepoint; None when it cannot be known yet: a baseline before
    the first contact is recorded (recording it is the first contact, in effect)."""
    if follow_up_week == 0:
        if case.first_contact_at is None:
            return None
        return baseline_window(timezone.localdate(case.first_contact_at))
    baseline = (
        MeasureRecord.objects.filter(case=case, measure=measure, follow_up_week=0)
        .values_list("recorded_on", flat=True)
        .first()
    )
    if baseline is None:
        return None
    return follow_up_window(follow_up_week, baseline)
