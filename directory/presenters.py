"""Display logic for listings, kept out of templates and models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from directory.models import CapacityStatus, Service, ServiceCapacity

METRES_PER_MILE = 1609.344

# NHS.UK tag colours for each capacity status.
CAPACITY_TAG = {
    CapacityStatus.ACCEPTING: "nhsuk-tag--green",
    CapacityStatus.WAITING_LIST: "nhsuk-tag--yellow",
    CapacityStatus.NOT_ACCEPTING: "nhsuk-tag--red",
    CapacityStatus.ASSESSMENT_REQUIRED: "nhsuk-tag--blue",
}


@dataclass
class ListingPresenter:
    service: Service
    today: date | None = None

    @property
    def capacity(self) -> ServiceCapacity | None:
        try:
            return self.service.capacity
        except ServiceCapacity.DoesNotExist:
            return None

    @property
    def is_stale(self) -> bool:
        return self.service.is_stale(self.today)

    @property
    def capacity_label(self) -> str:
        capacity = self.capacity
        if capacity is None:
            return "Capacity not known"
        label = capacity.get_status_display()
        if capacity.status == CapacityStatus.WAITING_LIST and capacity.expected_wait_weeks:
            label += f" (about {capacity.expected_wait_weeks} weeks)"
        return label

    @property
    def capacity_tag(self) -> str:
        capacity = self.capacity
        return (
            CAPACITY_TAG.get(capacity.status, "nhsuk-tag--grey") if capacity else "nhsuk-tag--grey"
        )

    @property
    def capacity_is_stale(self) -> bool:
        capacity = self.capacity
        return capacity is None or capacity.is_stale()

    @property
    def confirmed_text(self) -> str:
        assured = self.service.assured_date
        return f"{assured:%-d %B %Y}" if assured else "Never confirmed"

    @property
    def capacity_choices(self) -> list[tuple[str, str]]:
        return list(CapacityStatus.choices)

    @property
    def distance_text(self) -> str:
        metres = getattr(self.service, "distance", None)
        if metres is None:
            return ""
        miles = metres / METRES_PER_MILE
        return "less than 0.1 miles away" if miles < 0.1 else f"{miles:.1f} miles away"

    @property
    def categories(self) -> list[str]:
        return [t.name for t in self.service.taxonomy_terms.all()]
