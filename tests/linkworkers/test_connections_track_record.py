"""A service's track record: median days to respond and share accepted, last 90 days."""

import datetime

import pytest
from django.utils import timezone

from directory.models import Service
from linkworkers import codes
from linkworkers.connections.track_record import (
    TrackRecord,
    track_record_for,
    track_record_since,
    with_track_record,
)
from linkworkers.models import ConnectionEvent
from tests.directory.factories import service_with
from tests.linkworkers.factories import ConnectionFactory

S = codes.ConnectionStatus
DAY = datetime.timedelta(days=1)


def _connection(service, *, status, waited_days=None, referred_days_ago=10, accepted=False):
    referred_at = timezone.now() - referred_days_ago * DAY
    connection = ConnectionFactory(
        service=service,
        status=status,
        consent_to_share=True,
        referred_at=referred_at,
        responded_at=None if waited_days is None else referred_at + waited_days * DAY,
        decline_reason=(
            codes.ConnectionDeclineReason.NOT_ELIGIBLE if status == S.DECLINED_BY_SERVICE else ""
        ),
    )
    if accepted:
        ConnectionEvent.objects.create(
            connection=connection, from_status=S.REFERRED, to_status=S.ACCEPTED
        )
    return connection


@pytest.fixture
def service(db) -> Service:
    return service_with(name="Walking for health")


def test_median_of_an_even_number_of_answers_is_the_mean_of_the_middle_two(service):
    for days in (1, 2, 4, 9):
        _connection(service, status=S.ACCEPTED, waited_days=days, accepted=True)

    record = track_record_for(service)

    assert record.median_days == pytest.approx(3.0)
    assert record.answered == 4


def test_median_of_an_odd_number_of_answers_is_the_middle_one(service):
    for days in (5, 0.5, 2):
        _connection(service, status=S.DECLINED_BY_SERVICE, waited_days=days)

    assert track_record_for(service).median_days == pytest.approx(2.0)


def test_share_accepted_counts_no_response_against_the_service_and_ignores_waiting(service):
    _connection(service, status=S.ACCEPTED, waited_days=1, accepted=True)
    # Accepted, then started: still an acceptance.
    _connection(service, status=S.STARTED, waited_days=2, accepted=True)
    _connection(service, status=S.DECLINED_BY_SERVICE, waited_days=3)
    _connection(service, status=S.NO_RESPONSE)
    # Still waiting for an answer: says nothing yet.
    _connection(service, status=S.REFERRED)

    record = track_record_for(service)

    assert (record.accepted, record.decided) == (2, 4)
    assert record.accepted_text == "50% (2 of 4)"
    assert record.response_text == "2 days (median of 3)"


def test_only_the_last_90_days_count(service):
    _connection(service, status=S.ACCEPTED, waited_days=1, accepted=True, referred_days_ago=91)

    record = track_record_for(service)

    assert record == TrackRecord(median_days=None, answered=0, decided=0, accepted=0)
    assert record.response_text == "No answers yet"
    assert record.accepted_text == "No decisions yet"


def test_each_service_gets_its_own_record_in_one_query(service, django_assert_num_queries):
    other = service_with(name="Lunch club")
    _connection(service, status=S.ACCEPTED, waited_days=1, accepted=True)
    _connection(other, status=S.ACCEPTED, waited_days=6, accepted=True)
    _connection(other, status=S.ACCEPTED, waited_days=8, accepted=True)

    # One query: the services with their records as subqueries.
    with django_assert_num_queries(1):
        services = list(
            with_track_record(Service.objects.order_by("name"), since=track_record_since())
        )

    records = {s.name: TrackRecord.of(s) for s in services}
    assert records["Walking for health"].median_days == pytest.approx(1.0)
    assert records["Lunch club"].median_days == pytest.approx(7.0)
