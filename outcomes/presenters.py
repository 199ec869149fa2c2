"""Display logic for measures and reports, kept out of templates and models."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from outcomes import codes, scoring
from outcomes.models import Measure, MeasureRecord


@dataclass
class RecordPresenter:
    record: MeasureRecord

    @property
    def timepoint(self) -> str:
        if self.record.timepoint == codes.Timepoint.BASELINE:
            return "Baseline"
        return f"{self.record.follow_up_week}-week follow-up"

    @property
    def summary(self) -> str:
        """The score as the measure's publishers report it."""
        measure = self.record.measure
        answers = list(self.record.answers.all())
        if measure.scoring == codes.Scoring.SWEMWBS:
            return f"Metric score {self.record.score} (raw total {self.record.raw_total} of 35)"
        if measure.scoring == codes.Scoring.SEPARATE:
            parts = []
            for answer in answers:
                band = (
                    scoring.ons4_band(answer.item.code, answer.value)
                    if measure.code == codes.ONS4
                    else ""
                )
                parts.append(
                    f"{answer.item.code.capitalize()} {answer.value}"
                    + (f" ({band})" if band else "")
                )
            return "; ".join(parts)
        if measure.scoring == codes.Scoring.CATEGORY and answers:
            return answers[0].item.label_for(answers[0].value)
        return f"Total {self.record.raw_total}"

    @property
    def answers(self) -> list[tuple[str, str]]:
        return [(a.item.text, a.item.label_for(a.value)) for a in self.record.answers.all()]


@dataclass
class MeasureCard:
    """One measure on a case: what is recorded, what falls due next."""

    measure: Measure
    records: list[RecordPresenter] = field(default_factory=list)
    next_label: str = ""
    next_due_on: datetime.date | None = None
    can_record: bool = False


def measure_cards(
    *, measures: list[Measure], records: list[MeasureRecord], weeks: list[int]
) -> list[MeasureCard]:
    by_measure: dict[int, list[MeasureRecord]] = {}
    for record in records:
        by_measure.setdefault(record.measure_id, []).append(record)
    shown = {m.pk: m for m in measures} | {r.measure_id: r.measure for r in records}
    cards = []
    for measure in shown.values():
        done = by_measure.get(measure.pk, [])
        card = MeasureCard(measure=measure, records=[RecordPresenter(r) for r in done])
        weeks_done = {r.follow_up_week for r in done}
        baseline = next((r for r in done if r.follow_up_week == 0), None)
        card.can_record = measure in measures
        if baseline is None:
            card.next_label = "Baseline, at the first assessment"
        else:
            pending = [w for w in weeks if w not in weeks_done]
            if pending:
                card.next_label = f"{pending[0]}-week follow-up"
                card.next_due_on = baseline.follow_up_due_on(pending[0])
            else:
                card.can_record = False
        cards.append(card)
    return cards


def format_number(value: Decimal | float | int | str | None, places: int = 1) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{places}f}"
