"""Scoring exactly as published. Pure functions: no database, so every table entry and
boundary is tested directly (tests/outcomes/test_scoring.py).

Sources: SWEMWBS raw-to-metric conversion table (Warwick Medical School); ONS personal
wellbeing thresholds (ONS, "Personal well-being user guidance"); the UCLA 3-item scale
as used for the ONS national loneliness indicator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from outcomes import codes

# Raw total (7-35) -> metric score, as published. Keep as strings: they are exact.
SWEMWBS_METRIC: dict[int, Decimal] = {
    raw: Decimal(metric)
    for raw, metric in {
        7: "7.00", 8: "9.51", 9: "11.25", 10: "12.40", 11: "13.33", 12: "14.08",
        13: "14.75", 14: "15.32", 15: "15.84", 16: "16.36", 17: "16.88", 18: "17.43",
        19: "17.98", 20: "18.59", 21: "19.25", 22: "19.98", 23: "20.73", 24: "21.54",
        25: "22.35", 26: "23.21", 27: "24.11", 28: "25.03", 29: "26.02", 30: "27.03",
        31: "28.13", 32: "29.31", 33: "30.70", 34: "32.55", 35: "35.00",
    }.items()
}  # fmt: skip

SWEMWBS_ITEMS = 7
UCLA3_ITEMS = 3
ONS4_ANXIETY = "anxious"


class ScoringError(ValueError):
    """Answers that the published scoring cannot score (wrong number or out of range)."""


def _check(values: Sequence[int], *, count: int, low: int, high: int, name: str) -> None:
    if len(values) != count:
        raise ScoringError(f"{name} needs {count} answers, not {len(values)}")
    if any(not low <= v <= high for v in values):
        raise ScoringError(f"{name} answers are {low} to {high}")


def swemwbs_metric(raw: int) -> Decimal:
    if raw not in SWEMWBS_METRIC:
        raise ScoringError("A SWEMWBS raw total is 7 to 35")
    return SWEMWBS_METRIC[raw]


def swemwbs_score(values: Sequence[int]) -> tuple[int, Decimal]:
    """Seven answers 1-5 -> (raw total, metric score)."""
    _check(values, count=SWEMWBS_ITEMS, low=1, high=5, name="SWEMWBS")
    raw = sum(values)
    return raw, swemwbs_metric(raw)


def ucla3_total(values: Sequence[int]) -> int:
    """Three answers 1-3 -> total 3-9 (higher is lonelier)."""
    _check(values, count=UCLA3_ITEMS, low=1, high=3, name="UCLA-3")
    return sum(values)


def ons4_band(question: str, value: int) -> str:
    """The ONS threshold band of one ONS4 answer. Anxiety is reversed: low is good."""
    if not 0 <= value <= 10:
        raise ScoringError("ONS4 answers are 0 to 10")
    if question == ONS4_ANXIETY:
        if value <= 1:
            return "Very low"
        if value <= 3:
            return "Low"
        if value <= 5:
            return "Medium"
        return "High"
    if value <= 4:
        return "Low"
    if value <= 6:
        return "Medium"
    if value <= 8:
        return "High"
    return "Very high"


@dataclass(frozen=True)
class Score:
    """What a record keeps beside its answers: derived, so a rescoring loses nothing."""

    raw_total: int | None
    score: Decimal | None


def score_answers(scoring: str, values: Sequence[int], *, low: int, high: int) -> Score:
    """Score one record's answers (in item order) by the measure's scoring method."""
    if scoring == codes.Scoring.SWEMWBS:
        raw, metric = swemwbs_score(values)
        return Score(raw_total=raw, score=metric)
    _check(values, count=len(values), low=low, high=high, name="The measure")
    if scoring == codes.Scoring.SUM:
        total = sum(values)
        return Score(raw_total=total, score=Decimal(total))
    # Separate items (ONS4) and single categories have no total by design.
    return Score(raw_total=None, score=None)
