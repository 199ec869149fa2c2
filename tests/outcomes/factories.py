"""Records of measures, scored through the service so derived scores stay honest."""

from __future__ import annotations

import datetime

from linkworkers.models import Case
from outcomes.models import Measure, MeasureRecord
from outcomes.services.measures import measure_record_create


def record_measure(
    case: Case,
    code: str,
    values: list[int],
    *,
    on: datetime.date | None = None,
    reason: str = "",
) -> MeasureRecord:
    measure = Measure.objects.get(code=code)
    items = measure.items.order_by("position").values_list("code", flat=True)
    return measure_record_create(
        case=case,
        measure=measure,
        answers=dict(zip(items, values, strict=True)),
        actor=case.link_worker,
        recorded_on=on,
        out_of_window_reason=reason,
    )
