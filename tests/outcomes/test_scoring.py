"""Scoring exactly as published (DOMAIN.md, Outcome measures)."""

from decimal import Decimal

import pytest

from outcomes import scoring

# The whole published SWEMWBS raw-to-metric conversion table, typed out again here
# rather than imported, so a slip in either copy fails.
PUBLISHED = """
7 7.00 8 9.51 9 11.25 10 12.40 11 13.33 12 14.08 13 14.75 14 15.32 15 15.84 16 16.36
17 16.88 18 17.43 19 17.98 20 18.59 21 19.25 22 19.98 23 20.73 24 21.54 25 22.35
26 23.21 27 24.11 28 25.03 29 26.02 30 27.03 31 28.13 32 29.31 33 30.70 34 32.55 35 35.00
""".split()
TABLE = [(int(PUBLISHED[i]), Decimal(PUBLISHED[i + 1])) for i in range(0, len(PUBLISHED), 2)]


def test_the_published_table_has_every_raw_total():
    assert [raw for raw, _ in TABLE] == list(range(7, 36))


@pytest.mark.parametrize(("raw", "metric"), TABLE)
def test_swemwbs_metric_matches_the_published_table(raw, metric):
    assert scoring.swemwbs_metric(raw) == metric


@pytest.mark.parametrize(("raw", "metric"), TABLE)
def test_swemwbs_score_from_answers_reaches_every_table_entry(raw, metric):
    # Seven answers 1-5 adding up to raw: fill with 1s, then raise items up to 5.
    values, extra = [1] * 7, raw - 7
    for i in range(7):
        step = min(4, extra)
        values[i] += step
        extra -= step
    assert scoring.swemwbs_score(values) == (raw, metric)


@pytest.mark.parametrize("raw", [0, 6, 36])
def test_swemwbs_metric_refuses_impossible_totals(raw):
    with pytest.raises(scoring.ScoringError):
        scoring.swemwbs_metric(raw)


@pytest.mark.parametrize("values", [[3] * 6, [3] * 8, [0, 3, 3, 3, 3, 3, 3], [6, 3, 3, 3, 3, 3, 3]])
def test_swemwbs_refuses_wrong_answers(values):
    with pytest.raises(scoring.ScoringError):
        scoring.swemwbs_score(values)


# Every ONS4 answer 0-10 with its band, boundaries included (ONS thresholds).
POSITIVE_BANDS = ["Low"] * 5 + ["Medium"] * 2 + ["High"] * 2 + ["Very high"] * 2
ANXIETY_BANDS = ["Very low"] * 2 + ["Low"] * 2 + ["Medium"] * 2 + ["High"] * 5


@pytest.mark.parametrize("question", ["satisfied", "worthwhile", "happy"])
@pytest.mark.parametrize("value", range(11))
def test_ons4_positive_questions_thresholds(question, value):
    assert scoring.ons4_band(question, value) == POSITIVE_BANDS[value]


@pytest.mark.parametrize("value", range(11))
def test_ons4_anxiety_is_reversed(value):
    assert scoring.ons4_band("anxious", value) == ANXIETY_BANDS[value]


@pytest.mark.parametrize(
    ("value", "band"),
    [(4, "Low"), (5, "Medium"), (6, "Medium"), (7, "High"), (8, "High"), (9, "Very high")],
)
def test_ons4_boundaries_named(value, band):
    assert scoring.ons4_band("satisfied", value) == band


@pytest.mark.parametrize(
    ("value", "band"),
    [(1, "Very low"), (2, "Low"), (3, "Low"), (4, "Medium"), (5, "Medium"), (6, "High")],
)
def test_ons4_anxiety_boundaries_named(value, band):
    assert scoring.ons4_band("anxious", value) == band


@pytest.mark.parametrize("value", [-1, 11])
def test_ons4_refuses_out_of_range(value):
    with pytest.raises(scoring.ScoringError):
        scoring.ons4_band("happy", value)


@pytest.mark.parametrize(
    ("values", "total"),
    [([1, 1, 1], 3), ([1, 2, 3], 6), ([2, 2, 2], 6), ([3, 3, 2], 8), ([3, 3, 3], 9)],
)
def test_ucla3_totals(values, total):
    assert scoring.ucla3_total(values) == total


def test_ucla3_every_combination_is_3_to_9():
    totals = {
        scoring.ucla3_total([a, b, c]) for a in (1, 2, 3) for b in (1, 2, 3) for c in (1, 2, 3)
    }
    assert totals == set(range(3, 10))


@pytest.mark.parametrize("values", [[1, 1], [0, 1, 1], [1, 1, 4], [1, 1, 1, 1]])
def test_ucla3_refuses_wrong_answers(values):
    with pytest.raises(scoring.ScoringError):
        scoring.ucla3_total(values)


def test_separate_items_are_never_totalled():
    assert scoring.score_answers("separate", [7, 8, 6, 3], low=0, high=10) == scoring.Score(
        None, None
    )
