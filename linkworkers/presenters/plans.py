from __future__ import annotations

import datetime

from django.utils import timezone

from linkworkers import codes
from linkworkers.models import Case, PlanGoal, PlanStep

GOAL_TAG = {
    codes.GoalStatus.OPEN: "blue",
    codes.GoalStatus.ACHIEVED: "green",
    codes.GoalStatus.PARTLY_ACHIEVED: "yellow",
    codes.GoalStatus.NOT_ACHIEVED: "grey",
}


class GoalPresenter:
    def __init__(self, goal: PlanGoal, today: datetime.date) -> None:
        self.goal = goal
        self.today = today

    @property
    def tag_colour(self) -> str:
        return GOAL_TAG.get(self.goal.status, "")  # type: ignore[call-overload]

    @property
    def review_overdue(self) -> bool:
        return self.goal.status == codes.GoalStatus.OPEN and self.goal.review_on < self.today

    def steps(self) -> list[tuple[PlanStep, str]]:
        """Each step with who does it, named where a name was given."""
        return [
            (s, f"{s.get_owner_display()}{f' ({s.owner_name})' if s.owner_name else ''}")
            for s in self.goal.steps.all()
        ]


class PlanPresenter:
    def __init__(self, case: Case, today: datetime.date | None = None) -> None:
        self.case = case
        self.today = today or timezone.localdate()

    def goals(self) -> list[GoalPresenter]:
        plan = getattr(self.case, "plan", None)
        if plan is None:
            return []
        return [GoalPresenter(g, self.today) for g in plan.goals.prefetch_related("steps")]

    @property
    def agreed_on(self) -> datetime.date | None:
        plan = getattr(self.case, "plan", None)
        return plan.agreed_on if plan else None
