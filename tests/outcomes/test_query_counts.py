"""Each report page and the dashboard take a fixed number of queries: the figures are
aggregated in the database, so more referrals, practices, link workers, tariffs, archived
files or subscriptions add rows to the tables, never queries to the page."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outcomes.models import (
    OutcomeTariff,
    PopulationDimension,
    PracticePopulation,
    ReportFile,
    RunStatus,
    TariffOutcome,
)
from outcomes.services.archive import subscription_create
from socialrx.core.models import OrganisationType, Role
from tests.factories import OrganisationFactory, user_with_role
from tests.outcomes.world import build_world

pytestmark = pytest.mark.django_db

PARAMS = {"start": "2025-01-01", "end": "2025-06-30", "period": "quarter"}

# Every page starts with the same one: 1. the user with their memberships and their
# organisations (the role check, and the user's area; the session comes from the cache).
# The report pages end, rendering the filter form, with 2.-4. the services, PCNs and
# practices it offers (their ids cached for an hour per area: working them out scans the
# area's history).
FRAME = 4
# Each report's own aggregates, one query per table or fixed statistic:
REPORT_QUERIES = {
    # referrals by period, PCN, source and status (the period, source and triage tables);
    # by reason; days to triage and to first contact, one frequency table; cases by
    # closure outcome with conversations per closed case; caseload per link worker
    "activity": 5,
    # month by month: referrals; days to triage and first contact (one frequency table);
    # cases opened; SWEMWBS paired change
    "trends": 4,
    # referrals per 1,000 by practice (list size as a subquery); then for each of age
    # band, sex and ethnic group (a fixed 3): referrals by group and the population by group
    "reach": 7,
    # one paired-change aggregate per scale (SWEMWBS, the four ONS4 questions, UCLA-3: a
    # fixed 6, set in code, not by data); the measures' copyright notices
    "wellbeing": 7,
    # connections by month and service against capacity; refused for capacity by
    # organisation and month; unmet needs by domain; by postcode district and domain
    "demand": 4,
    # the tariffs in force; the outcomes achieved under every tariff, in one aggregate
    "payments": 2,
    # referrals and their outcomes by ethnic group; whether LSOA populations are loaded;
    # residents by ethnic group; referrals and outcomes by IMD decile; residents by decile
    "equity": 5,
    # demand by district and need: referral reasons, unmet needs, refused for capacity,
    # not eligible (4); services accepting by district, one query per need (a fixed 9,
    # the life domains, set in code)
    "gaps": 13,
}
DASHBOARD = FRAME + sum(REPORT_QUERIES.values())
# The archive: 1. the user as above (the user's area comes from their organisations);
# 2. the subscriptions; 3. the names of the organisations their filters name, all at
# once; 4. the last 50 files (no content); 5.-7. the services, PCNs and practices the
# subscription form offers (their ids cached, as above).
ARCHIVE = 7


def _count(client, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.fixture
def grow(area, commissioner, link_worker_service):
    """More of every kind of row the pages list: referrals of another PCN's practice
    (with its population) handled by another team's link worker, a tariff for every
    outcome, archived report files and subscriptions."""

    def add(start: datetime.date) -> None:
        pcn = OrganisationFactory(org_type=OrganisationType.PCN, parent=area)
        practice = OrganisationFactory(org_type=OrganisationType.GP_PRACTICE, parent=pcn)
        team = OrganisationFactory(
            org_type=OrganisationType.LINK_WORKER_TEAM, parent=link_worker_service
        )
        worker = user_with_role(Role.LINK_WORKER, team)
        build_world(
            people=8, practice=practice, service=link_worker_service, team=team,
            link_worker=worker, start=start,
        )  # fmt: skip
        PracticePopulation.objects.bulk_create(
            PracticePopulation(practice=practice, dimension=d, group=g, people=p, as_of=start)
            for d, g, p in [
                (PopulationDimension.ALL, "", 9000),
                (PopulationDimension.SEX, "2", 4600),
                (PopulationDimension.SEX, "1", 4400),
            ]
        )
        for outcome in TariffOutcome:
            OutcomeTariff.objects.create(
                commissioner=area, service=link_worker_service, name=f"{outcome} {start}",
                outcome=outcome, price=100, cap=50, valid_from=datetime.date(2024, 4, 1),
            )  # fmt: skip
        for fmt in ("csv", "xlsx", "pdf"):
            ReportFile.objects.create(
                owner=commissioner, report="activity", fmt=fmt, status=RunStatus.DONE,
                params={"start": "2025-01-01", "end": "2025-03-31"},
            )  # fmt: skip
        subscription_create(
            user=commissioner, report="reach", frequency="monthly", fmt="csv", filters={}
        )
        subscription_create(
            user=commissioner, report="activity", frequency="quarterly", fmt="xlsx",
            filters={"pcn": pcn.pk, "practice": practice.pk},
        )  # fmt: skip

    return add


def _pages():
    yield "dashboard", reverse("outcomes:dashboard"), DASHBOARD
    for key, queries in REPORT_QUERIES.items():
        yield key, reverse("outcomes:report", args=[key]), FRAME + queries
    yield "archive", reverse("outcomes:archive"), ARCHIVE


@pytest.mark.parametrize(("name", "url", "expected"), list(_pages()), ids=lambda v: str(v))
def test_page_queries_do_not_grow_with_rows(
    client, commissioner, make_world, grow, django_assert_num_queries, name, url, expected
):
    # Given a small area, counted once
    make_world(4)
    grow(datetime.date(2025, 2, 3))
    client.force_login(commissioner)
    _count(client, url, PARAMS)  # the filter lists are worked out and cached
    before = _count(client, url, PARAMS)

    # When more of every kind of row arrives
    make_world(6, start=datetime.date(2025, 3, 3))
    grow(datetime.date(2025, 4, 7))
    grow(datetime.date(2025, 5, 5))

    # Then the page takes the same queries, those listed above
    with django_assert_num_queries(expected):
        after = _count(client, url, PARAMS)
    assert after == before, f"{name}: {before} queries grew to {after}"


def test_the_default_view_takes_the_same_queries(client, commissioner, make_world):
    make_world(4)
    client.force_login(commissioner)
    url = reverse("outcomes:dashboard")
    _count(client, url, {})  # the filter lists are worked out and cached
    # No tariff in force: payments skips its aggregate, so one fewer than listed.
    assert _count(client, url, {}) == _count(client, url, PARAMS) == DASHBOARD - 1


def test_filter_lists_are_worked_out_once_then_read_from_the_cache(
    client, commissioner, make_world
):
    make_world(4)
    client.force_login(commissioner)
    url = reverse("outcomes:dashboard")

    cache.clear()
    first = _count(client, url, {})
    second = _count(client, url, {})
    cache.clear()
    third = _count(client, url, {})

    # Services, PCNs and practices from the area's history (and the session, from the
    # database rather than the cache) on the first view; from the cache on the next.
    assert second == first - 4
    assert third == first
