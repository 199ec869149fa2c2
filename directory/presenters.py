"""Display logic for listings, kept out of templates and models."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.template.defaultfilters import pluralize, truncatewords
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from directory.capacity import WeekCapacity, week_capacity
from directory.models import (
    Address,
    CapacityStatus,
    Contact,
    Location,
    Schedule,
    Service,
    ServiceCapacity,
    Weekday,
)
from directory.search import RankedServices, ServiceFilters
from socialrx.core.templatetags.nhsuk import nhsuk_tag

METRES_PER_MILE = 1609.344

# NHS.UK tag colours (includes/tag.html) for each capacity status.
CAPACITY_TAG: dict[str, str] = {
    CapacityStatus.ACCEPTING: "green",
    CapacityStatus.WAITING_LIST: "yellow",
    CapacityStatus.NOT_ACCEPTING: "red",
    CapacityStatus.ASSESSMENT_REQUIRED: "blue",
}
DAY_NAMES = dict(Weekday.choices)
STALE_TAG = "Not confirmed for 3 months"


def _and(items: list[str]) -> str:
    return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


def days_text(byday: str) -> str:
    """``MO,WE`` -> ``Monday and Wednesday``; unknown codes are shown as they are."""
    return _and([DAY_NAMES.get(code.strip(), code.strip()) for code in byday.split(",") if code])


def hours_text(schedule: Schedule) -> str:
    if schedule.opens_at and schedule.closes_at:
        return f"{schedule.opens_at:%H:%M} to {schedule.closes_at:%H:%M}"
    return ""


def schedule_text(schedule: Schedule) -> str:
    """One line for the change history: days, hours, where, and any note."""
    parts = [days_text(schedule.byday) or schedule.description, hours_text(schedule)]
    at = schedule.service_at_location
    if at is not None:
        parts.append(f"at {at.location.name}")
    if schedule.byday and schedule.description:
        parts.append(f"({schedule.description})")
    return " ".join(p for p in parts if p)


def address_text(address: Address | None) -> str:
    if address is None:
        return ""
    lines = [address.address_1, address.address_2, address.city, address.postal_code]
    return ", ".join(line for line in lines if line)


def place_text(location: Location, address: Address | None) -> str:
    return ", ".join(p for p in (location.name, address_text(address)) if p)


def contact_text(contact: Contact) -> str:
    parts = [contact.name, contact.title, contact.email]
    parts += [phone.number for phone in contact.phones.all()]
    if contact.is_referral_contact:
        parts.append("referral contact")
    return ", ".join(p for p in parts if p)


_ANY_ID = uuid.UUID(int=0)


def service_detail_urls() -> Callable[[uuid.UUID], str]:
    """Each service's public page address, from one ``reverse``: a ``{% url %}`` per
    search result cost more than the rest of its card's tags (issue 17)."""
    head, tail = reverse("directory:service_detail", args=[_ANY_ID]).split(str(_ANY_ID))
    return lambda service_id: f"{head}{service_id}{tail}"


def _lines(lines: Iterable[str]) -> SafeString:
    return format_html_join("", "{}<br>", ((line,) for line in lines if line))


