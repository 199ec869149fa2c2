"""How many of a service's weekly places are taken, without the directory knowing who
took them.

A directory service's weekly referral limit is counted against real connections, which
live in ``linkworkers``; the directory may not import it (ARCHITECTURE.md). So, as with
the digest and demo seeders, ``linkworkers`` registers from its ``AppConfig.ready`` an
expression counting a service's places taken in a week (for ``OuterRef("pk")`` of a
service queryset), and the directory annotates with whatever is registered. With none
registered (the directory published on its own) no place is taken.

The week is the local calendar week, Monday to Sunday: a full service reopens by
itself when the week turns, or as soon as a connection taking a place is declined.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import IntegerField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

# (week start, week end) -> expressions for the service OuterRef("pk"): "taken" (places
# taken), "asked" (referrals sent this week) and "accepted" (of those, taken on).
WeekCountsFn = Callable[[datetime.datetime, datetime.datetime], dict[str, Any]]
WEEK_COUNTS = ("taken", "asked", "accepted")

_counters: dict[str, WeekCountsFn] = {}


def register_week_counts(name: str, counter: WeekCountsFn) -> None:
    _counters[name] = counter


def week_bounds(
    now: datetime.datetime | None = None,
) -> tuple[datetime.datetime, datetime.datetime]:
    """Midnight on this week's Monday (local time) and on the next Monday."""
    today = timezone.localdate(now)
    monday = today - datetime.timedelta(days=today.weekday())
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(monday + datetime.timedelta(days=7), datetime.time.min)
    )
    return start, end


def week_counts(now: datetime.datetime | None = None) -> dict[str, Any]:
    """Expressions of this week's counts at the service ``OuterRef("pk")``, each 0 when
    nothing is registered: ``taken``, ``asked`` and ``accepted``."""
    start, end = week_bounds(now)
    totals: dict[str, Any] = {key: Value(0, output_field=IntegerField()) for key in WEEK_COUNTS}
    for counter in _counters.values():
        counted = counter(start, end)
        for key in WEEK_COUNTS:
            totals[key] = totals[key] + Coalesce(
                counted[key], Value(0), output_field=IntegerField()
            )
    return totals


def places_taken(now: datetime.datetime | None = None) -> Any:
    """An expression: the places this week's connections take at the service
    ``OuterRef("pk")``."""
    return week_counts(now)["taken"]
