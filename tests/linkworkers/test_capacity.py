"""Live weekly capacity: places counted from this week's connections, a full service
refused (or gone ahead with, recorded as unmet demand), reopening when the week turns
or a place is freed, and the last place taken by exactly one of two link workers."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection as db_connection
from django.db import connections
from django.utils import timezone

from directory.capacity import week_capacity
from linkworkers import codes
from linkworkers.connections.capacity import service_week
from linkworkers.connections.services.lifecycle import (
    connection_create,
    connection_decline,
    is_accepting,
)
from linkworkers.models import Connection, UnmetNeed
from tests.directory.factories import ServiceCapacityFactory
from tests.linkworkers.factories import CaseFactory, ConnectionFactory

S = codes.ConnectionStatus


@pytest.fixture
def service(db):
    return ServiceCapacityFactory(maximum=2).service


def _case(link_worker, link_worker_team):
    return CaseFactory(team=link_worker_team, link_worker=link_worker)


def _refer(case, service, actor, **extra):
    return connection_create(
        case=case, service=service, actor=actor, domain=codes.LifeDomain.SOCIAL_CONNECTION,
        consent_to_share=True, send_now=True, **extra,
    )  # fmt: skip


@pytest.mark.django_db
def test_the_limit_counts_this_weeks_referrals_and_refuses_the_next(
    service, link_worker, link_worker_team
):
    for _ in range(2):
        _refer(_case(link_worker, link_worker_team), service, link_worker)
    week = week_capacity(service)
    assert (week.taken, week.limit, week.full) == (2, 2, True)
    assert week.text == "Full this week (2 of 2 places taken)"
    assert not is_accepting(service)
    with pytest.raises(ValidationError, match="full this week: all 2 places are taken"):
        _refer(_case(link_worker, link_worker_team), service, link_worker)


@pytest.mark.django_db
def test_going_ahead_with_a_full_service_records_unmet_demand(
    service, link_worker, link_worker_team
):
    for _ in range(2):
        _refer(_case(link_worker, link_worker_team), service, link_worker)
    third = _refer(
        _case(link_worker, link_worker_team), service, link_worker, confirm_not_accepting=True
    )
    assert third.not_accepting_confirmed
    assert UnmetNeed.objects.filter(service=service).count() == 1


@pytest.mark.django_db
def test_a_declined_place_frees_up_and_last_weeks_do_not_count(
    service, link_worker, link_worker_team, vcse_editor
):
    first = _refer(_case(link_worker, link_worker_team), service, link_worker)
    # A connection referred last week holds no place this week.
    last_week = ConnectionFactory(service=service, status=S.ACCEPTED, consent_to_share=True)
    Connection.objects.filter(pk=last_week.pk).update(
        referred_at=timezone.now() - datetime.timedelta(days=8)
    )
    _refer(_case(link_worker, link_worker_team), service, link_worker)
    assert week_capacity(service).full
    # When the service declines the first, its place is free again.
    service.organization.organisation = vcse_editor.organisations_with_role("vcse_editor")[0]
    service.organization.save()
    connection_decline(
        connection=first, actor=vcse_editor, reason=codes.ConnectionDeclineReason.NOT_ELIGIBLE
    )
    assert week_capacity(service).text == "1 of 2 places left this week"
    week = service_week(service)
    assert (week.asked, week.accepted, week.taken, week.limit) == (2, 0, 1, 2)


@pytest.mark.django_db
def test_next_week_the_service_reopens(service, link_worker, link_worker_team):
    for _ in range(2):
        _refer(_case(link_worker, link_worker_team), service, link_worker)
    next_week = timezone.now() + datetime.timedelta(days=7)
    from directory.capacity import with_places_taken
    from directory.models import Service

    taken = with_places_taken(Service.objects.filter(pk=service.pk), next_week).get().places_taken
    assert taken == 0


@pytest.mark.django_db
def test_search_results_count_each_weeks_places_with_their_sql_built_once_a_week(
    service, link_worker, link_worker_team, monkeypatch
):
    from directory import selectors
    from socialrx.core.capacity import week_bounds

    for _ in range(2):
        _refer(_case(link_worker, link_worker_team), service, link_worker)
    assert [s.places_taken for s in selectors.search_results_of([service.pk])] == [2]
    next_week = timezone.now() + datetime.timedelta(days=7)
    monkeypatch.setattr(selectors, "week_bounds", lambda: week_bounds(next_week))
    assert [s.places_taken for s in selectors.search_results_of([service.pk])] == [0]


@pytest.mark.skipif(
    db_connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks all)"
)
@pytest.mark.django_db(transaction=True)
def test_two_link_workers_taking_the_last_place_at_once_one_gets_it(link_worker, link_worker_team):
    # Given a service with one place left this week and two cases ready to refer
    service = ServiceCapacityFactory(maximum=1).service
    cases = [_case(link_worker, link_worker_team) for _ in range(2)]
    start = threading.Barrier(2)
    results: list[str] = []

    def refer(case):
        # Each thread has its own database connection and so its own transaction.
        try:
            start.wait(timeout=10)
            _refer(case, service, link_worker)
            results.append("referred")
        except ValidationError as error:
            results.append(" ".join(error.messages))
        finally:
            connections.close_all()

    # When both send their referral at the same moment
    threads = [threading.Thread(target=refer, args=(case,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # Then exactly one has the place and the other is told the service is full
    assert sorted(results)[1] == "referred"
    assert "full this week" in sorted(results)[0]
    assert Connection.objects.filter(service=service, status=S.REFERRED).count() == 1
