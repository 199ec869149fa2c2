"""VCSE editors' self-service beyond the details form: new services, who a service is
for, its places, opening times and contacts. Each change is published at once, written
to the listing's change history and the audit log, and puts the listing in the
administrators' review queue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import time

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from directory.eligibility import stored_list
from directory.geo import postcode_centroid
from directory.models import (
    Address,
    ChangeKind,
    Contact,
    DirectoryOrganisation,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceCapacity,
    ServiceChange,
    TaxonomyTerm,
)
from directory.presenters import contact_text, place_text, schedule_text
from directory.services._history import diff, published_change, record
from directory.taxonomy import AUDIENCE
from socialrx.core.models import AuditAction, User


@dataclass(frozen=True)
class Place:
    """A venue and its postal address, as an editor gives it."""

    name: str
    address_1: str
    city: str
    state_province: str
    postal_code: str
    address_2: str = ""


@dataclass(frozen=True)
class OpeningTimes:
    """Weekly opening times: the same hours on each of ``days`` (ORUK ``byday`` codes)."""

    days: Sequence[str]
    opens_at: time
    closes_at: time
    at: ServiceAtLocation | None = None
    description: str = ""


@dataclass(frozen=True)
class ContactDetails:
    name: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""
    is_referral_contact: bool = False


def _edited(
    *,
    service: Service,
    actor: User,
    changes: dict[str, list[str]],
    request: HttpRequest | None,
) -> ServiceChange | None:
    if not changes:
        return None
    published_change(service)
    return record(
        service=service, actor=actor, kind=ChangeKind.EDITED, changes=changes, request=request
    )


@transaction.atomic
def service_create(
    *,
    organization: DirectoryOrganisation,
    actor: User,
    name: str,
    description: str,
    terms: Iterable[TaxonomyTerm],
    referral_routes: str,
    request: HttpRequest | None = None,
) -> Service:
    """A new listing, published at once (if the organisation is approved). Its editor
    has just written it, so it counts as confirmed today; capacity starts as accepting."""
    terms = list(terms)
    service = Service.objects.create(
        organization=organization,
        name=name,
        description=description,
        referral_routes=referral_routes,
        assured_date=timezone.localdate(),
        assurer_email=organization.email,  # public contact, never the editor's own email
        last_modified=timezone.now(),
    )
    ServiceAttribute.objects.bulk_create(
        ServiceAttribute(service=service, taxonomy_term=term) for term in terms
    )
    ServiceCapacity.objects.create(service=service)
    after = {
        "name": name,
        "description": description,
        "referral_routes": service.get_referral_routes_display(),
        "taxonomy_terms": [t.name for t in terms],
    }
    record(
        service=service,
        actor=actor,
        kind=ChangeKind.CREATED,
        changes=diff({}, after),
        request=request,
        action=AuditAction.CREATE,
    )
    return service


@transaction.atomic
def service_eligibility_update(
    *,
    service: Service,
    actor: User,
    audiences: Iterable[TaxonomyTerm],
    minimum_age: int | None,
    maximum_age: int | None,
    gender_only: str = "",
    only_for: Iterable[str] = (),
    areas_served: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> ServiceChange | None:
    """Who the service is for: its audience terms (other terms are kept), age range,
    and who it is only for (a sex, groups, areas), which link workers see checked."""
    only = stored_list(only_for)
    areas = stored_list(a.upper() for a in areas_served)
    audiences = [t for t in audiences if t.taxonomy is not None and t.taxonomy.code == AUDIENCE]
    current = list(service.taxonomy_terms.filter(taxonomy__code=AUDIENCE))
    before = {
        "who it is for": [t.name for t in current],
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "only for": service.gender_only,
        "only for groups": service.only_for_list,
        "areas served": service.areas_served_list,
    }
    after = {
        "who it is for": [t.name for t in audiences],
        "minimum_age": minimum_age,
        "maximum_age": maximum_age,
        "only for": gender_only,
        "only for groups": [g for g in only.split(",") if g],
        "areas served": [a for a in areas.split(",") if a],
    }
    changes = diff(before, after)
    if not changes:
        return None
    service.minimum_age, service.maximum_age = minimum_age, maximum_age
    service.gender_only, service.only_for, service.areas_served = gender_only, only, areas
    service.save(
        update_fields=[
            "minimum_age", "maximum_age", "gender_only", "only_for", "areas_served", "updated_at"
        ]
    )  # fmt: skip
    ServiceAttribute.objects.filter(service=service, taxonomy_term__in=current).exclude(
        taxonomy_term__in=audiences
    ).delete()
    ServiceAttribute.objects.bulk_create(
        ServiceAttribute(service=service, taxonomy_term=t) for t in audiences if t not in current
    )
    return _edited(service=service, actor=actor, changes=changes, request=request)


# --- places ------------------------------------------------------------------------------


def _place_of(location: Location) -> str:
    return place_text(location, location.addresses.first())


def _save_place(location: Location, place: Place) -> None:
    # Distance search needs coordinates: take the postcode's (or its district's) centre.
    centroid = postcode_centroid(place.postal_code)
    location.name = place.name
    location.latitude, location.longitude = centroid if centroid else (None, None)
    location.save()
    address = location.addresses.first() or Address(location=location)
    for field in ("address_1", "address_2", "city", "state_province", "postal_code"):
        setattr(address, field, getattr(place, field))
    address.save()


@transaction.atomic
def location_add(
    *, service: Service, actor: User, place: Place, request: HttpRequest | None = None
) -> Location:
    """A new place the service runs at, belonging to the service's organisation."""
    location = Location(organization=service.organization)
    _save_place(location, place)
    ServiceAtLocation.objects.create(service=service, location=location)
    changes = {f"place: {place.name}": ["", _place_of(location)]}
    _edited(service=service, actor=actor, changes=changes, request=request)
    return location


