"""Recording measures from a case: services and the link worker's pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from outcomes import codes
from outcomes.models import Measure, MeasureAnswer, MeasureRecord
from outcomes.services.measures import measures_sync_builtin
from socialrx.core.models import AuditEvent
from tests.outcomes.factories import record_measure

pytestmark = pytest.mark.django_db


def test_builtin_measures_are_loaded_with_published_items():
    measures = {m.code: m for m in Measure.objects.prefetch_related("items")}
    assert [i.text for i in measures["swemwbs"].items.all()][0] == (
        "I've been feeling optimistic about the future"
    )
    assert measures["swemwbs"].items.count() == 7
    assert measures["ons4"].items.count() == 4
    assert measures["ucla3"].items.count() == 3
    assert measures["ons_loneliness"].items.count() == 1
    assert "© NHS Health Scotland, University of Warwick" in measures["swemwbs"].notice
    measures_sync_builtin()  # idempotent
    assert Measure.objects.count() == 4


def test_record_stores_every_item_and_derives_the_score(case, swemwbs_licence):
    record = record_measure(case, codes.SWEMWBS, [3, 4, 3, 4, 3, 4, 3])
    assert record.timepoint == codes.Timepoint.BASELINE
    assert record.raw_total == 24
    assert record.score == Decimal("21.54")
    assert list(record.answers.values_list("value", flat=True)) == [3, 4, 3, 4, 3, 4, 3]


def test_ons4_is_stored_by_item_and_never_summed(case):
    record = record_measure(case, codes.ONS4, [6, 7, 5, 8])
    assert record.score is None
    assert record.raw_total is None
    assert MeasureAnswer.objects.filter(record=record).count() == 4


def test_follow_ups_follow_the_configured_schedule(case, settings):
    settings.OUTCOMES_FOLLOW_UP_WEEKS = [12, 26]
    # All on one day: the follow-ups are outside their windows, so each needs a reason.
    weeks = [
        record_measure(case, codes.UCLA3, [3, 3, 2], reason="Testing the order").follow_up_week
        for _ in range(3)
    ]
    assert weeks == [0, 12, 26]
    with pytest.raises(ValidationError):
        record_measure(case, codes.UCLA3, [1, 1, 1])


def test_case_measures_page_lists_measures_and_audits(client, link_worker, case, swemwbs_licence):
    record_measure(case, codes.SWEMWBS, [3] * 7, on=datetime.date(2026, 1, 5))
    client.force_login(link_worker)
    response = client.get(reverse("outcomes:case_measures", args=[case.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Metric score 19.25 (raw total 21 of 35)" in body
    assert "12-week follow-up, due 30 March 2026" in body
    assert "© NHS Health Scotland" in body
    assert AuditEvent.objects.filter(
        object_type="linkworkers.case", object_id=str(case.pk)
    ).exists()


def test_case_measures_fragment_for_htmx(client, link_worker, case):
    client.force_login(link_worker)
    response = client.get(
        reverse("outcomes:case_measures", args=[case.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Outcome measures" in response.content


def test_swemwbs_needs_the_licence_switched_on(client, link_worker, case):
    client.force_login(link_worker)
    page = client.get(reverse("outcomes:case_measures", args=[case.pk])).content.decode()
    assert "SWEMWBS" not in page
    url = reverse("outcomes:measure_record", args=[case.pk, codes.SWEMWBS])
    assert client.get(url).status_code == 404


def test_link_worker_records_ons4_through_the_form(client, link_worker, case):
    client.force_login(link_worker)
    url = reverse("outcomes:measure_record", args=[case.pk, codes.ONS4])
    form = client.get(url)
    assert form.status_code == 200
    assert b'type="radio"' in form.content
    response = client.post(url, {"satisfied": 4, "worthwhile": 5, "happy": 6, "anxious": 7})
    assert response.status_code == 302
    record = MeasureRecord.objects.get(case=case)
    detail = client.get(reverse("outcomes:measure_record_detail", args=[case.pk, record.pk]))
    assert b"Anxious 7 (High)" in detail.content


def test_form_errors_when_an_item_is_missing(client, link_worker, case):
    client.force_login(link_worker)
    url = reverse("outcomes:measure_record", args=[case.pk, codes.UCLA3])
    response = client.post(url, {"companionship": 1, "left_out": 2})
    assert response.status_code == 200
    assert b"Select an answer" in response.content
    assert not MeasureRecord.objects.exists()


@pytest.mark.parametrize("name", ["case_measures", "measure_record", "measure_record_detail"])
def test_another_team_gets_404(client, other_org_user, case, name):
    record = record_measure(case, codes.UCLA3, [2, 2, 2])
    args = {
        "case_measures": [case.pk],
        "measure_record": [case.pk, codes.UCLA3],
        "measure_record_detail": [case.pk, record.pk],
    }[name]
    client.force_login(other_org_user)
    assert client.get(reverse(f"outcomes:{name}", args=args)).status_code == 404


def test_roles_without_casework_get_403(client, commissioner, case):
    client.force_login(commissioner)
    assert client.get(reverse("outcomes:case_measures", args=[case.pk])).status_code == 403


def test_case_page_query_count_is_constant(client, link_worker, case, django_assert_num_queries):
    record_measure(case, codes.UCLA3, [2, 2, 2])
    record_measure(case, codes.ONS4, [5, 5, 5, 5])
    client.force_login(link_worker)
    url = reverse("outcomes:case_measures", args=[case.pk])
    client.get(url)
    # 1 the user with their roles (the session comes from the cache), 2 case with
    # referral, person, worker and team, 3 records, 4 their answers, 5 the answers'
    # items, 6 measures the team may record, 7 the audit insert.
    with django_assert_num_queries(QUERIES_ON_CASE_PAGE):
        client.get(url)
    record_measure(case, codes.ONS_LONELINESS, [3])
    with django_assert_num_queries(QUERIES_ON_CASE_PAGE):
        client.get(url)


QUERIES_ON_CASE_PAGE = 7
