"""Live weekly capacity: a service's weekly referral limit against the places this
week's connections take (counted by whatever ``socialrx.core.capacity`` has registered:
``linkworkers``), so a full service shows full everywhere and reopens by itself.

``with_places_taken`` annotates ``places_taken``; ``has_place`` is the condition for a
service with a place left (or no limit). ``WeekCapacity`` is what pages and the feed say.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import F, Q

from socialrx.core.capacity import places_taken, week_counts

if TYPE_CHECKING:
    from directory.models import Service, ServiceQuerySet


def with_places_taken(
    services: ServiceQuerySet, now: datetime.datetime | None = None
) -> ServiceQuerySet:
    return services.annotate(places_taken=places_taken(now))


def with_week_counts(
    services: ServiceQuerySet, now: datetime.datetime | None = None
) -> ServiceQuerySet:
    """``places_taken``, ``week_asked`` and ``week_accepted``: what an editor sees."""
    counts = week_counts(now)
    return services.annotate(
        places_taken=counts["taken"],
        week_asked=counts["asked"],
        week_accepted=counts["accepted"],
    )


def has_place() -> Q:
    """For a queryset ``with_places_taken``: no weekly limit, or places left."""
    return Q(capacity__maximum__isnull=True) | Q(capacity__maximum__gt=F("places_taken"))


@dataclass(frozen=True)
class WeekCapacity:
    limit: int | None
    taken: int

    @property
    def full(self) -> bool:
        return self.limit is not None and self.taken >= self.limit

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.taken, 0)

    @property
    def text(self) -> str:
        """ "Full this week (10 of 10 places taken)", "3 of 10 places left this week"."""
        if self.limit is None:
            return ""
        if self.full:
            return f"Full this week ({self.taken} of {self.limit} places taken)"
        return f"{self.left} of {self.limit} places left this week"


def week_capacity(service: Service) -> WeekCapacity | None:
    """The service's week, if it states a weekly limit. Reads ``places_taken`` where the
    queryset annotated it (lists), else counts it (one query)."""
    capacity = _capacity(service)
    if capacity is None or capacity.maximum is None:
        return None
    taken = getattr(service, "places_taken", None)
    if taken is None:
        from directory.models import Service as ServiceModel

        annotation = "places_taken"  # a name, not a literal: the stubs cannot see it
        taken = (
            with_places_taken(ServiceModel.objects.filter(pk=service.pk))
            .values_list(annotation, flat=True)
            .first()
        )
    return WeekCapacity(limit=capacity.maximum, taken=int(taken or 0))


def _capacity(service: Service) -> Any:
    from directory.models import ServiceCapacity

    try:
        return service.capacity
    except ServiceCapacity.DoesNotExist:
        return None
