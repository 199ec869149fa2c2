"""Synthetic outcome measures: SWEMWBS (with the licence each link worker service holds)
and UCLA-3 at baseline and at the scheduled follow-ups, answered item by item, scored
as published. Wellbeing improves on average (SWEMWBS raw +2.8, SD 3.5, by 12 weeks),
as evaluations of social prescribing report, with many people unchanged or worse.

Reads the cases ``demo.synthetic.linkworkers`` wrote back in chunks. See
``demo.synthetic.base`` for the rules every generator follows.

TODO(outcomes reporting): population figures (PracticePopulation) and tariffs
(OutcomeTariff, TariffOutcome) are not generated: those models were not committed when
this was written. Add them here once they are.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from demo.synthetic.base import Synth, next_id
from linkworkers.models import Case
from outcomes import codes
from outcomes.models import Measure, MeasureAnswer, MeasureItem, MeasureLicence, MeasureRecord
from outcomes.scoring import score_answers
from socialrx.core.models import Organisation

WEEK = datetime.timedelta(weeks=1)
RECORD_FIELDS = (
    "id", "case_id", "measure_id", "timepoint", "follow_up_week", "recorded_on",
    "recorded_by_id", "raw_total", "score", "in_window", "out_of_window_reason",
    "created_at", "updated_at",
)  # fmt: skip
# Measure code -> (share measured at baseline, baseline mean and SD of the raw total,
# mean and SD of the change by 12 weeks; UCLA-3 falls as loneliness eases).
PROFILES = {
    codes.SWEMWBS: (0.75, 18.5, 4.0, 2.8, 3.5),
    codes.UCLA3: (0.40, 6.6, 1.5, -0.8, 1.4),
}
# Share of those with a baseline who complete each follow-up they reach.
FOLLOW_UPS = {12: 0.6, 26: 0.35}


def generate_measures(synth: Synth, case_ids: range, services: list[int]) -> None:
    _licences(synth, services)
    measures = {m.code: m for m in Measure.objects.filter(code__in=list(PROFILES))}
    items = {
        code: list(MeasureItem.objects.filter(measure=m).order_by("position"))
        for code, m in measures.items()
    }
    ids = [next_id(MeasureRecord), next_id(MeasureAnswer)]
    for number, start in enumerate(range(case_ids.start, case_ids.stop, synth.chunk_size)):
        rng = synth.rng("outcomes", number)
        records: list[tuple] = []
        answers: list[tuple] = []
        cases = (
            Case.objects.filter(pk__gte=start, pk__lt=min(start + synth.chunk_size, case_ids.stop))
            .exclude(first_contact_at=None)
            .order_by("pk")
            .values_list("pk", "link_worker_id", "first_contact_at", "closed_at")
        )
        for case, worker, first, closed in cases:
            assert first is not None  # excluded above
            end = closed or synth.as_of
            for code, measure in measures.items():
                _case_measure(rng, ids, records, answers, measure, items[code], case, worker,
                              first, end)  # fmt: skip
        synth.insert(MeasureRecord, RECORD_FIELDS, records)
        synth.insert(MeasureAnswer, ("id", "record_id", "item_id", "value"), answers)


def _licences(synth: Synth, services: list[int]) -> None:
    """SWEMWBS is licensed per organisation: every synthetic service registers."""
    swemwbs = Measure.objects.filter(code=codes.SWEMWBS).first()
    if swemwbs is None:
        return
    first = next_id(MeasureLicence)
    at = synth.as_of - datetime.timedelta(days=365 * 8)
    rows = [
        (first + i, org, swemwbs.pk, f"SYNTHETIC-{org}", at.date(), True, at, at)
        for i, org in enumerate(
            Organisation.objects.filter(pk__in=services).values_list("pk", flat=True)
        )
    ]
    synth.insert(
        MeasureLicence,
        ("id", "organisation_id", "measure_id", "licence_reference", "registered_on",
         "is_active", "created_at", "updated_at"),
        rows,
    )  # fmt: skip


def _case_measure(
    rng: random.Random,
    ids: list[int],
    records: list[tuple],
    answers: list[tuple],
    measure: Measure,
    items: list[MeasureItem],
    case: int,
    worker: int,
    first: datetime.datetime,
    end: datetime.datetime,
) -> None:
    share, mean, sd, change, change_sd = PROFILES[measure.code]
    if rng.random() > share:
        return
    baseline = rng.gauss(mean, sd)
    points: list[tuple[int, float, datetime.datetime]] = [(0, baseline, first)]
    for weeks, completes in FOLLOW_UPS.items():
        due = first + weeks * WEEK
        if due <= end and rng.random() < completes:
            points.append((weeks, baseline + rng.gauss(change, change_sd), due))
    for weeks, total, at in points:
        values = items_for_total(rng, round(total), items)
        score: Any = score_answers(
            measure.scoring, values, low=items[0].min_value, high=items[0].max_value
        )
        timepoint = codes.Timepoint.FOLLOW_UP if weeks else codes.Timepoint.BASELINE
        record = ids[0]
        ids[0] += 1
        records.append(
            (record, case, measure.pk, timepoint, weeks, at.date(), worker, score.raw_total,
             score.score, True, "", at, at)
        )  # fmt: skip
        for item, value in zip(items, values, strict=True):
            answers.append((ids[1], record, item.pk, value))
            ids[1] += 1


def items_for_total(rng: random.Random, total: int, items: list[MeasureItem]) -> list[int]:
    """Item answers adding up to ``total`` (clamped to what the items allow)."""
    values = [item.min_value for item in items]
    room = [item.max_value - item.min_value for item in items]
    left = max(0, min(sum(room), total - sum(values)))
    while left:
        i = rng.randrange(len(values))
        if room[i]:
            values[i] += 1
            room[i] -= 1
            left -= 1
    return values
