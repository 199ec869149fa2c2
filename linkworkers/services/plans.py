"""Support plans: goals agreed with the person, their steps, who does what, and reviews."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from linkworkers import codes
from linkworkers.models import Case, PlanGoal, PlanStep, SupportPlan
from linkworkers.services.cases import case_for_work
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, User

GOAL_OUTCOMES = (
    codes.GoalStatus.ACHIEVED,
    codes.GoalStatus.PARTLY_ACHIEVED,
    codes.GoalStatus.NOT_ACHIEVED,
)


@dataclass(frozen=True)
class StepInput:
    description: str
    owner: str
    owner_name: str = ""
    due_on: datetime.date | None = None


@transaction.atomic
def plan_goal_add(
    *,
    case: Case,
    actor: User,
    description: str,
    review_on: datetime.date,
    steps: list[StepInput],
    domain: str = "",
) -> PlanGoal:
    """Add a goal (the plan is started with the first one) with its steps."""
    case = case_for_work(case, actor)
    if review_on < timezone.localdate():
        raise ValidationError({"review_on": ["The review date must be today or later"]})
    if not steps:
        raise ValidationError({"steps": ["Add at least one step, and who will do it"]})
    plan, _ = SupportPlan.objects.get_or_create(
        case=case, defaults={"agreed_on": timezone.localdate(), "created_by": actor}
    )
    goal = PlanGoal.objects.create(
        plan=plan, description=description, domain=domain, review_on=review_on
    )
    PlanStep.objects.bulk_create(
        PlanStep(
            goal=goal,
            description=s.description,
            owner=s.owner,
            owner_name=s.owner_name,
            due_on=s.due_on,
        )
        for s in steps
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=goal, detail={"case": case.pk})
    return goal


@transaction.atomic
def plan_goal_mark(*, goal: PlanGoal, actor: User, status: str, note: str = "") -> PlanGoal:
    """Mark a goal achieved, partly achieved or not achieved, at its review."""
    if status not in GOAL_OUTCOMES:
        raise ValidationError({"status": ["Select how far the goal was achieved"]})
    case_for_work(goal.plan.case, actor)
    goal = PlanGoal.objects.select_for_update().get(pk=goal.pk)
    previous = goal.status
    goal.status = status
    goal.outcome_note = note
    goal.outcome_recorded_at = timezone.now()
    goal.save(update_fields=["status", "outcome_note", "outcome_recorded_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=goal,
        detail={"from": previous, "to": status},
    )
    return goal
