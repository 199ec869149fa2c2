"""Recording measures from a case, and keeping the built-in measures in the database."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from linkworkers import codes as case_codes
from linkworkers.models import Case
from outcomes import codes, schedule, scoring
from outcomes.builtin import BUILTIN_MEASURES
from outcomes.models import Measure, MeasureAnswer, MeasureItem, MeasureRecord
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, User
from socialrx.core.working_days import started_by_for_calendar_deadline


def follow_up_weeks() -> list[int]:
    return sorted(set(settings.OUTCOMES_FOLLOW_UP_WEEKS))


@transaction.atomic
def measures_sync_builtin() -> None:
    """Create or update the built-in measures (outcomes/builtin.py). Migration 0002
    carries its own frozen copy of the first ones."""
    for spec in BUILTIN_MEASURES:
        fields = {k: v for k, v in spec.items() if k not in ("code", "items")}
        measure, _ = Measure.objects.update_or_create(code=spec["code"], defaults=fields)
        for position, item in enumerate(spec["items"], start=1):
            values = [value for value, _label in item["answers"]]
            MeasureItem.objects.update_or_create(
                measure=measure,
                code=item["code"],
                defaults={
                    "position": position,
                    "text": item["text"],
                    "answers": item["answers"],
                    "min_value": min(values),
                    "max_value": max(values),
                },
            )


def next_timepoint(*, case: Case, measure: Measure) -> tuple[str, int] | None:
    """Baseline first, then each scheduled follow-up in turn; None once all are done."""
    done = set(
        MeasureRecord.objects.filter(case=case, measure=measure).values_list(
            "follow_up_week", flat=True
        )
    )
    if 0 not in done:
        return codes.Timepoint.BASELINE, 0
    for week in follow_up_weeks():
        if week not in done:
            return codes.Timepoint.FOLLOW_UP, week
    return None


def follow_ups_due_count(*, link_worker: User, today: datetime.date) -> int:
    """Follow-ups due and not yet recorded on the worker's open cases: one for each
    baseline and each configured week that has passed since it. Counted in the database,
    in one query whatever the caseload (one filtered count per configured week)."""
    weeks = follow_up_weeks()
    if not weeks:
        return 0
    due = {}
    for week in weeks:
        recorded = MeasureRecord.objects.filter(
            case=OuterRef("case"), measure=OuterRef("measure"), follow_up_week=week
        )
        due[f"week_{week}"] = Count(
            "pk",
            filter=Q(recorded_on__lte=started_by_for_calendar_deadline(today, week * 7))
            & ~Exists(recorded),
        )
    counts = (
        MeasureRecord.objects.baselines()
        .filter(
            case__link_worker=link_worker,
            case__status__in=case_codes.OPEN_CASE_STATUSES,
            measure__is_active=True,
        )
        .aggregate(**due)
    )
    return sum(counts.values())


@transaction.atomic
def measure_record_create(
    *,
    case: Case,
    measure: Measure,
    answers: Mapping[str, int],
    actor: User,
    recorded_on: datetime.date | None = None,
    out_of_window_reason: str = "",
) -> MeasureRecord:
    """Store one completion item by item, with its derived score, at the next timepoint.

    Outside the timepoint's window (``outcomes.schedule``) it needs
    ``out_of_window_reason``, and is kept labelled as outside, so never payable."""
    # Lock the case so two submissions cannot both claim the same timepoint.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    point = next_timepoint(case=case, measure=measure)
    if point is None:
        raise ValidationError("Every scheduled follow-up of this measure is recorded.")
    items = list(measure.items.order_by("position"))
    if {i.code for i in items} != set(answers):
        raise ValidationError("Answer every question.")
    values = [answers[i.code] for i in items]
    try:
        result = scoring.score_answers(
            measure.scoring,
            values,
            low=min(i.min_value for i in items),
            high=max(i.max_value for i in items),
        )
    except scoring.ScoringError as error:
        raise ValidationError(str(error)) from error
    recorded_on = recorded_on or timezone.localdate()
    window = schedule.window_for(case=case, measure=measure, follow_up_week=point[1])
    in_window = window is None or window.contains(recorded_on)
    reason = "" if in_window else out_of_window_reason.strip()
    if not in_window and not reason:
        assert window is not None
        raise ValidationError({"out_of_window_reason": [outside_window_message(window)]})
    record = MeasureRecord.objects.create(
        case=case,
        measure=measure,
        timepoint=point[0],
        follow_up_week=point[1],
        recorded_on=recorded_on,
        recorded_by=actor,
        raw_total=result.raw_total,
        score=result.score,
        in_window=in_window,
        out_of_window_reason=reason,
    )
    MeasureAnswer.objects.bulk_create(
        MeasureAnswer(record=record, item=item, value=value)
        for item, value in zip(items, values, strict=True)
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=record,
        detail={"in_window": in_window} if in_window else {"outside_window": reason},
    )
    return record


def outside_window_message(window: schedule.Window) -> str:
    return (
        f"This is outside its window ({window.rule}: {window.opens:%-d %B %Y} to "
        f"{window.closes:%-d %B %Y}): give the reason for recording it now. It will not "
        "count as a payable outcome"
    )