@dataclass
class ListingPresenter:
    service: Service
    today: date | None = None
    url: str = ""  # the public page's address, where a list shows it
    # The terms' names where the page read them apart (selectors.term_names_of), else
    # from the service's prefetched terms.
    term_names: list[str] | None = None

    @property
    def capacity(self) -> ServiceCapacity | None:
        try:
            return self.service.capacity
        except ServiceCapacity.DoesNotExist:
            return None

    @property
    def is_stale(self) -> bool:
        return self.service.is_stale(self.today)

    @cached_property
    def week(self) -> WeekCapacity | None:
        """This week's places, where the service states a weekly limit."""
        return week_capacity(self.service)

    @property
    def week_summary(self) -> str:
        """For the editor: "This week: 4 asked, 3 accepted; 4 of 10 places taken"."""
        asked = getattr(self.service, "week_asked", None)
        if asked is None:
            return ""
        accepted = getattr(self.service, "week_accepted", 0) or 0
        text = f"This week: {asked} asked, {accepted} accepted"
        week = self.week
        if week is None:
            return f"{text}; no weekly limit set"
        return f"{text}; {week.taken} of {week.limit} places taken"

    @property
    def full_this_week(self) -> bool:
        capacity = self.capacity
        return bool(
            capacity
            and capacity.status != CapacityStatus.NOT_ACCEPTING
            and self.week
            and self.week.full
        )

    @property
    def capacity_label(self) -> str:
        capacity = self.capacity
        if capacity is None:
            return "Capacity not known"
        if self.full_this_week and self.week:
            return self.week.text
        label = capacity.get_status_display()
        if capacity.status == CapacityStatus.WAITING_LIST and capacity.expected_wait_weeks:
            label += f" (about {capacity.expected_wait_weeks} weeks)"
        if capacity.status != CapacityStatus.NOT_ACCEPTING and self.week:
            label += f": {self.week.text}"
        return label

    @property
    def capacity_tag(self) -> str:
        capacity = self.capacity
        if self.full_this_week:
            return "red"
        return CAPACITY_TAG.get(capacity.status, "grey") if capacity else "grey"

    @property
    def tags(self) -> SafeString:
        """The listing's capacity tag, and a stale listing's warning: a property, not an
        include, as each search result shows them (templates/directory/includes/
        listing_tags.html is this, for the pages that include it)."""
        tags = nhsuk_tag(self.capacity_label, self.capacity_tag)
        if self.is_stale:
            return format_html("{}\n{}", tags, nhsuk_tag(STALE_TAG, "orange"))
        return tags

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

    @cached_property
    def categories(self) -> list[str]:
        # Cached: each read of a many-to-many builds a related manager, and a card reads it twice.
        if self.term_names is not None:
            return self.term_names
        return [t.name for t in self.service.taxonomy_terms.all()]

    def _terms(self, code: str) -> list[str]:
        return [
            t.name
            for t in self.service.taxonomy_terms.all()
            if t.taxonomy is not None and t.taxonomy.code == code
        ]

    @property
    def ages_text(self) -> str:
        low, high = self.service.minimum_age, self.service.maximum_age
        if low is None and high is None:
            return "Any age"
        if high is None:
            return f"{low} and over"
        if low is None:
            return f"Up to {high}"
        return f"{low} to {high}"

    def detail_rows(self) -> list[dict[str, Any]]:
        """The public page's summary list (needs ``services_full`` prefetching)."""
        service = self.service
        places = [
            _lines(
                [
                    place_text(at.location, next(iter(at.location.addresses.all()), None)),
                    *(schedule_text(s) for s in at.schedules.all()),
                ]
            )
            for at in service.service_at_locations.all()
        ]
        contacts = [
            _lines([c.title or c.name, c.email, *(p.number for p in c.phones.all())])
            for c in service.contacts.all()
        ]
        if service.url:
            contacts.append(format_html('<a href="{}">{}</a>', service.url, service.url))
        costs = [service.get_cost_display()] + [
            f"{o.option} £{o.amount} {o.amount_description}".strip()
            for o in service.cost_options.all()
        ]
        referral = [service.get_referral_routes_display(), service.referral_instructions]
        return [
            {"key": "What it offers", "value": ", ".join(self.categories) or "Not given"},
            {"key": "How to refer", "value": _lines(referral)},
            {"key": "Cost", "value": _lines(costs)},
            {"key": "Ages", "value": self.ages_text},
            {
                "key": "Languages",
                "value": ", ".join(map(str, service.languages.all())) or "Not given",
            },  # fmt: skip
            {
                "key": "Where and when",
                "value": _lines([*places, *(schedule_text(s) for s in service.schedules.all())]),
            },  # fmt: skip
            {"key": "Contact", "value": _lines(contacts)},
            {"key": "Last confirmed", "value": self.confirmed_text},
        ]


