"""What linkworkers holds about people, for core's retention job and subject access export.

Registered from ``LinkworkersConfig.ready``; see ``socialrx/core/data_protection/registry.py``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from linkworkers.codes import CaseStatus
from linkworkers.models import (
    Assessment,
    Case,
    CaseStatusEvent,
    Connection,
    ConnectionEvent,
    Contact,
    MessageBack,
    PlanGoal,
)
from referrals.models import Referral
from referrals.retention import delete_referrals, person_ids
from socialrx.core.data_protection.registry import (
    RetentionRule,
    SubjectRows,
    SubjectSection,
    delete_rows,
    purge_history,
    register_retention_rule,
    register_subject_section,
    value_rows,
)


def closed_cases_due(today: datetime.date) -> QuerySet[Case]:
    """Cases closed longer ago than the schedule keeps them (outcomes uses this too)."""
    cutoff = CLOSED_CASE.cutoff(today)
    return Case.objects.filter(status=CaseStatus.CLOSED, closed_at__date__lt=cutoff)


def _delete_closed_cases(today: datetime.date) -> int:
    """The case and everything recorded in it, then its referral and the referral's
    history. Outcomes' measures went first (its rule runs before this one)."""
    case_ids = list(closed_cases_due(today).values_list("pk", flat=True))
    referral_ids = list(Case.objects.filter(pk__in=case_ids).values_list("referral_id", flat=True))
    purge_history(ConnectionEvent, connection__case_id__in=case_ids)
    purge_history(CaseStatusEvent, case_id__in=case_ids)
    delete_rows(MessageBack.objects.filter(case_id__in=case_ids))
    deleted = delete_rows(Case.objects.filter(pk__in=case_ids))
    delete_referrals(Referral.objects.filter(pk__in=referral_ids))
    return deleted


CLOSED_CASE = RetentionRule(
    record_type="closed_case",
    schedule_key="closed_case",
    action="delete, with its referral and all records in it",
    apply=_delete_closed_cases,
)


def _cases(person_id: int) -> QuerySet[Case]:
    return Case.objects.filter(referral__person_id__in=person_ids(person_id))


def _case_rows(person_id: int) -> SubjectRows:
    rows = []
    for case in _cases(person_id).select_related("team", "link_worker", "referral"):
        events = CaseStatusEvent.objects.filter(case=case).select_related("actor")
        rows.append(
            {
                "referral": case.referral.reference,
                "team": case.team.name,
                "link_worker": case.link_worker.full_name,
                "status": case.get_status_display(),
                "opened_at": case.opened_at,
                "first_contact_at": case.first_contact_at,
                "closed_at": case.closed_at,
                "closure_outcome": case.get_closure_outcome_display(),
                "unable_to_contact_override": case.unable_to_contact_override,
                "history": [
                    {"occurred_at": e.occurred_at, "to_status": e.to_status, "note": e.note}
                    for e in events
                ],
            }
        )
    return rows


def _contact_rows(person_id: int) -> SubjectRows:
    return value_rows(
        Contact.objects.filter(case__in=_cases(person_id))
        .order_by("occurred_at")
        .values(
            "occurred_at",
            "mode",
            "successful",
            "duration_minutes",
            "note",
            "recorded_by__full_name",
        )
    )


def _assessment_rows(person_id: int) -> SubjectRows:
    assessments = Assessment.objects.filter(case__in=_cases(person_id)).prefetch_related("domains")
    return [
        {
            "assessed_on": a.assessed_on,
            "what_matters": a.what_matters,
            "goals": a.goals,
            "domains": [
                f"{d.get_domain_display()}: need {d.need_level}; {d.strengths} {d.notes}".strip()
                for d in a.domains.all()
            ],
        }
        for a in assessments
    ]


def _plan_rows(person_id: int) -> SubjectRows:
    goals = PlanGoal.objects.filter(plan__case__in=_cases(person_id)).prefetch_related("steps")
    return [
        {
            "goal": g.description,
            "domain": g.get_domain_display(),
            "review_on": g.review_on,
            "status": g.get_status_display(),
            "outcome_note": g.outcome_note,
            "steps": [f"{s.description} ({'done' if s.done else 'to do'})" for s in g.steps.all()],
        }
        for g in goals
    ]


def _connection_rows(person_id: int) -> SubjectRows:
    connections = (
        Connection.objects.filter(case__in=_cases(person_id))
        .select_related("service")
        .prefetch_related("events")
    )
    return [
        {
            "service": c.service.name,
            "status": c.get_status_display(),
            "referred_at": c.referred_at,
            "started_on": c.started_on,
            "completed_on": c.completed_on,
            "note": c.note,
            "history": [f"{e.occurred_at:%Y-%m-%d} {e.to_status}" for e in c.events.all()],
        }
        for c in connections
    ]


def _message_rows(person_id: int) -> SubjectRows:
    """Messages back sent to the GP and referrer about the person."""
    return value_rows(
        MessageBack.objects.filter(case__in=_cases(person_id)).values(
            "created_at",
            "closure_outcome",
            "needs_and_concerns",
            "what_matters",
            "support_offered",
            "activities",
            "written_by__full_name",
        )  # fmt: skip
    )


def _case_ids(person_id: int) -> tuple[str, list[Any]]:
    return "linkworkers.case", list(_cases(person_id).values_list("pk", flat=True))


def register() -> None:
    register_retention_rule(CLOSED_CASE)
    for record_type, title, rows, audited in (
        ("case", "Case with a link worker", _case_rows, _case_ids),
        ("contacts", "Contacts", _contact_rows, None),
        ("assessments", "Assessments", _assessment_rows, None),
        ("plans", "Support plan goals and steps", _plan_rows, None),
        ("connections", "Connections to services", _connection_rows, None),
        ("messages_sent", "Messages back sent to the GP and referrer", _message_rows, None),
    ):
        register_subject_section(
            SubjectSection(record_type=record_type, title=title, rows=rows, audited=audited)
        )
