"""Open Referral UK 3.0 records: our models as the profile's JSON.

Empty optional fields are omitted, never sent as null, as the profile asks. Our own
additions carry an ``x_socialrx_`` prefix so no consumer mistakes them for HSDS.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Protocol

from django.http import QueryDict
from rest_framework.exceptions import ValidationError

from directory.capacity import WeekCapacity, week_capacity
from directory.geo import postcode_centroid
from directory.models import (
    Address,
    CapacityStatus,
    DirectoryOrganisation,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    Taxonomy,
    TaxonomyTerm,
    Weekday,
)
from directory.search import ServiceFilters

ORUK_VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://github.com/openreferral/uk-profile"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
DAY_NAMES = {label.lower(): code for code, label in Weekday.choices}

Json = dict[str, Any]


def _value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _clean(data: Json) -> Json:
    """Drop empty optional fields; keep 0 and False, which are values."""
    return {k: _value(v) for k, v in data.items() if v is not None and v != "" and v != []}


def _fields(obj: object, *names: str) -> Json:
    return {name: getattr(obj, name) for name in names}


def taxonomy_term_json(term: TaxonomyTerm) -> Json:
    return _clean(
        _fields(term, "id", "name", "description", "parent_id", "taxonomy_id", "term_uri", "term")
        | {"taxonomy": term.taxonomy.name if term.taxonomy else None}
    )


def taxonomy_json(taxonomy: Taxonomy, *, with_terms: bool = False) -> Json:
    data = _fields(taxonomy, "id", "name", "description", "uri", "version")
    if with_terms:
        data["taxonomy_terms"] = [taxonomy_term_json(t) for t in taxonomy.terms.all()]
    return _clean(data)


def organization_json(org: DirectoryOrganisation, *, full: bool = False) -> Json:
    data = _fields(
        org, "id", "name", "description", "email", "website", "logo", "uri",
        "parent_organization_id",
    )  # fmt: skip
    if full:
        data["organization_identifiers"] = [
            _clean(
                _fields(i, "id", "identifier_scheme", "identifier_type", "identifier")
                | {"organization_id": org.id}
            )
            for i in org.organization_identifiers.all()
        ]
    return _clean(data)


def _address_json(address: Address) -> Json:
    return _clean(
        _fields(
            address, "id", "location_id", "attention", "address_1", "address_2", "city",
            "region", "state_province", "postal_code", "country", "address_type",
        )
    )  # fmt: skip


def location_json(location: Location, *, full: bool = False) -> Json:
    data = _fields(
        location, "id", "location_type", "name", "description", "latitude", "longitude",
        "external_identifier", "external_identifier_type",
    )  # fmt: skip
    data["addresses"] = [_address_json(a) for a in location.addresses.all()]
    if full:
        data["accessibility"] = [
            _clean(_fields(a, "id", "location_id", "description", "details", "url"))
            for a in location.accessibility.all()
        ]
    return _clean(data)


def schedule_json(schedule: Schedule) -> Json:
    return _clean(
        _fields(
            schedule, "id", "service_id", "service_at_location_id", "valid_from", "valid_to",
            "dtstart", "freq", "interval", "byday", "bymonthday", "description", "opens_at",
            "closes_at", "schedule_link", "attending_type", "notes",
        )
    )  # fmt: skip


def capacity_json(
    capacity: ServiceCapacity | None, week: WeekCapacity | None = None
) -> Json | None:
    """HSDS 3.1 ``service_capacity`` names, plus our referral status. With a weekly
    limit, ``available`` is the places left this week, counted from real connections,
    and a full week says so."""
    if capacity is None:
        return None
    data = _fields(capacity, "status", "available", "maximum", "unit", "expected_wait_weeks",
                   "updated")  # fmt: skip
    data |= {"status_label": capacity.get_status_display(), "stale": capacity.is_stale()}
    if week is not None:
        data["available"] = week.left
        data["full_this_week"] = week.full
        if week.full and capacity.status != CapacityStatus.NOT_ACCEPTING:
            data["status_label"] = week.text
    return _clean(data)


def _capacity_of(service: Service) -> ServiceCapacity | None:
    try:
        return service.capacity
    except ServiceCapacity.DoesNotExist:
        return None


def service_summary_json(service: Service) -> Json:
    """A service as ``/services`` lists it: no nested arrays."""
    data = _fields(
        service, "id", "organization_id", "name", "description", "url", "email", "status",
        "accreditations", "minimum_age", "maximum_age", "assured_date", "assurer_email",
        "alert", "last_modified",
    )  # fmt: skip
    data["organization"] = organization_json(service.organization)
    data["x_socialrx_service_capacity"] = capacity_json(
        _capacity_of(service), week_capacity(service)
    )
    data["x_socialrx_stale"] = service.is_stale()
    data["x_socialrx_referral_routes"] = service.referral_routes
    data["x_socialrx_cost"] = service.cost
    return _clean(data)


def service_at_location_json(sal: ServiceAtLocation, *, full: bool = False) -> Json:
    data = _fields(sal, "id", "service_id", "location_id", "description")
    data["location"] = location_json(sal.location, full=full)
    if full:
        data["schedules"] = [schedule_json(s) for s in sal.schedules.all()]
    distance = getattr(sal, "distance", None)
    if distance is not None:
        data["x_socialrx_distance_metres"] = round(distance)
    return _clean(data)


def service_full_json(service: Service) -> Json:
    """A service with everything the profile nests (prefetched by ``services_full``)."""
    data = service_summary_json(service)
    data["organization"] = organization_json(service.organization, full=True)
    nested: Json = {
        "schedules": [schedule_json(s) for s in service.schedules.all()],
        "service_areas": [
            _clean(
                _fields(
                    a, "id", "service_id", "name", "extent", "extent_type", "uri", "service_area"
                )
            )
            for a in service.service_areas.all()
        ],  # fmt: skip
        "service_at_locations": [
            service_at_location_json(s, full=True) for s in service.service_at_locations.all()
        ],
        "languages": [
            _clean(_fields(lang, "id", "service_id", "name", "code", "note"))
            for lang in service.languages.all()
        ],
        "funding": [
            _clean(_fields(f, "id", "service_id", "source")) for f in service.funding.all()
        ],
        "cost_options": [
            _clean(
                _fields(
                    c,
                    "id",
                    "service_id",
                    "valid_from",
                    "valid_to",
                    "option",
                    "amount",
                    "amount_description",
                )
            )
            for c in service.cost_options.all()
        ],  # fmt: skip
        "contacts": [
            _clean(
                _fields(c, "id", "service_id", "name", "title", "email")
                | {
                    "phones": [
                        _clean(_fields(p, "id", "contact_id", "number", "description"))
                        for p in c.phones.all()
                    ]
                }
            )
            for c in service.contacts.all()
        ],  # fmt: skip
        "attributes": [
            _clean(
                _fields(a, "id", "taxonomy_term_id", "link_type")
                | {"link_id": a.service_id, "taxonomy_term": taxonomy_term_json(a.taxonomy_term)}
            )
            for a in service.attributes.all()
        ],
    }
    return data | _clean(nested)


def service_at_location_detail_json(sal: ServiceAtLocation) -> Json:
    return service_at_location_json(sal, full=True) | {"service": service_summary_json(sal.service)}


# --- requests -----------------------------------------------------------------------


@dataclass(frozen=True)
class PageRequest:
    number: int
    per_page: int


def _int(params: QueryDict, name: str) -> int | None:
    raw = params.get(name, "")
    if raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError({name: ["Must be a whole number."]}) from None


def _number(params: QueryDict, name: str) -> float | None:
    raw = params.get(name, "")
    if raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ValidationError({name: ["Must be a number."]}) from None
    if not math.isfinite(value) or value < 0:
        raise ValidationError({name: ["Must be zero or more."]})
    return value


def _time(params: QueryDict, name: str) -> time | None:
    raw = params.get(name, "")
    if raw == "":
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: ["Must be a time such as 09:30."]}) from None


def _uuid(params: QueryDict, name: str) -> uuid.UUID | None:
    raw = params.get(name, "")
    if raw == "":
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ValidationError({name: ["Must be a UUID."]}) from None


def _day(params: QueryDict) -> str:
    raw = params.get("day", "").strip()
    if raw == "":
        return ""
    code = DAY_NAMES.get(raw.lower(), raw.upper())
    if code not in Weekday.values:
        raise ValidationError({"day": ["Must be a day such as MO or Monday."]})
    return code


def page_request(params: QueryDict) -> PageRequest:
    number = _int(params, "page")
    number = 1 if number is None else number
    per_page = _int(params, "per_page")
    per_page = DEFAULT_PER_PAGE if per_page is None else per_page
    if number < 1:
        raise ValidationError({"page": ["Pages start at 1."]})
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ValidationError({"per_page": [f"Must be between 1 and {MAX_PER_PAGE}."]})
    return PageRequest(number=number, per_page=per_page)


def service_filters(params: QueryDict, *, with_place: bool = False) -> ServiceFilters:
    """The profile's filters, validated; every one given applies (AND)."""
    term = _uuid(params, "taxonomy_term_id")
    origin = None
    proximity = None
    postcode = params.get("postcode", "").strip()
    if with_place and postcode:
        origin = postcode_centroid(postcode)
        if origin is None:
            raise ValidationError({"postcode": ["We do not know this postcode."]})
        proximity = _number(params, "proximity")
    return ServiceFilters(
        text=params.get("search", ""),
        taxonomy_term_ids=(term,) if term else (),
        taxonomy_id=_uuid(params, "taxonomy_id"),
        minimum_age=_number(params, "minimum_age"),
        maximum_age=_number(params, "maximum_age"),
        start_time=_time(params, "start_time"),
        end_time=_time(params, "end_time"),
        day=_day(params),
        origin=origin,
        proximity=proximity,
    )


class Pageable(Protocol):
    """What ``page_json`` pages through: a QuerySet, or a FreshFirstPages."""

    def count(self) -> int: ...
    def __getitem__(self, index: slice) -> Any: ...


def page_json(items: Pageable, page: PageRequest, render: Any) -> Json:
    """The profile's ``Page`` envelope around one page of ``items``."""
    total = items.count()
    start = (page.number - 1) * page.per_page
    contents = [render(item) for item in items[start : start + page.per_page]]
    total_pages = math.ceil(total / page.per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page.number,
        "size": len(contents),
        "first_page": page.number == 1,
        "last_page": page.number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
