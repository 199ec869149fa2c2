"""Reports when the read replica stops: the page still answers, from the primary, and
says so; a report whose replica fails mid-way is built again on the primary."""

import datetime

import pytest
from django.urls import reverse

from outcomes.permissions import report_scope_for
from outcomes.presenters import data_source
from outcomes.reports import build_disclosed
from socialrx.db_routers import ReplicaStatus, replica_in_use
from tests.helpers.replica import replica_not_answering
from tests.outcomes.conftest import RANGE

pytestmark = pytest.mark.django_db

PARAMS = {"start": RANGE[0].isoformat(), "end": RANGE[1].isoformat()}


@pytest.mark.parametrize("page", ["dashboard", "report"])
def test_a_report_page_with_the_replica_stopped_reads_the_primary_and_says_so(
    client, commissioner, make_world, settings, page
):
    # Given referrals in the area, and a replica whose server has stopped
    make_world(30)
    client.force_login(commissioner)
    args = ["activity"] if page == "report" else []
    url = reverse(f"outcomes:{page}", args=args)
    with replica_not_answering(settings):
        # When a commissioner opens the page
        response = client.get(url, PARAMS)

        # Then it is no error page: the figures are the primary's, and it says so
        assert response.status_code == 200
        body = response.content.decode()
        assert body.count('id="data-source"') == 1
        assert "The reporting database is unavailable" in body
        assert not replica_in_use()
    # and without a replica the page says nothing about where its figures come from
    assert 'id="data-source"' not in client.get(url, PARAMS).content.decode()


def test_a_replica_failing_mid_report_rebuilds_it_on_the_primary(
    commissioner, make_world, filters, settings
):
    make_world(30)
    scope = report_scope_for(commissioner)
    expected = build_disclosed("activity", scope=scope, filters=filters)
    with replica_not_answering(settings):
        # When a report starts on the replica (nothing asked it first) and it fails
        built = build_disclosed("activity", scope=scope, filters=filters)

        # Then the report is the primary's, whole, and the replica is set aside
        assert not replica_in_use()
    assert built.tables == expected.tables


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (ReplicaStatus(from_replica=True, age_seconds=0.0), "database, up to date."),
        (ReplicaStatus(from_replica=True, age_seconds=0.4), "database, up to date."),
        (ReplicaStatus(from_replica=True, age_seconds=1.0), ", 1 second behind the main"),
        (ReplicaStatus(from_replica=True, age_seconds=12.6), ", 13 seconds behind the main"),
        (ReplicaStatus(from_replica=True, age_seconds=600.0), ", 10 minutes behind the main"),
        (ReplicaStatus(from_replica=True, age_seconds=3 * 3600.0), ", 3 hours behind the main"),
        (ReplicaStatus(from_replica=True), "how far behind it is is not known"),
        (ReplicaStatus(from_replica=False), "unavailable: these figures come from the main"),
    ],
)
def test_the_page_says_how_old_the_replicas_figures_are(status, text):
    assert text in data_source(status)


def test_one_database_says_nothing():
    assert data_source(None) == ""


def test_the_age_is_whole_seconds():
    assert ReplicaStatus(True, 12.6).age == datetime.timedelta(seconds=13)
