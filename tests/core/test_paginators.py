"""Counting a list without reading it all: PostgreSQL's estimate above 10,000 rows, an
exact count below it and on SQLite (ADR 0038)."""

import pytest
from django.db import connection

from socialrx.core import paginators
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, AuditEvent
from socialrx.core.paginators import EstimatingPaginator, planner_estimate
from tests.factories import UserFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite has no estimate")


def _entries(count: int) -> None:
    """``count`` audit entries written by the database itself: thousands in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (occurred_at, action, object_type, object_id,"
            " user_agent, path, request_id, detail, system_reason)"
            " SELECT now() - g * interval '1 minute', 'view', 'referrals.person', g::text,"
            " '', '', '', '{}', 'deadline_task' FROM generate_series(1, %s) g",
            [count],
        )


@on_sqlite
@pytest.mark.django_db
def test_on_sqlite_the_count_is_exact_however_low_the_threshold(monkeypatch, practice, referrer):
    monkeypatch.setattr(paginators, "ESTIMATE_FROM", 1)
    for _ in range(3):
        audit_record(actor=referrer, action=AuditAction.VIEW, obj=practice)

    paginator = EstimatingPaginator(AuditEvent.objects.all(), 2)

    assert planner_estimate(AuditEvent.objects.all()) is None
    assert (paginator.count, paginator.num_pages, paginator.is_estimate) == (3, 2, False)


@on_postgresql
@pytest.mark.django_db
def test_on_postgresql_a_small_list_is_still_counted_exactly(practice, referrer):
    audit_record(actor=referrer, action=AuditAction.VIEW, obj=practice)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_auditevent")

    paginator = EstimatingPaginator(AuditEvent.objects.all(), 100)

    assert (paginator.count, paginator.is_estimate) == (1, False)


@on_postgresql
@pytest.mark.django_db
def test_on_postgresql_a_filter_that_matches_nothing_needs_no_plan():
    assert planner_estimate(AuditEvent.objects.filter(pk__in=[])) == 0


# transaction=True: ANALYZE writes the table's statistics outside the test's transaction
# (they would outlive its rollback); the flush at the end truncates the table, which
# resets them.
@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_large_table_is_estimated_and_the_admin_says_about(
    client, django_assert_num_queries, monkeypatch
):
    # Given 12,000 entries and statistics that have seen them (autovacuum's ANALYZE)
    _entries(12_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_auditevent")

    # Then the paginator takes the planner's figure, without a count...
    paginator = EstimatingPaginator(AuditEvent.objects.all(), 100)
    with django_assert_num_queries(1):  # EXPLAIN, no COUNT(*)
        assert paginator.count == pytest.approx(12_000, rel=0.05)
    assert paginator.is_estimate
    # ... and a filter the statistics know to match most entries is estimated too,
    # one that matches a few is counted.
    views = EstimatingPaginator(AuditEvent.objects.filter(action="view"), 100)
    assert views.count == pytest.approx(12_000, rel=0.05)
    assert views.is_estimate
    few = EstimatingPaginator(AuditEvent.objects.filter(object_id__in=["1", "2"]), 100)
    assert (few.count, few.is_estimate) == (2, False)

    # And a condition the statistics misjudge is counted only as far as 10,000
    with monkeypatch.context() as patch:
        patch.setattr(paginators, "planner_estimate", lambda queryset: 40)
        misjudged = EstimatingPaginator(AuditEvent.objects.all(), 100)
        assert misjudged.count == 10_000
        assert misjudged.is_lower_bound
        assert misjudged.num_pages == 100

    # And the audit log's page says it is an estimate, in words
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get("/admin/core/auditevent/").content.decode()
    assert f"About {paginator.count:,} audit events (an estimate" in page
