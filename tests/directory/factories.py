"""Factories for directory records."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from directory.models import (
    Address,
    ApprovalStatus,
    DirectoryOrganisation,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceCapacity,
)
from socialrx.core.models import OrganisationType
from tests.factories import OrganisationFactory


class DirectoryOrganisationFactory(DjangoModelFactory[DirectoryOrganisation]):
    class Meta:
        model = DirectoryOrganisation

    organisation = factory.SubFactory(OrganisationFactory, org_type=OrganisationType.VCSE)
    name = factory.LazyAttribute(lambda o: o.organisation.name if o.organisation else "Imported")
    description = "A test organisation."
    approval_status = ApprovalStatus.APPROVED


class ServiceFactory(DjangoModelFactory[Service]):
    class Meta:
        model = Service

    organization = factory.SubFactory(DirectoryOrganisationFactory)
    name = factory.Sequence(lambda n: f"Test service {n}")
    description = "Somewhere friendly to go."
    assured_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=5))
    assurer_email = "editor@test.example"


class ServiceCapacityFactory(DjangoModelFactory[ServiceCapacity]):
    class Meta:
        model = ServiceCapacity

    service = factory.SubFactory(ServiceFactory)


class LocationFactory(DjangoModelFactory[Location]):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Venue {n}")
    latitude = 52.24
    longitude = -0.89


class AddressFactory(DjangoModelFactory[Address]):
    class Meta:
        model = Address

    location = factory.SubFactory(LocationFactory)
    address_1 = "1 High Street"
    city = "Northby"
    state_province = "Northshire"
    postal_code = "NS1 1AA"


class ServiceAtLocationFactory(DjangoModelFactory[ServiceAtLocation]):
    class Meta:
        model = ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(LocationFactory)


class ScheduleFactory(DjangoModelFactory[Schedule]):
    class Meta:
        model = Schedule

    service = factory.SubFactory(ServiceFactory)
    freq = "WEEKLY"
    byday = "MO"


def service_with(*, terms=(), capacity: dict | None = None, **kwargs) -> Service:
    """A service with its capacity row (as every real listing has) and taxonomy terms."""
    service = ServiceFactory(**kwargs)
    ServiceCapacityFactory(service=service, **(capacity or {}))
    for term in terms:
        ServiceAttribute.objects.create(service=service, taxonomy_term=term)
    return service
