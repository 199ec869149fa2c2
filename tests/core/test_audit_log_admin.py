"""The audit log's admin list at national size: every filter answered from an index, no
query that reads every entry (ADR 0038; the plans are in docs/scaling.md)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from socialrx.core.admin import period_bounds
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/core/auditevent/"


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def _listed(response) -> list[AuditEvent]:
    return list(response.context["cl"].result_list)


def test_the_list_runs_a_fixed_set_of_queries_none_over_every_entry(
    client, superuser, referrer, practice, pcn, django_assert_num_queries
):
    for obj in (practice, pcn, referrer):
        audit_record(actor=referrer, action=AuditAction.VIEW, obj=obj)
    if connection.vendor == "postgresql":
        # The statistics autovacuum keeps: a few rows, so the count is exact.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_auditevent")
    client.force_login(superuser)

    # The user with their roles, and the user again (a superuser holds no role; the
    # session comes from the cache); the record types, one index probe each (WITH
    # RECURSIVE); on PostgreSQL the planner's estimate of the rows (EXPLAIN); the count
    # (exact: under 10,000); the page of entries with their users. No date hierarchy
    # and no list of a column's values (each a SELECT DISTINCT over every entry).
    expected = 6 if connection.vendor == "postgresql" else 5
    with django_assert_num_queries(expected) as queries:
        response = client.get(URL)

    assert response.status_code == 200
    assert len(_listed(response)) == 3
    page = response.content.decode()
    assert "3 audit events" in page
    assert "About" not in page
    sql = [query["sql"] for query in queries.captured_queries]
    assert not any("DISTINCT" in statement for statement in sql)


def test_record_types_are_offered_and_link_to_one_records_entries(
    client, superuser, referrer, practice, pcn
):
    audit_record(actor=referrer, action=AuditAction.VIEW, obj=practice)
    audit_record(actor=referrer, action=AuditAction.UPDATE, obj=practice)
    audit_record(actor=referrer, action=AuditAction.VIEW, obj=pcn)
    audit_record(actor=referrer, action=AuditAction.VIEW, obj=referrer)
    client.force_login(superuser)

    response = client.get(URL)
    page = response.content.decode()
    assert "?object_type=core.organisation" in page
    assert "?object_type=core.user" in page

    one_record = client.get(URL, {"object_type": "core.organisation", "object_id": practice.pk})
    assert [e.action for e in _listed(one_record)] == [AuditAction.UPDATE, AuditAction.VIEW]
    assert f"?object_type=core.organisation&amp;object_id={practice.pk}" in page
    a_type = client.get(URL, {"object_type": "core.organisation"})
    assert len(_listed(a_type)) == 3


def test_a_users_entries_are_one_link_away(client, superuser, referrer, link_worker, practice):
    audit_record(actor=referrer, action=AuditAction.VIEW, obj=practice)
    audit_record(actor=link_worker, action=AuditAction.VIEW, obj=practice)
    client.force_login(superuser)

    page = client.get(URL).content.decode()
    assert f"?actor__id__exact={referrer.pk}" in page
    theirs = client.get(URL, {"actor__id__exact": referrer.pk})
    assert [e.actor for e in _listed(theirs)] == [referrer]


def test_a_month_or_a_year_from_the_calendar_filters_by_a_range(
    client, superuser, referrer, practice
):
    march = audit_record(actor=referrer, action=AuditAction.VIEW, obj=practice)
    april = audit_record(actor=referrer, action=AuditAction.UPDATE, obj=practice)
    # 23:30 on 31 March 2026 in London is 22:30 UTC (summer time): a March entry
    AuditEvent.objects.filter(pk=march.pk).update(
        occurred_at=datetime.datetime(2026, 3, 31, 22, 30, tzinfo=datetime.UTC)
    )
    # 00:30 on 1 April 2026 in London is 23:30 UTC on 31 March: an April entry
    AuditEvent.objects.filter(pk=april.pk).update(
        occurred_at=datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)
    )
    client.force_login(superuser)

    assert [e.pk for e in _listed(client.get(URL, {"period": "2026-03"}))] == [march.pk]
    assert [e.pk for e in _listed(client.get(URL, {"period": "2026-04"}))] == [april.pk]
    assert len(_listed(client.get(URL, {"period": "2026"}))) == 2
    assert _listed(client.get(URL, {"period": "2025"})) == []
    assert client.get(URL, {"period": "2026-13"}).url == f"{URL}?e=1"


def test_period_bounds_are_local_midnights():
    start, end = period_bounds("2026-12")
    assert (start.isoformat(), end.isoformat()) == (
        "2026-12-01T00:00:00+00:00",
        "2027-01-01T00:00:00+00:00",
    )
    start, end = period_bounds("2026")
    assert end - start == datetime.timedelta(days=365)
    assert timezone.localtime(period_bounds("2026-04")[0]).hour == 0


def test_the_months_offered_start_with_this_one(client, superuser):
    client.force_login(superuser)
    this_month = timezone.localdate().strftime("%Y-%m")
    page = client.get(URL).content.decode()
    assert f"?period={this_month}" in page
    assert f"?period={timezone.localdate().year - 8}" in page


def test_a_count_that_stopped_says_more_than(client, superuser, referrer, practice, monkeypatch):
    # As on PostgreSQL when a search's estimate is low and its count reaches the limit
    monkeypatch.setattr("socialrx.core.paginators.ESTIMATE_FROM", 2)
    monkeypatch.setattr("socialrx.core.paginators.planner_estimate", lambda queryset: 1)
    for _ in range(3):
        audit_record(actor=referrer, action=AuditAction.VIEW, obj=practice)
    client.force_login(superuser)

    page = client.get(URL, {"q": referrer.email}).content.decode()

    assert "More than 2 audit events (counting stopped there" in page
    assert "More than 2 results" in page


def _entry(actor, obj, **columns) -> AuditEvent:
    event = audit_record(actor=actor, action=AuditAction.VIEW, obj=obj)
    AuditEvent.objects.filter(pk=event.pk).update(**columns)
    return event


def _found(client, term) -> set[int]:
    response = client.get(URL, {"q": term})
    assert response.status_code == 200
    return {e.pk for e in _listed(response)}


def test_a_search_finds_a_persons_record_request_and_address_entries(
    client, superuser, referrer, link_worker, practice, pcn
):
    # Given entries by two people, about two records, from two requests and addresses
    by_referrer = _entry(referrer, practice, request_id="a" * 32, ip_address="192.0.2.7")
    # (a record id no email address holds: a part of one finds its person's entries too)
    by_worker = _entry(
        link_worker, pcn, object_id="970001", request_id="b" * 32, ip_address="2001:db8::9"
    )
    about_worker = _entry(referrer, link_worker, request_id="c" * 32)
    client.force_login(superuser)

    # Then a part of an email address finds that person's entries
    assert _found(client, referrer.email.split("@")[0].upper()) == {by_referrer.pk, about_worker.pk}
    # a record's id, its entries under any record type; a record type, all of its entries
    assert _found(client, "970001") == {by_worker.pk}
    assert _found(client, "core.user") == {about_worker.pk}
    # a request id or an address, exactly (IPv6 as written or as stored)
    assert _found(client, "b" * 32) == {by_worker.pk}
    assert _found(client, " 192.0.2.7 ") == {by_referrer.pk}
    assert _found(client, "2001:DB8:0::9") == {by_worker.pk}
    # and part of an id or an address finds nothing: each is matched whole
    assert _found(client, "a" * 31) == set()
    assert _found(client, "192.0.2") == set()
    page = client.get(URL).content.decode()
    assert "Part of a person&#x27;s email address" in page


def test_a_search_is_answered_from_indexes_not_by_reading_every_entry(referrer, practice):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plan")
    # Given 20,000 entries by someone else, from 20,000 requests and 5,000 addresses, and
    # one entry of the referrer's from a request and an address of its own
    bulk_actor = UserFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO core_auditevent (occurred_at, actor_id, system_reason, action,
                object_type, object_id, ip_address, user_agent, path, request_id, detail)
            SELECT now() - n * interval '1 minute', %s, '', 'view', 'core.organisation',
                (n %% 3000)::text, ('10.0.' || (n %% 25) || '.' || (n %% 200))::inet, '',
                '/x/', md5(n::text), '{}'
            FROM generate_series(1, 20000) n""",
            [bulk_actor.pk],
        )
    _entry(referrer, practice, object_id="970002", request_id="d" * 32, ip_address="192.0.2.8")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_auditevent")

    # When each kind of search is planned as the admin's page runs it (newest first, a page)
    plans = {}
    for kind, term in (
        ("email", referrer.email[:8]),
        ("record id", "970002"),
        ("request", "d" * 32),
        ("address", "192.0.2.8"),
    ):
        queryset = AuditEvent.objects.matching(term, ["core.organisation", "core.user"])
        sql, params = queryset.order_by("-occurred_at", "-id")[:100].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            plans[kind] = "\n".join(row[0] for row in cursor.fetchall())

    # Then each reads the entries its indexes find (the request id's and the record's
    # always; a person's, an address's when the term names one), none every entry
    for kind, plan in plans.items():
        assert "Seq Scan on core_auditevent" not in plan, (kind, plan)
        assert "occurred_at_" not in plan, (kind, plan)  # a walk of every entry by date
        assert "core_audit_request_id" in plan, (kind, plan)
        assert "Index Cond: (((object_type)::text = ANY" in plan, (kind, plan)
    assert "Index Cond: (actor_id" in plans["email"]
    assert "core_audit_ip_address" in plans["address"]
