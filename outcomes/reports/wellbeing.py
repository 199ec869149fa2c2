"""Wellbeing change: people with a baseline and a follow-up in the period, the mean
change with its 95% confidence interval, and the share with a meaningful improvement,
for each scale. Pairs are found and aggregated in the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, FloatField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast

from outcomes import codes
from outcomes.builtin import SWEMWBS_COPYRIGHT
from outcomes.models import Measure, MeasureAnswer, MeasureRecord
from outcomes.permissions import ReportScope
from outcomes.reports.base import Column, Report, ReportFilters, Table
from outcomes.reports.query import mean_and_ci, referral_q


@dataclass(frozen=True)
class Scale:
    title: str
    measure: str
    item: str = ""  # empty: the record's score; else one item's answer (ONS4)
    lower_is_better: bool = False
    threshold: float = 1.0


def scales() -> list[Scale]:
    return [
        Scale("SWEMWBS metric score (7-35)", codes.SWEMWBS,
              threshold=settings.OUTCOMES_SWEMWBS_MEANINGFUL_CHANGE),
        Scale("ONS4 life satisfaction (0-10)", codes.ONS4, "satisfied"),
        Scale("ONS4 worthwhile (0-10)", codes.ONS4, "worthwhile"),
        Scale("ONS4 happiness yesterday (0-10)", codes.ONS4, "happy"),
        Scale("ONS4 anxiety yesterday (0-10, lower is better)", codes.ONS4, "anxious",
              lower_is_better=True),
        Scale("UCLA-3 loneliness (3-9, lower is better)", codes.UCLA3, lower_is_better=True),
    ]  # fmt: skip


def paired(
    scope: ReportScope, filters: ReportFilters, scale: Scale, *, evidenced_only: bool = False
) -> Any:
    """Each person's latest follow-up recorded in the period, with its value and the
    baseline value as ``after`` and ``before``, and ``gain`` (positive is better).

    ``evidenced_only``: both recorded inside their windows (``outcomes.schedule``), as a
    payable outcome needs; the latest such follow-up, ignoring any recorded outside."""
    base = MeasureRecord.objects.evidenced() if evidenced_only else MeasureRecord.objects.all()
    later = base.filter(
        case=OuterRef("case"),
        measure=OuterRef("measure"),
        timepoint=codes.Timepoint.FOLLOW_UP,
        follow_up_week__gt=OuterRef("follow_up_week"),
        recorded_on__lte=filters.end,
    )
    records = base.follow_ups().filter(
        referral_q(scope, filters, "case__referral__"),
        measure__code=scale.measure,
        recorded_on__gte=filters.start,
        recorded_on__lte=filters.end,
    )
    records = records.filter(~Exists(later)).order_by()
    after: QuerySet[Any, Any]
    before: QuerySet[Any, Any]
    if scale.item:
        answers = MeasureAnswer.objects.filter(item__code=scale.item)
        after = answers.filter(record=OuterRef("pk")).values("value")[:1]
        before = answers.filter(
            *([Q(record__in_window=True)] if evidenced_only else []),
            record__case=OuterRef("case"),
            record__measure=OuterRef("measure"),
            record__follow_up_week=0,
        ).values("value")[:1]
    else:
        after = MeasureRecord.objects.filter(pk=OuterRef("pk")).values("score")[:1]
        before = base.filter(
            case=OuterRef("case"), measure=OuterRef("measure"), follow_up_week=0
        ).values("score")[:1]
    records = records.annotate(
        after=Cast(Subquery(after), FloatField()), before=Cast(Subquery(before), FloatField())
    ).filter(after__isnull=False, before__isnull=False)
    gain = F("before") - F("after") if scale.lower_is_better else F("after") - F("before")
    return records.annotate(gain=gain)


def summarise(scope: ReportScope, filters: ReportFilters, scale: Scale) -> dict[str, Any]:
    totals = paired(scope, filters, scale).aggregate(
        n=Count("pk"),
        before_sum=Sum("before"),
        after_sum=Sum("after"),
        change_sum=Sum(F("after") - F("before")),
        change_squares=Sum((F("after") - F("before")) * (F("after") - F("before"))),
        improved=Count("pk", filter=Q(gain__gte=scale.threshold)),
    )
    n = totals["n"]
    mean, low, high = mean_and_ci(n, totals["change_sum"], totals["change_squares"])
    return {
        "scale": scale.title,
        "n": n,
        "before": mean_and_ci(n, totals["before_sum"], 0)[0],
        "after": mean_and_ci(n, totals["after_sum"], 0)[0],
        "change": mean,
        "low": low,
        "high": high,
        "improved": totals["improved"],
        "threshold": _threshold_text(scale),
    }


def _threshold_text(scale: Scale) -> str:
    direction = "fall" if scale.lower_is_better else "rise"
    points = f"{scale.threshold:g} point" + ("" if scale.threshold == 1 else "s")
    return f"A {direction} of {points} or more"


def build(*, scope: ReportScope, filters: ReportFilters) -> Report:
    rows = [summarise(scope, filters, scale) for scale in scales()]
    measures = {m.code: m for m in Measure.objects.filter(code__in=[s.measure for s in scales()])}
    threshold = settings.OUTCOMES_SWEMWBS_MEANINGFUL_CHANGE
    table = Table(
        key="wellbeing_change",
        title="Change from baseline to latest follow-up, people with both",
        columns=[
            Column("scale", "Scale", "label"),
            Column("n", "People with baseline and follow-up"),
            Column("before", "Mean at baseline", "stat", people="n", places=2),
            Column("after", "Mean at follow-up", "stat", people="n", places=2),
            Column("change", "Mean change", "stat", people="n", places=2),
            Column("low", "95% CI lower", "stat", people="n", places=2),
            Column("high", "95% CI upper", "stat", people="n", places=2),
            Column("threshold", "Meaningful improvement is", "label"),
            Column("improved", "People meaningfully improved"),
            Column("pct", "Per cent improved", "percent", numerator="improved", denominator="n"),
        ],
        rows=rows,
        chart_label="scale",
        chart_value="n",
    )
    notes = [
        f"Meaningful improvement on SWEMWBS: a rise of {threshold:g} or more metric points "
        "(OUTCOMES_SWEMWBS_MEANINGFUL_CHANGE). Other scales: one point or more in the "
        "better direction. ONS4 questions are reported separately, never added together.",
        "A person counts once per scale: their latest follow-up recorded in the period, "
        "paired with their baseline. Confidence intervals use Student's t distribution.",
        SWEMWBS_COPYRIGHT,
    ]
    for code in (codes.ONS4, codes.UCLA3):
        if code in measures and measures[code].notice not in notes:
            notes.append(measures[code].notice)
    return Report(
        key="wellbeing", title="Wellbeing change", filters=filters, tables=[table], notes=notes,
        area=scope.area,
    )  # fmt: skip
