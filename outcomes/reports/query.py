"""Query pieces every report uses: the user's area and filters as referral lookups,
period truncation, and statistics from frequency tables the database counts."""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.db.models.functions import TruncMonth, TruncQuarter

from outcomes.permissions import ReportScope
from outcomes.reports.base import ReportFilters
from outcomes.reports.groups import group_q


def referral_q(scope: ReportScope, filters: ReportFilters, prefix: str = "") -> Q:
    """Referrals in the user's area that match the filters; ``prefix`` reaches the
    referral from another model (``case__referral__``)."""
    q = scope.referrals(prefix)
    if filters.service is not None:
        q &= Q(**{f"{prefix}triage_service": filters.service}) | Q(
            **{f"{prefix}assigned_team__parent": filters.service}
        )
    if filters.pcn is not None:
        q &= Q(**{f"{prefix}person__registered_practice__parent": filters.pcn})
    if filters.practice is not None:
        q &= Q(**{f"{prefix}person__registered_practice": filters.practice})
    if filters.group:
        q &= group_q(filters.group, prefix)
    return q


def trunc(period: str, field: str) -> Any:
    return TruncMonth(field) if period == "month" else TruncQuarter(field)


def percentile_from_frequencies(frequencies: Iterable[tuple[Any, int]], p: float) -> Any:
    """Nearest-rank percentile of a distribution the database has counted
    (value, how many). PostgreSQL's percentile_cont does not exist on SQLite, and a
    frequency table is small (days take few distinct values) however many rows it counts.
    """
    ordered = sorted((v, n) for v, n in frequencies if v is not None)
    total = sum(n for _, n in ordered)
    if total == 0:
        return None
    rank = max(1, math.ceil(p * total))
    seen = 0
    for value, n in ordered:
        seen += n
        if seen >= rank:
            return value
    return ordered[-1][0]


# Two-sided 95% critical values of Student's t by degrees of freedom (standard tables);
# beyond 120 the normal 1.96 is used. Fewer than 8 people are suppressed anyway.
T_95 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
    9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120,
    17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064,
    25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000,
    120: 1.980,
}  # fmt: skip


def t_critical(df: int) -> float:
    if df <= 0:
        return math.nan
    if df in T_95:
        return T_95[df]
    larger = [d for d in T_95 if d > df]
    # Between table rows, the smaller df's (larger) value: a slightly wider interval.
    return T_95[max(d for d in T_95 if d < df)] if larger else 1.96


def mean_and_ci(n: int, total: Any, total_squares: Any) -> tuple[Any, Any, Any]:
    """Mean and 95% confidence interval (t distribution) from n, sum and sum of squares,
    all aggregated in the database."""
    if not n:
        return None, None, None
    total, squares = float(total or 0), float(total_squares or 0)
    mean = total / n
    if n < 2:
        return _dec(mean), None, None
    variance = max(0.0, (squares - n * mean * mean) / (n - 1))
    half = t_critical(n - 1) * math.sqrt(variance / n)
    return _dec(mean), _dec(mean - half), _dec(mean + half)


def _dec(value: float) -> Decimal:
    return Decimal(str(round(value, 4)))