class SearchCard:
    """One search result's card, its cells finished once (as ``QueueRow`` does for the
    triage queue): the template reads one name a cell, where walking
    ``listing.service.organization.name`` and running ``truncatewords`` and ``join``
    through the template engine cost a tenth of the page's Python (issue 15). The text
    is escaped by the template as before; the page's HTML is the same."""

    __slots__ = ("listing", "url", "name", "byline", "tags", "summary", "categories")

    def __init__(self, listing: ListingPresenter) -> None:
        service = listing.service
        self.listing = listing
        self.url = listing.url
        self.name = service.name
        organisation, distance = service.organization.name, listing.distance_text
        self.byline = f"{organisation} · {distance}" if distance else organisation
        self.tags = listing.tags
        self.summary = truncatewords(service.description, 40)
        self.categories = ", ".join(listing.categories)


@dataclass(frozen=True)
class ResultsSummary:
    """The search page's count of results, honest when the search stopped counting."""

    results: RankedServices
    filters: ServiceFilters

    @property
    def heading(self) -> str:
        if self.results.capped:
            return f"More than {self.results.cap} services found"
        count = len(self.results)
        return f"{count} service{pluralize(count)} found"

    @property
    def refine_hint(self) -> str:
        """Said only when there are more results than the pages show."""
        cap = self.results.cap
        if not self.results.capped:
            return ""
        if self.results.broad:
            return (
                f"So many services match that these pages show the first {cap} by how they "
                "match: services in a category the words name first, then the others, each "
                "from A to Z. Add a word, a category or a postcode to narrow the search."
            )
        if self.filters.origin is not None:
            shown = f"the {cap} nearest"
        elif self.filters.text.strip():
            shown = f"the {cap} best matches"
        else:
            shown = f"the first {cap}"
        return (
            f"These pages show {shown}. Add a word, a category or a postcode to narrow the search."
        )


@dataclass
class ListingEditor:
    """What the editor's overview of one listing shows, with a change link per row.
    Needs the service fetched with ``permissions.service_for_editor_full``."""

    service: Service

    def _url(self, name: str, *args: object) -> str:
        return reverse(f"directory:{name}", args=[self.service.id, *args])

    @property
    def details_rows(self) -> list[dict[str, Any]]:
        service, url = self.service, self._url("service_edit")
        return [
            {"key": "Name", "value": service.name, "action_url": url},
            {"key": "Description", "value": service.description, "action_url": url},
            {
                "key": "What it offers",
                "value": ", ".join(self.listing._terms("category")),
                "action_url": url,
            },  # fmt: skip
            {
                "key": "How people are referred",
                "value": service.get_referral_routes_display(),
                "action_url": url,
            },  # fmt: skip
        ]

    @property
    def listing(self) -> ListingPresenter:
        return ListingPresenter(self.service)

    @property
    def eligibility_rows(self) -> list[dict[str, Any]]:
        url = self._url("service_eligibility")
        audiences = ", ".join(self.listing._terms("audience")) or "Anyone"
        return [
            {"key": "Who it is for", "value": audiences, "action_url": url},
            {"key": "Ages", "value": self.listing.ages_text, "action_url": url},
        ]

    @property
    def place_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "key": at.location.name or "Unnamed place",
                "value": address_text(next(iter(at.location.addresses.all()), None)),
                "action_url": self._url("location_edit", at.location.id),
            }
            for at in self.service.service_at_locations.all()
        ]

    @property
    def schedule_rows(self) -> list[dict[str, Any]]:
        schedules = [*self.service.schedules.all()]
        for at in self.service.service_at_locations.all():
            schedules += at.schedules.all()
        return [
            {
                "key": days_text(s.byday) or "Opening times",
                "value": schedule_text(s).removeprefix(days_text(s.byday)).strip(),
                "action_url": self._url("schedule_edit", s.id),
                "action_text": "Change",
            }
            for s in schedules
        ]

    @property
    def contact_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "key": c.name or c.title or "Contact",
                "value": _lines(
                    [
                        c.title if c.name else "",
                        c.email,
                        *(p.number for p in c.phones.all()),
                        "Referrals go to this contact" if c.is_referral_contact else "",
                    ]
                ),  # fmt: skip
                "action_url": self._url("contact_edit", c.id),
            }
            for c in self.service.contacts.all()
        ]
