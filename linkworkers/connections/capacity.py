"""The places a service's weekly limit counts: connections referred to it this week
(the local calendar week) that still hold a place - waiting for an answer, accepted,
started or done. A decline frees the place at once; the next Monday frees them all.

Registered with ``socialrx.core.capacity`` (``LinkworkersConfig.ready``) so the
directory counts them without importing this app. ``place_claim`` is the one check
before a referral is sent, under a row lock on the service's capacity, so two link
workers taking the last place at once cannot both have it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery

from directory.models import Service, ServiceCapacity
from linkworkers import codes
from linkworkers.models import Connection
from socialrx.core.capacity import week_bounds

S = codes.ConnectionStatus
# Statuses of a connection that holds one of the week's places.
TAKING = (S.REFERRED, S.ACCEPTED, S.STARTED, S.COMPLETED, S.NO_RESPONSE)
ACCEPTED = (S.ACCEPTED, S.STARTED, S.COMPLETED)


def _this_week(start: datetime.datetime, end: datetime.datetime) -> Q:
    return Q(referred_at__gte=start, referred_at__lt=end)


def week_counts(start: datetime.datetime, end: datetime.datetime) -> dict[str, Any]:
    """This week's counts at the service ``OuterRef("pk")``: places taken, referrals
    asked of it, and those it took on."""
    return {
        "taken": _count(start, end, Q(status__in=TAKING)),
        "asked": _count(start, end, Q()),
        "accepted": _count(start, end, Q(status__in=ACCEPTED)),
    }


def _count(start: datetime.datetime, end: datetime.datetime, condition: Q) -> Subquery:
    return Subquery(
        Connection.objects.filter(_this_week(start, end), condition, service=OuterRef("pk"))
        .order_by()
        .values("service")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class ServiceWeek:
    """What a VCSE editor sees of their service's week."""

    asked: int
    accepted: int
    taken: int
    limit: int | None

    @property
    def full(self) -> bool:
        return self.limit is not None and self.taken >= self.limit


def service_week(service: Service, now: datetime.datetime | None = None) -> ServiceWeek:
    """This week's referrals to the service: one aggregate query."""
    start, end = week_bounds(now)
    counts = Connection.objects.filter(_this_week(start, end), service=service).aggregate(
        asked=Count("pk"),
        accepted=Count("pk", filter=Q(status__in=ACCEPTED)),
        taken=Count("pk", filter=Q(status__in=TAKING)),
    )
    try:
        limit = service.capacity.maximum
    except ServiceCapacity.DoesNotExist:
        limit = None
    return ServiceWeek(limit=limit, **counts)


class ServiceFull(ValidationError):
    """The service's weekly places are all taken."""


def place_claim(service: Service, now: datetime.datetime | None = None) -> None:
    """Before a referral is sent: lock the service's capacity row (to the end of the
    caller's transaction) and refuse if this week's places are all taken. A second link
    worker waits on the lock, then counts the first one's referral."""
    capacity = ServiceCapacity.objects.select_for_update().filter(service=service).first()
    if capacity is None or capacity.maximum is None:
        return
    start, end = week_bounds(now)
    taken = Connection.objects.filter(
        _this_week(start, end), service=service, status__in=TAKING
    ).count()
    if taken >= capacity.maximum:
        raise ServiceFull(
            f"{service.name} is full this week: all {capacity.maximum} places are taken. "
            "It reopens on Monday, or sooner if a place is freed."
        )
