"""Working days: Monday to Friday, less the bank holidays of England and Wales.

Every deadline counts with this module: the triage and first-contact alerts, the
automatic decline, the connection nudge and "no response", and measure follow-ups.
A deadline counted in working days never lands on a weekend or bank holiday; one counted
in calendar days (the automatic decline, a follow-up 12 weeks on) that would land on one
moves to the next working day, as no one is there to act on it.

Bank holidays come from the ``holidays`` package (England, which shares its bank
holidays with Wales), substitute days included: Boxing Day 2026 is a Saturday, so
Monday 28 December is the holiday.
"""

from __future__ import annotations

import datetime

import holidays
from django.utils import timezone

SATURDAY = 5
ONE_DAY = datetime.timedelta(days=1)

# Years are filled in as they are asked about, so this serves any date.
_BANK_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG")


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < SATURDAY and day not in _BANK_HOLIDAYS


def next_working_day(day: datetime.date) -> datetime.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += ONE_DAY
    return day


def last_working_day(day: datetime.date) -> datetime.date:
    """``day`` itself if it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= ONE_DAY
    return day


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    while days > 0:
        day += ONE_DAY
        if is_working_day(day):
            days -= 1
    return day


def calendar_deadline(start: datetime.date, days: int) -> datetime.date:
    """``days`` calendar days after ``start``, moved on to a working day if need be."""
    return next_working_day(start + datetime.timedelta(days=days))


def started_by_for_calendar_deadline(today: datetime.date, days: int) -> datetime.date:
    """The last start date whose ``calendar_deadline`` has come by ``today``.

    On a working day, ``days`` before it. On a weekend or holiday, nothing new falls
    due (its deadline moved on to the next working day), so ``days`` before the last
    working day.
    """
    return last_working_day(today) - datetime.timedelta(days=days)


def _acting_moment(now: datetime.datetime) -> datetime.datetime:
    """``now`` on a working day; on any other day, the end of the last working day.

    A deadline that fell on a weekend or holiday has moved to the next working day, so
    what is due on such a day is only what was already due when work last stopped.
    """
    local = timezone.localtime(now)
    if is_working_day(local.date()):
        return local
    end = datetime.datetime.combine(last_working_day(local.date()), datetime.time.max)
    return timezone.make_aware(end)


def working_days_before(now: datetime.datetime, days: int) -> datetime.datetime:
    """The cutoff for a deadline of ``days`` working days: whatever started at or
    before the returned moment is due at ``now``.

    The same local time ``days`` working days back (so something received on Monday at
    10:00 is due, at two working days, on Wednesday at 10:00).
    """
    moment = _acting_moment(now)
    counted = 0
    while counted < days:
        moment -= ONE_DAY
        if is_working_day(moment.date()):
            counted += 1
    return moment


def calendar_days_before(now: datetime.datetime, days: int) -> datetime.datetime:
    """The cutoff for a deadline of ``days`` calendar days moved to the next working
    day: whatever started at or before the returned moment is due at ``now``."""
    return _acting_moment(now) - datetime.timedelta(days=days)
