"""Directory administrators approve organisations and work through stale and changed
listings."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import ApprovalStatus, ChangeKind, DirectoryOrganisation, ServiceChange
from socialrx.core.models import AuditEvent, OrganisationType
from tests.directory.factories import DirectoryOrganisationFactory, service_with
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_org(db) -> DirectoryOrganisation:
    return DirectoryOrganisationFactory(
        name="New Youth Theatre", approval_status=ApprovalStatus.PENDING
    )


@pytest.mark.parametrize("persona", ["vcse_editor", "referrer", "link_worker", "other_org_user"])
def test_admin_views_refuse_other_roles(client, request, persona, own_service, pending_org):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("directory:review_queue")).status_code == 403
    reviewed = reverse("directory:service_mark_reviewed", args=[own_service.id])
    assert client.post(reviewed).status_code == 403
    decide = reverse("directory:organisation_decide", args=[pending_org.id])
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    pending_org.refresh_from_db()
    assert pending_org.approval_status == ApprovalStatus.PENDING


def test_unknown_or_already_decided_records_are_404(client, directory_admin, listing_org):
    client.force_login(directory_admin)
    missing = reverse("directory:service_mark_reviewed", args=[uuid.uuid4()])
    assert client.post(missing).status_code == 404
    approved = reverse("directory:organisation_decide", args=[listing_org.id])
    assert client.post(approved, {"decision": "reject"}).status_code == 404


def test_queue_lists_pending_organisations_changed_and_stale_listings(
    client, directory_admin, pending_org, django_assert_num_queries
):
    now = timezone.now()
    changed = service_with(name="Changed listing", reviewed_at=now - timedelta(days=2))
    stale = service_with(
        name="Stale listing",
        reviewed_at=now,
        last_modified=now - timedelta(days=200),
        assured_date=timezone.localdate() - timedelta(days=200),
    )
    quiet = service_with(name="Quiet listing", reviewed_at=now, last_modified=now - timedelta(1))
    for i in range(10):
        service_with(name=f"Another change {i}", reviewed_at=None)
    client.force_login(directory_admin)

    # the user with their roles (the session is cached), pending organisations, count
    # and page of listings
    with django_assert_num_queries(4):
        response = client.get(reverse("directory:review_queue"))

    content = response.content.decode()
    assert pending_org.name in content
    assert changed.name in content
    assert stale.name in content
    assert quiet.name not in content
    assert content.index(changed.name) < content.index(stale.name)


def test_marking_reviewed_takes_a_listing_off_the_queue(client, directory_admin):
    service = service_with(name="Changed listing", reviewed_at=None)
    client.force_login(directory_admin)

    mark = reverse("directory:service_mark_reviewed", args=[service.id])
    client.post(mark)

    assert mark not in client.get(reverse("directory:review_queue")).content.decode()
    assert ServiceChange.objects.get(service=service).kind == ChangeKind.REVIEWED


def test_an_editors_change_puts_the_listing_back_on_the_queue(
    client, vcse_editor, directory_admin, own_service
):
    own_service.reviewed_at = timezone.now()
    own_service.save()
    client.force_login(vcse_editor)
    client.post(
        reverse("directory:service_edit", args=[own_service.id]),
        {"name": "Renamed", "description": "New words.", "status": "active",
         "cost": "free", "referral_routes": "both"},
    )  # fmt: skip
    client.force_login(directory_admin)
    assert "Renamed" in client.get(reverse("directory:review_queue")).content.decode()


def test_approving_an_organisation_publishes_its_services(client, directory_admin, pending_org):
    service = service_with(organization=pending_org)
    assert client.get(f"/oruk/services/{service.id}").status_code == 404
    client.force_login(directory_admin)

    client.post(
        reverse("directory:organisation_decide", args=[pending_org.id]), {"decision": "approve"}
    )

    pending_org.refresh_from_db()
    assert pending_org.approval_status == ApprovalStatus.APPROVED
    assert pending_org.decided_by == directory_admin
    assert AuditEvent.objects.for_object("directory.directoryorganisation", pending_org.id)
    client.logout()
    assert client.get(f"/oruk/services/{service.id}").status_code == 200


def test_rejecting_keeps_services_unpublished(client, directory_admin, pending_org):
    service = service_with(organization=pending_org)
    client.force_login(directory_admin)
    client.post(
        reverse("directory:organisation_decide", args=[pending_org.id]), {"decision": "reject"}
    )
    pending_org.refresh_from_db()
    assert pending_org.approval_status == ApprovalStatus.REJECTED
    assert client.get(f"/oruk/services/{service.id}").status_code == 404


def test_a_vcse_editor_asks_for_an_unlisted_organisation_to_be_listed(client):
    org = OrganisationFactory(name="Brand New Charity", org_type=OrganisationType.VCSE)
    editor = MembershipFactory(organisation=org, role="vcse_editor").user
    client.force_login(editor)
    assert (
        "Ask for your organisation to be listed"
        in client.get(reverse("directory:my_listings")).content.decode()
    )

    response = client.post(
        reverse("directory:organisation_register"),
        {"organisation": org.id, "description": "We run a lunch club."},
    )

    assert response.status_code == 302
    listing = DirectoryOrganisation.objects.get(organisation=org)
    assert listing.approval_status == ApprovalStatus.PENDING
    page = client.get(reverse("directory:my_listings")).content.decode()
    assert "waiting for the directory team" in page


def test_an_editor_cannot_register_someone_elses_organisation(client, vcse_editor):
    other = OrganisationFactory(name="Not Mine", org_type=OrganisationType.VCSE)
    client.force_login(vcse_editor)
    response = client.post(
        reverse("directory:organisation_register"),
        {"organisation": other.id, "description": "Hijack."},
    )
    assert response.status_code == 200
    assert not DirectoryOrganisation.objects.filter(organisation=other).exists()


def test_registering_is_for_vcse_editors(client, referrer):
    client.force_login(referrer)
    assert client.get(reverse("directory:organisation_register")).status_code == 403
