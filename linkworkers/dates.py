"""Working days for deadlines. Weekends only: bank holidays would need a calendar we do
not hold yet, and a deadline a day early is safer than a day late."""

from __future__ import annotations

import datetime

SATURDAY = 5


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < SATURDAY:
            days -= 1
    return day
