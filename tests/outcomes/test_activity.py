"""The activity report: caseloads and waits counted as the tables say, and every figure
read from the period asked for (plus the cases open now), never from all history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linkworkers import codes as lw_codes
from linkworkers.models import Case
from outcomes.permissions import report_scope_for
from outcomes.reports import activity
from referrals import codes as referral_codes
from referrals.models import ReferralStatusEvent
from socialrx.core.models import Membership, OrganisationType, Role
from tests.factories import OrganisationFactory, user_with_role
from tests.linkworkers.factories import CaseFactory, ContactFactory
from tests.outcomes.conftest import RANGE

pytestmark = pytest.mark.django_db


def _rows(report, key):
    return next(t for t in report.tables if t.key == key).rows


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _close(cases: list[Case]) -> None:
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(
        status=lw_codes.CaseStatus.CLOSED,
        closed_at=_aware(RANGE[0]) + datetime.timedelta(days=60),
        closure_outcome=referral_codes.ClosureOutcome.SUPPORTED,
    )


def _case_before_the_period(team, worker, practice, service, *, closed: bool) -> Case:
    case = CaseFactory(
        team=team,
        link_worker=worker,
        referral__triage_service=service,
        referral__person__registered_practice=practice,
    )
    Case.objects.filter(pk=case.pk).update(opened_at=_aware(datetime.date(2024, 6, 3)))
    if closed:
        _close([case])
    return case


def test_caseload_counts_open_cases_now_and_cases_opened_in_the_period(
    make_world, commissioner, filters, link_worker, link_worker_team, practice,
    link_worker_service, settings,
):  # fmt: skip
    # Given the world's worker (target 180 in this team, 90 in another) with 10 cases
    # opened in the period, 3 of them since closed, and one still open from before it
    world = make_world(10)
    Membership.objects.filter(user=link_worker, organisation=link_worker_team).update(
        target_caseload=180
    )
    other_team = OrganisationFactory(
        org_type=OrganisationType.LINK_WORKER_TEAM, parent=link_worker_service
    )
    Membership.objects.create(
        user=link_worker, organisation=other_team, role=Role.LINK_WORKER, target_caseload=90
    )
    _close(world.cases[:3])
    # Conversations: 2 and 4 on two closed cases, none (two unanswered tries) on the
    # third; the open cases' conversations count for nothing in the mean
    for case, spoke, tried in ((world.cases[0], 2, 0), (world.cases[1], 4, 0),
                               (world.cases[2], 0, 2), (world.cases[5], 5, 1)):  # fmt: skip
        ContactFactory.create_batch(spoke, case=case, successful=True)
        ContactFactory.create_batch(tried, case=case, successful=False)
    _case_before_the_period(
        link_worker_team, link_worker, practice, link_worker_service, closed=False
    )
    # and two more workers of the team, with no target of their own: one with a case
    # open from before the period, one whose only case closed before it
    open_from_before = user_with_role(
        Role.LINK_WORKER, link_worker_team, user__full_name="Ann Open"
    )
    _case_before_the_period(
        link_worker_team, open_from_before, practice, link_worker_service, closed=False
    )
    closed_before = user_with_role(Role.LINK_WORKER, link_worker_team, user__full_name="Bob Closed")
    _case_before_the_period(
        link_worker_team, closed_before, practice, link_worker_service, closed=True
    )

    # When the activity report is built for the period
    report = activity.build(scope=report_scope_for(commissioner), filters=filters)

    # Then each worker with a case open now or opened in the period has a row, with the
    # target of their membership of that team or else the default
    rows = {r["worker"]: r for r in _rows(report, "caseload")}
    assert set(rows) == {link_worker.full_name, "Ann Open"}
    assert rows[link_worker.full_name] == {
        "worker": link_worker.full_name, "team": link_worker_team.name,
        "open_now": 8, "opened": 10, "target": 180,
    }  # fmt: skip
    assert rows["Ann Open"] == {
        "worker": "Ann Open", "team": link_worker_team.name,
        "open_now": 1, "opened": 0, "target": settings.LINK_WORKER_DEFAULT_TARGET_CASELOAD,
    }  # fmt: skip
    cases = {r["label"]: r["n"] for r in _rows(report, "cases")}
    assert cases["Open"] == 7
    assert cases["Closed: supported and closed"] == 3
    contacts = _rows(report, "contacts")[0]
    assert contacts["n"] == 3
    assert contacts["mean"] == 2  # (2 + 4 + 0) / 3


def test_waits_count_only_referrals_that_reached_the_event(make_world, commissioner, filters):
    # Given 10 referrals all triaged, 4 of which have had a first contact
    world = make_world(10)
    contact_days = [2, 3, 5, 9]
    for referral, days in zip(world.referrals, contact_days, strict=False):
        referral.refresh_from_db()
        ReferralStatusEvent.objects.create(
            referral=referral,
            kind=referral_codes.EventKind.FIRST_CONTACT,
            from_status=referral_codes.Status.ASSIGNED,
            to_status=referral_codes.Status.FIRST_CONTACT,
            occurred_at=referral.created_at + datetime.timedelta(days=days),
        )

    # When the activity report is built
    waits = _rows(activity.build(scope=report_scope_for(commissioner), filters=filters), "waits")

    # Then the 6 still waiting for contact are in neither the count nor the percentiles
    assert len(waits) == 1
    assert waits[0]["triage_n"] == 10
    assert waits[0]["contact_n"] == 4
    assert waits[0]["contact_median"] == 3  # nearest rank: the 2nd of 4
    assert waits[0]["contact_p90"] == 9  # the 4th of 4


def _outside_aggregate_filters(sql: str) -> str:
    """The query without its aggregates' ``FILTER (WHERE ...)`` and its HAVING: what is
    left says which rows the database reads, not how it counts them."""
    kept, i = [], 0
    while (j := sql.find("FILTER (WHERE", i)) != -1:
        kept.append(sql[:j][i:])
        depth, k = 0, j + len("FILTER ")
        while True:
            depth += {"(": 1, ")": -1}.get(sql[k], 0)
            if depth == 0:
                break
            k += 1
        i = k + 1
    kept.append(sql[i:])
    return "".join(kept).split(" HAVING ")[0]


def test_every_activity_query_reads_only_the_period(make_world, commissioner, filters):
    """The regression that made a quarter cost as much as a year at county scale: the
    caseload read every case ever opened in the area, filtering only as it counted."""
    make_world(4)
    scope = report_scope_for(commissioner)
    with CaptureQueriesContext(connection) as queries:
        activity.build(scope=scope, filters=filters)
    start = f"{RANGE[0].isoformat()} 00:00:00"  # midnight in London is midnight UTC in Jan
    unbounded = [q["sql"] for q in queries if start not in _outside_aggregate_filters(q["sql"])]
    assert unbounded == []
    # referrals by period, PCN, source and status; by reason; days to triage and to first
    # contact; cases by closure outcome; caseload per link worker (test_query_counts.py)
    assert len(queries) == 5


def test_closures_before_the_attempts_rule_are_counted_apart(make_world, commissioner, filters):
    # Given three cases closed as unable to contact, one of them with an override reason
    world = make_world(6)
    closed = world.cases[:3]
    Case.objects.filter(pk__in=[c.pk for c in closed]).update(
        status=lw_codes.CaseStatus.CLOSED,
        closed_at=_aware(RANGE[0]) + datetime.timedelta(days=60),
        closure_outcome=referral_codes.ClosureOutcome.UNABLE_TO_CONTACT,
    )
    Case.objects.filter(pk=closed[0].pk).update(unable_to_contact_override="Moved away")
    # When the activity report is built
    report = activity.build(scope=report_scope_for(commissioner), filters=filters)
    # Then the overridden closure has its own row (before disclosure control)
    rows = {row["label"]: row["n"] for row in _rows(report, "cases")}
    assert rows["Of those unable to contact: closed before the attempts rule was met"] == 1
