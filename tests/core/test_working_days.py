"""Working days: weekends and England and Wales bank holidays are skipped by every
deadline. Christmas 2026 is the example: Friday 25 December, Boxing Day on Saturday 26
with its substitute holiday on Monday 28, so Tuesday 29 December is the next working day.
"""

import datetime
import zoneinfo

import pytest

from socialrx.core.working_days import (
    add_working_days,
    calendar_days_before,
    calendar_deadline,
    is_working_day,
    last_working_day,
    next_working_day,
    started_by_for_calendar_deadline,
    working_days_before,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")


def day(month: int, d: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, d)


def at(month: int, d: int, hour: int = 10, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, d, hour, 0, tzinfo=LONDON)


def end_of(month: int, d: int, year: int = 2026) -> datetime.datetime:
    return datetime.datetime.combine(day(month, d, year), datetime.time.max, tzinfo=LONDON)


def test_bank_holidays_of_england_and_wales_are_not_working_days():
    assert not is_working_day(day(12, 25))  # Christmas Day, a Friday
    assert not is_working_day(day(12, 28))  # Boxing Day's substitute, a Monday
    assert not is_working_day(day(8, 31))  # summer bank holiday
    assert not is_working_day(day(12, 26))  # a Saturday anyway
    assert is_working_day(day(12, 24))
    assert is_working_day(day(12, 29))
    # Scotland's own holidays are not England's: 2 January is a working day here.
    assert is_working_day(day(1, 2, 2026))


def test_a_deadline_that_would_fall_on_christmas_day_moves_to_the_next_working_day():
    assert next_working_day(day(12, 25)) == day(12, 29)
    # 14 calendar days after Friday 11 December is Christmas Day.
    assert calendar_deadline(day(12, 11), 14) == day(12, 29)
    assert calendar_deadline(day(12, 10), 14) == day(12, 24)  # a working day: unchanged
    assert last_working_day(day(12, 28)) == day(12, 24)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (day(6, 10), 2, day(6, 12)),  # Wednesday -> Friday
        (day(6, 11), 2, day(6, 15)),  # Thursday -> Monday, over the weekend
        (day(6, 13), 1, day(6, 15)),  # from a Saturday: Monday is the first
        (day(12, 23), 2, day(12, 29)),  # over Christmas and Boxing Day's substitute
        (day(12, 23), 5, day(1, 4, 2027)),  # ... and New Year's Day 2027 (a Friday)
        (day(6, 10), 0, day(6, 10)),
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


@pytest.mark.parametrize(
    ("now", "days", "cutoff"),
    [
        (at(6, 10), 2, at(6, 8)),  # Wednesday -> Monday, same time
        (at(6, 8), 2, at(6, 4)),  # Monday -> Thursday, over the weekend
        (at(6, 10), 5, at(6, 3)),  # a working week
        (at(12, 29), 2, at(12, 23)),  # Tuesday after Christmas -> Wednesday before it
        # On a weekend or holiday, only what was due when work stopped is due.
        (at(6, 13), 2, end_of(6, 10)),  # Saturday: as at the end of Friday
        (at(12, 28, hour=12), 2, end_of(12, 22)),  # the substitute holiday
    ],
)
def test_working_days_before_is_the_cutoff_for_a_working_day_deadline(now, days, cutoff):
    assert working_days_before(now, days) == cutoff
    # Its inverse: something received at the cutoff falls due at the moment, or on the
    # next working day after it (weekend and holiday cutoffs are a working day's end).
    if cutoff.time() != datetime.time.max:
        assert add_working_days(cutoff.date(), days) == now.date()


def test_calendar_days_before_is_the_cutoff_for_a_moved_calendar_deadline():
    # On a working day, plain calendar days.
    assert calendar_days_before(at(12, 24), 14) == at(12, 10)
    # From Christmas Day to the substitute holiday nothing new falls due...
    for holiday in (at(12, 25), at(12, 26), at(12, 27), at(12, 28)):
        assert calendar_days_before(holiday, 14) == end_of(12, 10)
    # ... and on Tuesday 29 December everything held over is.
    assert calendar_days_before(at(12, 29, hour=7), 14) == at(12, 15, hour=7)


def test_started_by_for_calendar_deadline_matches_calendar_deadline():
    start = day(12, 1)
    for offset in range(60):
        today = start + datetime.timedelta(days=offset)
        last_due = started_by_for_calendar_deadline(today, 14)
        # The last start that is due is due, and the one after it is not yet.
        assert calendar_deadline(last_due, 14) <= today
        assert calendar_deadline(last_due + datetime.timedelta(days=1), 14) > today
