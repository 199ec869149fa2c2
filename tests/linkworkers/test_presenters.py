"""How a case reads in lists: dates as the reader's time zone and language write them."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from linkworkers.models import Case
from linkworkers.presenters.cases import CaseRow


def _row(next_appointment_at: datetime.datetime) -> CaseRow:
    # Presenters read only the fields they are given: no database needed.
    case = Case(next_appointment_at=next_appointment_at)
    return CaseRow(case, today=next_appointment_at.date())


def test_the_same_appointment_reads_in_each_time_zone_its_own_way():
    # Dates are formatted once and kept (a list shows the same few dozen): the same
    # instant must still read as each reader's local time.
    moment = datetime.datetime(2099, 7, 1, 9, 30, tzinfo=datetime.UTC)

    with timezone.override(ZoneInfo("Europe/London")):
        london = _row(moment).next_appointment
    with timezone.override(ZoneInfo("UTC")):
        utc = _row(moment).next_appointment
    with timezone.override(ZoneInfo("Europe/London")):
        london_again = _row(moment).next_appointment

    assert (london, utc, london_again) == ("1 Jul 2099, 10:30", "1 Jul 2099, 09:30", london)


def test_month_names_follow_the_active_language():
    moment = datetime.datetime(2099, 5, 3, 12, 0, tzinfo=datetime.UTC)

    with translation.override("en-gb"):
        english = _row(moment).next_appointment
    with translation.override("de"):
        german = _row(moment).next_appointment

    assert english.startswith("3 May 2099")
    assert german.startswith("3 Mai 2099")
