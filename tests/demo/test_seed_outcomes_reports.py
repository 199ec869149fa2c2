"""The commissioner's reports over the Northshire demo data agree with counts made here
directly from the records, independently of the report code."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.seeds import history
from linkworkers.models import Case
from outcomes.disclosure import disclose
from outcomes.models import MeasureRecord
from outcomes.permissions import report_scope_for
from outcomes.reports import activity, payments, wellbeing
from outcomes.reports.base import ReportFilters, default_range
from referrals.models import Referral, ReferralReason
from socialrx.core.models import User

pytestmark = pytest.mark.django_db


def _rows(report, key):
    return next(t for t in report.tables if t.key == key).rows


def test_activity_over_the_demo_matches_the_records(settings):
    # Given the whole Northshire demo, and the ICB commissioner who covers every practice
    settings.DEBUG = True
    call_command("seed_demo")
    commissioner = User.objects.get(email="commissioner@northshire.example")
    today = timezone.localdate()
    filters = ReportFilters(start=today - datetime.timedelta(days=365), end=today)

    # When the activity report is built for the last year
    report = activity.build(scope=report_scope_for(commissioner), filters=filters)

    # Then referrals per PCN are what the records say
    referrals = list(Referral.objects.select_related("person__registered_practice__parent"))
    assert len(referrals) >= 60
    expected = Counter(r.person.registered_practice.parent.name for r in referrals)
    by_pcn = Counter()
    for row in _rows(report, "referrals_by_period"):
        by_pcn[row["pcn"]] += row["n"]
    assert by_pcn == expected

    # And every reason is counted once per referral that gave it
    reasons = {row["label"]: row["n"] for row in _rows(report, "reasons")}
    given = Counter(r.get_reason_display() for r in ReferralReason.objects.all())
    assert {label: n for label, n in reasons.items() if n} == dict(given)

    # And the commissioner sees those counts only through disclosure control
    shown = report.disclosed()
    table = next(t for t in shown.tables if t.key == "referrals_by_period")
    assert sorted(str(row[2]) for row in table.rows) == sorted(
        str(disclose(row["n"])) for row in _rows(report, "referrals_by_period")
    )
    assert Case.objects.exists()  # the demo's casework is part of what was reported on


def test_the_demo_shows_wellbeing_change_from_follow_ups_inside_their_windows(settings):
    # Given the whole Northshire demo, and the ICB commissioner
    settings.DEBUG = True
    call_command("seed_demo")
    commissioner = User.objects.get(email="commissioner@northshire.example")
    start, end = default_range()
    filters = ReportFilters(start=start, end=end)
    scope = report_scope_for(commissioner)

    # When the wellbeing report is built over the dashboard's default period
    swemwbs = wellbeing.summarise(scope, filters, wellbeing.scales()[0])

    # Then enough people are paired to pass disclosure control, and wellbeing improved
    assert swemwbs["n"] >= 20
    assert swemwbs["change"] > 0
    assert swemwbs["improved"] > 7
    # And every follow-up is inside its window but the one recorded early, with its reason
    outside = MeasureRecord.objects.filter(in_window=False)
    assert [r.out_of_window_reason for r in outside] == [history.EARLY]
    # And those evidenced outcomes are payable
    row = payments.build(scope=scope, filters=filters).tables[0].rows[0]
    assert row["payable"] > 7
