"""The disclosure rule (DOMAIN.md): no count from 1 to 7 ever leaks."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outcomes.disclosure import SUPPRESSED, disclose, percentage, rate

counts = st.integers(min_value=0, max_value=10**9)


@given(counts)
def test_no_count_from_1_to_7_leaks(n):
    shown = disclose(n)
    assert shown not in range(1, 8)
    if n == 0:
        assert shown == 0
    elif n <= 7:
        assert shown == SUPPRESSED
    else:
        assert isinstance(shown, int)
        assert shown % 5 == 0
        assert abs(shown - n) <= 2
        assert shown >= 10


@given(st.integers(min_value=1, max_value=7), st.floats(allow_nan=False))
def test_statistics_of_1_to_7_people_are_suppressed(people, value):
    assert disclose(value, people=people) == SUPPRESSED


@given(st.integers(min_value=8, max_value=10**6), st.decimals(allow_nan=False))
def test_statistics_of_8_or_more_people_are_shown(people, value):
    assert disclose(value, people=people) == value


@given(counts, counts)
def test_percentages_come_from_rounded_counts(a, b):
    shown = percentage(disclose(a), disclose(b))
    if 1 <= a <= 7 or 1 <= b <= 7:
        assert shown == SUPPRESSED
    elif disclose(b) and shown is not None:
        assert shown == (Decimal(100 * disclose(a)) / disclose(b)).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )


@given(counts, st.integers(min_value=1, max_value=10**6))
def test_rates_come_from_rounded_counts(n, population):
    shown = rate(disclose(n), population)
    if 1 <= n <= 7:
        assert shown == SUPPRESSED
    else:
        assert shown == (Decimal(disclose(n) * 1000) / population).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )


@pytest.mark.parametrize(
    ("raw", "shown"),
    [(0, 0), (1, "*"), (7, "*"), (8, 10), (10, 10), (12, 10), (13, 15), (17, 15), (18, 20)],
)
def test_boundaries(raw, shown):
    assert disclose(raw) == shown


def test_no_people_means_no_statistic():
    assert disclose(Decimal("3.2"), people=0) is None


@pytest.mark.parametrize("bad", [-1, 2.5, True])
def test_refuses_what_is_not_a_count(bad):
    with pytest.raises((TypeError, ValueError)):
        disclose(bad)
