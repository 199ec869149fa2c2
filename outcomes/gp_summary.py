"""The measures recorded on a case, baseline and latest, for the message back to the GP
(read through ``socialrx.core.measures`` by interop, which may not import outcomes)."""

from __future__ import annotations

from outcomes.models import MeasureRecord
from outcomes.presenters import RecordPresenter
from socialrx.core.measures import MeasureSummary


def case_measure_summaries(case_id: int) -> list[MeasureSummary]:
    """One summary per measure recorded on the case: the baseline and the latest record
    (the latest is the baseline when no follow-up has been recorded yet)."""
    records = list(
        MeasureRecord.objects.filter(case_id=case_id)
        .with_details()
        .order_by("measure__name", "follow_up_week")
    )
    by_measure: dict[int, list[MeasureRecord]] = {}
    for record in records:
        by_measure.setdefault(record.measure_id, []).append(record)
    summaries = []
    for group in by_measure.values():
        first, last = group[0], group[-1]
        summaries.append(
            MeasureSummary(
                code=first.measure.code,
                name=first.measure.name,
                baseline=RecordPresenter(first).summary,
                baseline_on=first.recorded_on,
                latest=RecordPresenter(last).summary if last is not first else "",
                latest_on=last.recorded_on if last is not first else None,
            )
        )
    return summaries