@transaction.atomic
def location_update(
    *,
    service: Service,
    location: Location,
    actor: User,
    place: Place,
    request: HttpRequest | None = None,
) -> ServiceChange | None:
    """Change a place. Every service held there changes with it, so each one's history
    records it and each goes to the review queue."""
    before = _place_of(location)
    _save_place(location, place)
    after = _place_of(location)
    if before == after:
        return None
    changes = {f"place: {place.name}": [before, after]}
    result = None
    for held_there in Service.objects.filter(service_at_locations__location=location):
        change = _edited(service=held_there, actor=actor, changes=changes, request=request)
        if held_there.pk == service.pk:
            result = change
    return result


@transaction.atomic
def location_remove(
    *, service: Service, location: Location, actor: User, request: HttpRequest | None = None
) -> ServiceChange | None:
    """The service no longer runs there. The place itself goes too once no service of
    the organisation uses it, so stale venues do not linger in the feed."""
    text = _place_of(location)
    ServiceAtLocation.objects.filter(service=service, location=location).delete()
    if not location.service_at_locations.exists():
        location.delete()
    changes = {f"place: {location.name}": [text, ""]}
    return _edited(service=service, actor=actor, changes=changes, request=request)


# --- opening times -----------------------------------------------------------------------


def _save_times(schedule: Schedule, service: Service, times: OpeningTimes) -> None:
    # ORUK keeps times at one place on the service_at_location, others on the service.
    schedule.service = None if times.at else service
    schedule.service_at_location = times.at
    schedule.freq = "WEEKLY"
    schedule.byday = ",".join(times.days)
    schedule.opens_at, schedule.closes_at = times.opens_at, times.closes_at
    schedule.description = times.description
    schedule.save()


@transaction.atomic
def schedule_add(
    *, service: Service, actor: User, times: OpeningTimes, request: HttpRequest | None = None
) -> Schedule:
    if times.closes_at <= times.opens_at:
        raise ValueError("Closing time must be after opening time")
    schedule = Schedule()
    _save_times(schedule, service, times)
    changes = {"opening times": ["", schedule_text(schedule)]}
    _edited(service=service, actor=actor, changes=changes, request=request)
    return schedule


@transaction.atomic
def schedule_update(
    *,
    service: Service,
    schedule: Schedule,
    actor: User,
    times: OpeningTimes,
    request: HttpRequest | None = None,
) -> ServiceChange | None:
    if times.closes_at <= times.opens_at:
        raise ValueError("Closing time must be after opening time")
    before = schedule_text(schedule)
    _save_times(schedule, service, times)
    changes = diff({"opening times": before}, {"opening times": schedule_text(schedule)})
    return _edited(service=service, actor=actor, changes=changes, request=request)


@transaction.atomic
def schedule_remove(
    *, service: Service, schedule: Schedule, actor: User, request: HttpRequest | None = None
) -> ServiceChange | None:
    changes = {"opening times": [schedule_text(schedule), ""]}
    schedule.delete()
    return _edited(service=service, actor=actor, changes=changes, request=request)


# --- contacts ----------------------------------------------------------------------------


def _save_contact(contact: Contact, details: ContactDetails) -> None:
    for field in ("name", "title", "email", "is_referral_contact"):
        setattr(contact, field, getattr(details, field))
    contact.save()
    if details.is_referral_contact:
        # One referral contact per service, so referrers know where to send them.
        contact.service.contacts.exclude(pk=contact.pk).update(is_referral_contact=False)
    # The form shows one number; any further numbers (from an import) are kept.
    phone = contact.phones.first()
    if phone and not details.phone:
        phone.delete()
    elif details.phone:
        phone = phone or Phone(contact=contact)
        phone.number = details.phone
        phone.save()


def _label(details: ContactDetails | Contact) -> str:
    who = details.name or details.title
    return f"contact: {who}" if who else "contact"


@transaction.atomic
def contact_add(
    *,
    service: Service,
    actor: User,
    details: ContactDetails,
    request: HttpRequest | None = None,
) -> Contact:
    contact = Contact(service=service)
    _save_contact(contact, details)
    changes = {_label(details): ["", contact_text(contact)]}
    _edited(service=service, actor=actor, changes=changes, request=request)
    return contact


@transaction.atomic
def contact_update(
    *,
    service: Service,
    contact: Contact,
    actor: User,
    details: ContactDetails,
    request: HttpRequest | None = None,
) -> ServiceChange | None:
    before = contact_text(contact)
    _save_contact(contact, details)
    changes = diff({_label(details): before}, {_label(details): contact_text(contact)})
    return _edited(service=service, actor=actor, changes=changes, request=request)


@transaction.atomic
def contact_remove(
    *, service: Service, contact: Contact, actor: User, request: HttpRequest | None = None
) -> ServiceChange | None:
    changes = {_label(contact): [contact_text(contact), ""]}
    contact.delete()
    return _edited(service=service, actor=actor, changes=changes, request=request)
