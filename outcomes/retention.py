"""What outcomes holds about people: the measures recorded in their cases.

Registered from ``OutcomesConfig.ready``; see ``socialrx/core/data_protection/registry.py``.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from linkworkers.retention import CLOSED_CASE, closed_cases_due
from outcomes.models import MeasureRecord
from referrals.retention import person_ids
from socialrx.core.data_protection.registry import (
    RetentionRule,
    SubjectRows,
    SubjectSection,
    delete_rows,
    register_retention_rule,
    register_subject_section,
)


def _measures_due(today: datetime.date) -> QuerySet[MeasureRecord]:
    # The same clock as the case: a closed case's measures go with it, just before it.
    return MeasureRecord.objects.filter(case__in=closed_cases_due(today))


MEASURES_OF_CLOSED_CASE = RetentionRule(
    record_type="measures_of_closed_case",
    schedule_key=CLOSED_CASE.schedule_key,
    action="delete, with the case",
    apply=lambda today: delete_rows(_measures_due(today)),
)


def _measure_rows(person_id: int) -> SubjectRows:
    records = (
        MeasureRecord.objects.filter(case__referral__person_id__in=person_ids(person_id))
        .with_details()
        .order_by("recorded_on", "id")
    )
    return [
        {
            "measure": str(record.measure),
            "timepoint": record.get_timepoint_display(),
            "recorded_on": record.recorded_on,
            "score": str(record.score) if record.score is not None else "",
            "answers": [f"{a.item}: {a.value}" for a in record.answers.all()],
        }
        for record in records
    ]


def register() -> None:
    register_retention_rule(MEASURES_OF_CLOSED_CASE)
    register_subject_section(
        SubjectSection(record_type="measures", title="Wellbeing measures", rows=_measure_rows)
    )
