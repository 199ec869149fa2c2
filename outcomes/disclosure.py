"""Statistical disclosure control: the NHS England (formerly NHS Digital) rule used for
HES and other publications, as codonPython's ``central_suppression_method`` applies it.

- a count of 0 stays 0;
- a count of 1 to 7 is suppressed, shown as ``*``;
- every other count is rounded to the nearest 5;
- a mean, median or other statistic of 1 to 7 people is ``*``;
- percentages and rates are computed from the rounded counts, never the raw ones.

``disclose`` is the one function that applies the rule; every figure a commissioner or
service manager sees or downloads passes through it (reports.base.Table.disclosed).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

SUPPRESSED = "*"
SMALLEST_SHOWN = 8
ROUND_TO = 5
RULE_TEXT = (
    "Disclosure control (NHS England rule): 0 stays 0; counts of 1 to 7 are shown as *; "
    "all other counts are rounded to the nearest 5; means, medians and other statistics "
    "of 1 to 7 people are shown as *; percentages and rates are computed from the rounded "
    "counts."
)

Disclosed = int | str
T = TypeVar("T")


def disclose(value: T | int, *, people: int | None = None) -> T | int | str | None:
    """Apply the rule to one figure.

    Without ``people``, ``value`` is a count of people (or of their records) and comes
    back as 0, ``*`` or a multiple of 5. With ``people``, ``value`` is a statistic
    computed from that many people: ``*`` for 1 to 7, ``None`` (no figure) for none,
    else the value unchanged.
    """
    if people is None:
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError("A count must be a whole number")
        if value < 0:
            raise ValueError("A count cannot be negative")
        if value == 0:
            return 0
        if value < SMALLEST_SHOWN:
            return SUPPRESSED
        # Integer arithmetic: n/5 never ends in .5, so there is no tie to break.
        return ROUND_TO * ((value + ROUND_TO // 2) // ROUND_TO)
    if people < 0:
        raise ValueError("A number of people cannot be negative")
    if people == 0:
        return None
    if people < SMALLEST_SHOWN:
        return SUPPRESSED
    return value


def is_suppressed(value: object) -> bool:
    return value == SUPPRESSED


def percentage(numerator: object, denominator: object, places: int = 1) -> Decimal | str | None:
    """A percentage of two already disclosed counts (``*`` if either is ``*``)."""
    if is_suppressed(numerator) or is_suppressed(denominator):
        return SUPPRESSED
    if not isinstance(numerator, int) or not isinstance(denominator, int) or denominator == 0:
        return None
    value = Decimal(100 * numerator) / Decimal(denominator)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def rate(numerator: object, population: int | None, per: int = 1000) -> Decimal | str | None:
    """A rate per ``per`` of a disclosed count over a published population (list size)."""
    if is_suppressed(numerator):
        return SUPPRESSED
    if not isinstance(numerator, int) or not population:
        return None
    value = Decimal(numerator * per) / Decimal(population)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
