"""Measures as items: a measure is a list of items with their answer options and a
scoring method, so an organisation can add its own (PAM, MYCaW under their licence)
without a migration. Answers are stored one row per item; totals are derived."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from linkworkers.models import Case
from outcomes import codes
from socialrx.core.models import Organisation, TimeStampedModel
from socialrx.core.working_days import calendar_deadline


class MeasureQuerySet(models.QuerySet["Measure"]):
    def active(self) -> MeasureQuerySet:
        return self.filter(is_active=True)

    def available_to_team(self, team: Organisation) -> MeasureQuerySet:
        """What a link worker team may record: free built-ins, licensed measures switched
        on for the team or the service above it, and measures either of them owns."""
        orgs = [team.pk] + ([team.parent_id] if team.parent_id else [])
        licensed = MeasureLicence.objects.filter(organisation__in=orgs, is_active=True).values(
            "measure"
        )
        return self.active().filter(
            Q(owner__isnull=True, requires_licence=False)
            | Q(pk__in=licensed)
            | Q(owner__in=orgs, requires_licence=False)
        )


class Measure(TimeStampedModel):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40)
    owner = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="own_measures",
        help_text="Empty for a built-in measure; else the organisation that added it.",
    )
    scoring = models.CharField(max_length=16, choices=codes.Scoring.choices)
    higher_is_better = models.BooleanField(default=True)
    requires_licence = models.BooleanField(
        default=False,
        help_text="Switched on per organisation with its licence or registration reference.",
    )
    question = models.TextField(blank=True, help_text="Shown above the items.")
    notice = models.TextField(
        blank=True, help_text="Copyright line or citation, shown wherever the measure is."
    )
    is_active = models.BooleanField(default=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ("owner_id", "pk")

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_builtin(self) -> bool:
        return self.owner_id is None


class MeasureItem(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=40)
    text = models.CharField(max_length=300)
    answers = models.JSONField(help_text='Answer options in order: [[value, "label"], ...].')
    min_value = models.SmallIntegerField()
    max_value = models.SmallIntegerField()

    class Meta:
        ordering = ("measure", "position")
        constraints = [
            models.UniqueConstraint(fields=["measure", "position"], name="measure_item_position"),
            models.UniqueConstraint(fields=["measure", "code"], name="measure_item_code"),
            models.CheckConstraint(
                condition=Q(min_value__lt=models.F("max_value")), name="measure_item_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id}.{self.code}"

    def label_for(self, value: int) -> str:
        return next((str(label) for v, label in self.answers if v == value), str(value))


class MeasureLicence(TimeStampedModel):
    """A licensed measure switched on for an organisation (the link worker service or
    team), with the reference of its registration (SWEMWBS asks each user to register)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="measure_licences"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="licences")
    licence_reference = models.CharField(max_length=100)
    registered_on = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("organisation", "measure")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "measure"], name="measure_licence_once_per_org"
            ),
            models.CheckConstraint(
                condition=~Q(licence_reference=""), name="measure_licence_has_reference"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} for {self.organisation} ({self.licence_reference})"


class MeasureRecordQuerySet(models.QuerySet["MeasureRecord"]):
    def baselines(self) -> MeasureRecordQuerySet:
        return self.filter(timepoint=codes.Timepoint.BASELINE)

    def follow_ups(self) -> MeasureRecordQuerySet:
        return self.filter(timepoint=codes.Timepoint.FOLLOW_UP)

    def of_measure(self, code: str) -> MeasureRecordQuerySet:
        return self.filter(measure__code=code)

    def evidenced(self) -> MeasureRecordQuerySet:
        """Recorded inside their windows: the only records a payable outcome rests on."""
        return self.filter(in_window=True)

    def with_details(self) -> MeasureRecordQuerySet:
        return self.select_related("measure", "recorded_by").prefetch_related("answers__item")


class MeasureRecord(TimeStampedModel):
    """One completion of a measure by the person, at baseline or a follow-up."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="measure_records")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="records")
    timepoint = models.CharField(max_length=16, choices=codes.Timepoint.choices)
    follow_up_week = models.PositiveSmallIntegerField(
        default=0, help_text="0 at baseline; else the scheduled follow-up (weeks after it)."
    )
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Derived from the answers by outcomes.scoring; kept so reports aggregate in the
    # database. A rescoring recomputes them from the answers.
    raw_total = models.SmallIntegerField(null=True, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    # Checked against the schedule (outcomes.schedule) when recorded, and kept: the dates
    # it depends on (first contact, baseline) do not change afterwards. Outside its
    # window a record needs a reason, is labelled, and is never a payable outcome.
    in_window = models.BooleanField(
        default=True, help_text="Recorded inside its window in the measure schedule."
    )
    out_of_window_reason = models.TextField(
        blank=True, help_text="Why it was recorded outside its window."
    )

    objects = MeasureRecordQuerySet.as_manager()

    class Meta:
        ordering = ("measure", "follow_up_week")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "measure", "follow_up_week"], name="measure_record_once_per_point"
            ),
            models.CheckConstraint(
                condition=Q(timepoint="baseline", follow_up_week=0)
                | Q(timepoint="follow_up", follow_up_week__gt=0),
                name="measure_record_week_matches_timepoint",
            ),
            models.CheckConstraint(
                condition=Q(in_window=True, out_of_window_reason="")
                | (Q(in_window=False) & ~Q(out_of_window_reason="")),
                name="measure_record_outside_window_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["measure", "timepoint", "recorded_on"]),
            models.Index(fields=["case", "measure"]),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.timepoint} ({self.case_id})"

    def follow_up_due_on(self, weeks: int) -> datetime.date:
        """``weeks`` after this baseline, or the next working day after that."""
        return calendar_deadline(self.recorded_on, weeks * 7)


class MeasureAnswer(models.Model):
    record = models.ForeignKey(MeasureRecord, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(MeasureItem, on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField()

    class Meta:
        ordering = ("record", "item__position")
        constraints = [
            models.UniqueConstraint(fields=["record", "item"], name="measure_answer_once")
        ]
        indexes = [models.Index(fields=["item", "record"])]

    def __str__(self) -> str:
        return f"{self.item} = {self.value}"
