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

# (week start, week end) -> an expression of the places taken by the service OuterRef("pk").
PlacesTakenFn = Callable[[datetime.datetime, datetime.datetime], Any]

_counters: dict[str, PlacesTakenFn] = {}


def register_places_taken(name: str, counter: PlacesTakenFn) -> None:
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


def places_taken(now: datetime.datetime | None = None) -> Any:
    """An expression: the places this week's connections take at the service
    ``OuterRef("pk")`` (0 when nothing is registered)."""
    start, end = week_bounds(now)
    total: Any = Value(0, output_field=IntegerField())
    for counter in _counters.values():
        total = total + Coalesce(counter(start, end), Value(0), output_field=IntegerField())
    return total
