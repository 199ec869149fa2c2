"""Directory personas: Priya edits Test Befrienders' listing; another VCSE organisation
has its own listing she must not reach."""

import pytest

from directory.models import DirectoryOrganisation, Service
from tests.directory.factories import DirectoryOrganisationFactory, service_with


@pytest.fixture
def listing_org(vcse_org) -> DirectoryOrganisation:
    return DirectoryOrganisationFactory(organisation=vcse_org, name=vcse_org.name)


@pytest.fixture
def own_service(listing_org) -> Service:
    return service_with(organization=listing_org, name="Friendly phone calls")


@pytest.fixture
def other_service(db) -> Service:
    """A listing of an organisation none of the fixtures' users belong to."""
    return service_with(name="Someone else's walking group")
