"""Assessments (what matters, domain by domain) and support plans (goals and steps)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from linkworkers import codes
from socialrx.core.models import TimeStampedModel

# --- assessments ----------------------------------------------------------------------


class Assessment(TimeStampedModel):
    """A holistic "what matters to me" conversation; repeated over time to show change."""

    case = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    what_matters = models.TextField(
        "what matters to the person", blank=True, help_text="In the person's own words."
    )
    goals = models.TextField("the person's goals", blank=True)

    class Meta:
        ordering = ("assessed_on", "id")
        indexes = [models.Index(fields=["case", "assessed_on"])]

    def __str__(self) -> str:
        return f"Assessment {self.pk} ({self.case_id})"


class AssessmentDomain(models.Model):
    """One life domain of one assessment: a row each, so change is a join, not a parse."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=24, choices=codes.LifeDomain.choices)
    need_level = models.PositiveSmallIntegerField(choices=codes.NeedLevel.choices)
    strengths = models.TextField(
        "strengths and assets", blank=True, help_text="In the person's own words."
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ("assessment", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "domain"], name="assessment_domain_unique"
            ),
            models.CheckConstraint(
                condition=Q(need_level__gte=0, need_level__lte=3),
                name="assessment_domain_need_level_range",
            ),
        ]
        indexes = [models.Index(fields=["domain", "need_level"])]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.get_need_level_display()}"


# --- support plans --------------------------------------------------------------------


class SupportPlan(TimeStampedModel):
    """The goals agreed with the person. One per case, changed as the work goes on."""

    case = models.OneToOneField("Case", on_delete=models.CASCADE, related_name="plan")
    agreed_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Support plan {self.pk} ({self.case_id})"


class PlanGoal(TimeStampedModel):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="goals")
    description = models.TextField(help_text="In the person's words where possible.")
    domain = models.CharField(max_length=24, choices=codes.LifeDomain.choices, blank=True)
    review_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=codes.GoalStatus.choices, default=codes.GoalStatus.OPEN
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_note = models.TextField(blank=True)

    class Meta:
        ordering = ("review_on", "id")
        indexes = [models.Index(fields=["status", "review_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", outcome_recorded_at__isnull=True)
                | ~Q(status="open") & Q(outcome_recorded_at__isnull=False),
                name="plan_goal_outcome_recorded_when_marked",
            ),
        ]

    def __str__(self) -> str:
        return f"Goal {self.pk} ({self.get_status_display()})"


class PlanStep(TimeStampedModel):
    """One step towards a goal, and who does it."""

    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="steps")
    description = models.CharField(max_length=300)
    owner = models.CharField("who", max_length=20, choices=codes.StepOwner.choices)
    owner_name = models.CharField(
        max_length=150, blank=True, help_text="For someone else or a service: who."
    )
    due_on = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ("goal", "id")

    def __str__(self) -> str:
        return f"Step {self.pk} ({self.goal_id})"
