"""Who may change which listings.

The directory holds no personal data: anyone may read what is published, and those
reads (with their loading plans) are in ``directory.selectors``. Changing a listing is
for its own organisation's VCSE editors and for directory administrators.
"""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from directory.models import (
    ApprovalStatus,
    Contact,
    DirectoryOrganisation,
    DirectoryOrganisationQuerySet,
    Location,
    Schedule,
    Service,
    ServiceQuerySet,
)
from directory.selectors import services_full
from socialrx.core.models import Organisation, Role, User
from socialrx.core.permissions import organisations_for


def is_directory_admin(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.DIRECTORY_ADMIN)


def organisations_editable_by(user: User) -> DirectoryOrganisationQuerySet:
    if is_directory_admin(user):
        return DirectoryOrganisation.objects.all()
    return DirectoryOrganisation.objects.filter(
        organisation__in=organisations_for(user, Role.VCSE_EDITOR)
    )


def services_editable_by(user: User) -> ServiceQuerySet:
    """Administrators may change any listing; VCSE editors their own organisation's."""
    if is_directory_admin(user):
        return Service.objects.all()
    return Service.objects.of_organisations(organisations_for(user, Role.VCSE_EDITOR))


def services_of_own_organisations(user: User) -> ServiceQuerySet:
    """The listings of the organisations in which the user is a VCSE editor."""
    return Service.objects.of_organisations(organisations_for(user, Role.VCSE_EDITOR))


def service_for_editor(user: User, service_id: uuid.UUID) -> Service:
    """The listing if the user may change it; 404 otherwise, so another organisation's
    listings are not even confirmed to exist."""
    service = (
        services_editable_by(user)
        .select_related("organization", "capacity")
        .filter(id=service_id)
        .first()
    )
    if service is None:
        raise Http404("No such listing")
    return service


def service_for_editor_full(user: User, service_id: uuid.UUID) -> Service:
    """The listing with its places, opening times, contacts and terms, for the editor's
    overview; 404 unless the user may change it."""
    service = (
        services_full(services_editable_by(user))
        .prefetch_related("taxonomy_terms__taxonomy")
        .filter(id=service_id)
        .first()
    )
    if service is None:
        raise Http404("No such listing")
    return service


def organisations_for_new_services(user: User) -> DirectoryOrganisationQuerySet:
    """Where the user may add a service: their own listed organisations (approved or
    waiting), or any for an administrator."""
    return organisations_editable_by(user).exclude(approval_status=ApprovalStatus.REJECTED)


def organisation_for_new_service(user: User, organization_id: uuid.UUID) -> DirectoryOrganisation:
    organization = organisations_for_new_services(user).filter(id=organization_id).first()
    if organization is None:
        raise Http404("No such organisation")
    return organization


def location_of(service: Service, location_id: uuid.UUID) -> Location:
    """One of the places the service runs at; 404 for any other place."""
    location = (
        Location.objects.filter(id=location_id, service_at_locations__service=service)
        .prefetch_related("addresses")
        .first()
    )
    if location is None:
        raise Http404("No such place for this listing")
    return location


def schedule_of(service: Service, schedule_id: uuid.UUID) -> Schedule:
    """Opening times of the service, or of it at one of its places; 404 otherwise."""
    schedule = (
        Schedule.objects.filter(
            Q(service=service) | Q(service_at_location__service=service), id=schedule_id
        )
        .select_related("service_at_location__location")
        .first()
    )
    if schedule is None:
        raise Http404("No such opening times for this listing")
    return schedule


def contact_of(service: Service, contact_id: uuid.UUID) -> Contact:
    contact = service.contacts.filter(id=contact_id).first()
    if contact is None:
        raise Http404("No such contact for this listing")
    return contact


def locations_editable_by(user: User) -> QuerySet[Location]:
    if is_directory_admin(user):
        return Location.objects.all()
    return Location.objects.filter(organization__in=organisations_editable_by(user))


# --- administration -------------------------------------------------------------------


def services_awaiting_review() -> ServiceQuerySet:
    """Changed since last reviewed, or stale: oldest change first, stale after."""
    return (
        Service.objects.awaiting_review()
        .select_related("organization", "capacity")
        .with_stale_rank()
        .order_by("stale_rank", "last_modified")
    )


def service_any(service_id: uuid.UUID) -> Service:
    service = Service.objects.select_related("organization").filter(id=service_id).first()
    if service is None:
        raise Http404("No such listing")
    return service


def organisations_pending() -> DirectoryOrganisationQuerySet:
    return DirectoryOrganisation.objects.pending().select_related("organisation")


def organisation_pending(organization_id: uuid.UUID) -> DirectoryOrganisation:
    organization = organisations_pending().filter(id=organization_id).first()
    if organization is None:
        raise Http404("No such organisation waiting for approval")
    return organization


def unlisted_organisations_of(user: User) -> QuerySet[Organisation]:
    """The user's VCSE organisations that have no directory listing yet."""
    return organisations_for(user, Role.VCSE_EDITOR).filter(directory_listing__isnull=True)


def directory_organisations_of(user: User) -> DirectoryOrganisationQuerySet:
    return DirectoryOrganisation.objects.filter(
        organisation__in=organisations_for(user, Role.VCSE_EDITOR)
    )
