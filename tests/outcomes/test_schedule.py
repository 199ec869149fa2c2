"""The measure schedule: each timepoint has a window; a record outside it needs a reason,
is labelled, and is never a payable outcome; the payment evidence extract lists what is."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse
from django.utils import timezone

from linkworkers import codes as case_codes
from outcomes import codes
from outcomes.models import MeasureRecord, OutcomeTariff, TariffOutcome
from outcomes.payments_evidence import person_key
from outcomes.permissions import report_scope_for
from outcomes.reports import payments
from outcomes.reports.base import ReportFilters
from socialrx.core.models import AuditEvent, Role
from socialrx.envvars import env_week_windows
from tests.factories import OrganisationFactory, user_with_role
from tests.linkworkers.factories import CaseFactory
from tests.outcomes.factories import record_measure

FIRST_CONTACT = datetime.date(2025, 1, 6)
LOW = [1, 2, 1, 2, 1, 2, 1]  # SWEMWBS raw 10: metric 12.40
HIGH = [3, 3, 3, 3, 3, 3, 3]  # raw 21: metric 19.25, a gain of 6.85


def _contacted(team, link_worker, on=FIRST_CONTACT):
    return CaseFactory(
        team=team,
        link_worker=link_worker,
        # Triaged by the team's service, so in the area of the commissioner above it.
        referral__triage_service=team.parent,
        status=case_codes.CaseStatus.ACTIVE,
        first_contact_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(10))),
    )


@pytest.fixture
def contacted(link_worker_team, link_worker, swemwbs_licence):
    return _contacted(link_worker_team, link_worker)


def _weeks(n: int, days: int = 0) -> datetime.date:
    return FIRST_CONTACT + datetime.timedelta(weeks=n, days=days)


# --- the windows --------------------------------------------------------------------


def test_baseline_within_14_days_of_first_contact_is_inside(contacted):
    record = record_measure(contacted, codes.SWEMWBS, LOW, on=_weeks(0, 14))
    assert record.in_window
    assert record.out_of_window_reason == ""


def test_baseline_later_than_14_days_needs_a_reason(contacted):
    with pytest.raises(ValidationError) as raised:
        record_measure(contacted, codes.SWEMWBS, LOW, on=_weeks(0, 15))
    assert "within 14 days of the first contact" in str(raised.value)
    assert "6 January 2025 to 20 January 2025" in str(raised.value)
    assert not MeasureRecord.objects.filter(case=contacted).exists()

    record = record_measure(
        contacted, codes.SWEMWBS, LOW, on=_weeks(0, 15), reason="They were in hospital"
    )
    assert not record.in_window
    assert record.out_of_window_reason == "They were in hospital"


def test_follow_ups_on_the_day_of_the_baseline_are_refused_without_a_reason(contacted):
    # The gamed record of the issue: 12- and 26-week follow-ups the day of the baseline.
    record_measure(contacted, codes.SWEMWBS, LOW, on=FIRST_CONTACT)
    with pytest.raises(ValidationError, match="10 to 16 weeks after the baseline"):
        record_measure(contacted, codes.SWEMWBS, HIGH, on=FIRST_CONTACT)

    twelve = record_measure(contacted, codes.SWEMWBS, HIGH, on=FIRST_CONTACT, reason="Moving away")
    with pytest.raises(ValidationError, match="22 to 30 weeks after the baseline"):
        record_measure(contacted, codes.SWEMWBS, HIGH, on=FIRST_CONTACT)
    assert (twelve.follow_up_week, twelve.in_window) == (12, False)


@pytest.mark.parametrize(
    ("on", "inside"),
    [
        (_weeks(10, -1), False),
        (_weeks(10), True),
        (_weeks(16), True),
        (_weeks(16, 1), False),
    ],
)
def test_the_12_week_window_runs_from_10_to_16_weeks_after_the_baseline(contacted, on, inside):
    record_measure(contacted, codes.SWEMWBS, LOW, on=FIRST_CONTACT)
    record = record_measure(contacted, codes.SWEMWBS, HIGH, on=on, reason="Late or early")
    assert record.in_window is inside
    # A reason given for a record inside its window is not kept: there is nothing to explain.
    assert record.out_of_window_reason == ("" if inside else "Late or early")


def test_the_windows_come_from_settings(contacted, settings):
    settings.OUTCOMES_BASELINE_WINDOW_DAYS = 30
    settings.OUTCOMES_FOLLOW_UP_WINDOWS = {12: (11, 13), 26: (22, 30)}
    assert record_measure(contacted, codes.SWEMWBS, LOW, on=_weeks(0, 30)).in_window
    with pytest.raises(ValidationError, match="11 to 13 weeks"):
        record_measure(contacted, codes.SWEMWBS, HIGH, on=_weeks(10, 30))


def test_window_settings_are_read_and_bad_ones_refused(monkeypatch):
    monkeypatch.setenv("SX_TEST_WINDOWS", "12=10-16, 26=22-30")
    assert env_week_windows("SX_TEST_WINDOWS", default="") == {12: (10, 16), 26: (22, 30)}
    for bad in ("12=16-10", "12:10-16", "12=13-16", "twelve=10-16"):
        monkeypatch.setenv("SX_TEST_WINDOWS", bad)
        with pytest.raises(ImproperlyConfigured, match="SX_TEST_WINDOWS"):
            env_week_windows("SX_TEST_WINDOWS", default="")


# --- the pages ------------------------------------------------------------------------


def test_the_form_asks_for_a_reason_outside_the_window_and_the_case_shows_the_label(
    client, link_worker, link_worker_team, swemwbs_licence
):
    # Given a baseline recorded today, so the 12-week follow-up is not due for 10 weeks
    contacted = _contacted(link_worker_team, link_worker, on=timezone.localdate())
    record_measure(contacted, codes.SWEMWBS, LOW)
    client.force_login(link_worker)
    url = reverse("outcomes:measure_record", args=[contacted.pk, codes.SWEMWBS])
    items = MeasureRecord.objects.get(case=contacted).measure.items.order_by("position")
    answers = {item.code: 3 for item in items}

    page = client.get(url)
    assert "Today is outside that window" in page.content.decode()
    assert "Why are you recording it outside its window?" in page.content.decode()

    # When it is sent with no reason, the form says what is missing
    refused = client.post(url, answers)
    assert refused.status_code == 200
    assert "Give the reason for recording it outside its window" in refused.content.decode()
    assert MeasureRecord.objects.filter(case=contacted).count() == 1

    # Then with a reason it is kept, and labelled on the case's measures
    client.post(url, answers | {"out_of_window_reason": "Leaving the area next week"})
    follow_up = MeasureRecord.objects.get(case=contacted, follow_up_week=12)
    assert follow_up.out_of_window_reason == "Leaving the area next week"
    listing = client.get(reverse("outcomes:case_measures", args=[contacted.pk])).content.decode()
    assert listing.count("Outside its window") == 1
    detail = client.get(
        reverse("outcomes:measure_record_detail", args=[contacted.pk, follow_up.pk])
    ).content.decode()
    assert "Leaving the area next week" in detail


def test_inside_the_window_the_form_asks_no_reason(client, link_worker, contacted):
    client.force_login(link_worker)
    page = client.get(reverse("outcomes:measure_record", args=[contacted.pk, codes.SWEMWBS]))
    # First contact was long ago, so today's baseline is late; a fresh contact is not.
    assert "Today is outside that window" in page.content.decode()
    fresh = _contacted(contacted.team, contacted.link_worker, on=timezone.localdate())
    page = client.get(reverse("outcomes:measure_record", args=[fresh.pk, codes.SWEMWBS]))
    assert "Today is outside that window" not in page.content.decode()


# --- payable outcomes and their evidence -------------------------------------------


@pytest.fixture
def evidenced_world(area, link_worker_team, link_worker, swemwbs_licence):
    """Two people improving by the same amount: one recorded inside the windows, one
    with the 12-week follow-up on the day of the baseline."""
    inside = _contacted(link_worker_team, link_worker)
    record_measure(inside, codes.SWEMWBS, LOW, on=FIRST_CONTACT)
    record_measure(inside, codes.SWEMWBS, HIGH, on=_weeks(12))
    gamed = _contacted(link_worker_team, link_worker, on=_weeks(12))
    record_measure(gamed, codes.SWEMWBS, LOW, on=_weeks(12))
    record_measure(gamed, codes.SWEMWBS, HIGH, on=_weeks(12), reason="Same day")
    OutcomeTariff.objects.create(
        commissioner=area, name="=Wellbeing improved", outcome=TariffOutcome.SWEMWBS_IMPROVED,
        price=Decimal("500.00"), valid_from=datetime.date(2024, 4, 1),
    )  # fmt: skip
    return inside, gamed


PERIOD = {"start": "2025-01-01", "end": "2025-06-30"}


def test_payments_count_only_outcomes_recorded_inside_their_windows(evidenced_world, commissioner):
    filters = ReportFilters(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 6, 30))
    report = payments.build(scope=report_scope_for(commissioner), filters=filters)
    row = report.tables[0].rows[0]
    assert (row["n"], row["payable"]) == (1, 1)
    assert any("recorded inside its window" in note for note in report.notes)


def test_the_evidence_extract_lists_each_payable_outcome_pseudonymised(
    client, evidenced_world, commissioner
):
    inside, gamed = evidenced_world
    client.force_login(commissioner)
    response = client.get(reverse("outcomes:payment_evidence_csv"), PERIOD)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    row = rows[0]
    # The tariff name starts with "=": escaped, so a spreadsheet shows it as text.
    assert row["tariff"] == "'=Wellbeing improved"
    assert row["person_key"] == person_key(inside.pk)
    assert row["person_key"] != f"P-{inside.pk}"
    assert (row["baseline_on"], row["achieved_on"]) == ("2025-01-06", "2025-03-31")
    assert (row["baseline_score"], row["follow_up_score"]) == ("12.4", "19.25")
    assert row["follow_up_week"] == "12"
    assert row["threshold"] == "3"
    person = inside.referral.person
    assert person.family_name not in text
    assert person_key(gamed.pk) not in text
    entry = AuditEvent.objects.get(object_type="outcomes.payment_evidence")
    assert (entry.actor, entry.action) == (commissioner, "export")
    assert entry.detail["start"] == "2025-01-01"


def test_the_evidence_page_describes_the_file(client, commissioner):
    client.force_login(commissioner)
    assert reverse("outcomes:payment_evidence") in client.get(reverse("home")).content.decode()
    page = client.get(reverse("outcomes:payment_evidence")).content.decode()
    assert "person_key" in page
    assert "Download the payment evidence (CSV)" in page


def test_bad_dates_come_back_with_the_error(client, commissioner):
    client.force_login(commissioner)
    response = client.get(
        reverse("outcomes:payment_evidence_csv"), {"start": "2025-06-30", "end": "2025-01-01"}
    )
    assert response.status_code == 400
    assert "The end date must be on or after the start date" in response.content.decode()
    assert not AuditEvent.objects.filter(object_type="outcomes.payment_evidence").exists()


@pytest.mark.parametrize("who", ["service_manager", "link_worker", "triage_lead"])
def test_only_commissioners_get_the_evidence(client, request, who, evidenced_world):
    client.force_login(request.getfixturevalue(who))
    for name in ("outcomes:payment_evidence", "outcomes:payment_evidence_csv"):
        assert client.get(reverse(name), PERIOD).status_code == 403


def test_another_commissioner_sees_none_of_the_evidence(client, evidenced_world):
    client.force_login(user_with_role(Role.COMMISSIONER, OrganisationFactory(org_type="icb")))
    response = client.get(reverse("outcomes:payment_evidence_csv"), PERIOD)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.strip().splitlines() == [text.strip().splitlines()[0]]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("outcomes:payment_evidence_csv"), PERIOD)
    assert response.status_code == 302
