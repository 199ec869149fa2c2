import pytest
from django.core.management import call_command

from directory.models import (
    ApprovalStatus,
    CapacityStatus,
    DirectoryOrganisation,
    PostcodeCentroid,
    Service,
    ServiceCapacity,
)
from directory.taxonomy import CATEGORY

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_the_directory_across_the_taxonomy_and_both_pcn_areas(settings):
    settings.DEBUG = True
    call_command("seed_demo")

    services = Service.objects.all()
    assert services.count() >= 40
    used_categories = set(
        services.filter(taxonomy_terms__taxonomy__code=CATEGORY).values_list(
            "taxonomy_terms__term", flat=True
        )
    )
    assert len(used_categories) >= 17
    postcodes = set(
        services.values_list("service_at_locations__location__addresses__postal_code", flat=True)
    )
    assert any(p and p.startswith("NS") for p in postcodes)
    assert any(p and p.startswith("FB") for p in postcodes)
    assert ServiceCapacity.objects.filter(status=CapacityStatus.NOT_ACCEPTING).exists()
    assert ServiceCapacity.objects.filter(status=CapacityStatus.WAITING_LIST).exists()
    assert services.stale().exists()
    assert DirectoryOrganisation.objects.filter(approval_status=ApprovalStatus.PENDING).exists()
    assert PostcodeCentroid.objects.filter(postcode="NS1").exists()


def test_seed_demo_twice_adds_no_directory_records(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    before = (
        Service.objects.count(),
        DirectoryOrganisation.objects.count(),
        PostcodeCentroid.objects.count(),
    )

    call_command("seed_demo")

    assert (
        Service.objects.count(),
        DirectoryOrganisation.objects.count(),
        PostcodeCentroid.objects.count(),
    ) == before
