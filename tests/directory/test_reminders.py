"""The weekly reminder: one email per editor listing all their due listings, once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from directory.models import ListingReminder
from directory.tasks import listing_reminders_send_task
from socialrx.core.models import Notification, Role
from tests.directory.factories import service_with
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)


@pytest.fixture
def due_listings(listing_org):
    """Three listings of one organisation: two due, one fine."""
    soon = service_with(organization=listing_org, name="Going stale soon",
                        assured_date=days_ago(80))  # fmt: skip
    old_capacity = service_with(organization=listing_org, name="Capacity unchecked")
    old_capacity.capacity.updated = timezone.now() - timedelta(days=31)
    old_capacity.capacity.save()
    service_with(organization=listing_org, name="All fine", assured_date=days_ago(10))
    return soon, old_capacity


def test_one_email_per_editor_listing_every_due_listing(
    vcse_editor, vcse_org, due_listings, other_service, django_capture_on_commit_callbacks
):
    second_editor = MembershipFactory(organisation=vcse_org, role=Role.VCSE_EDITOR).user
    # Someone else's stale listing with no editors of ours
    other_service.assured_date = days_ago(200)
    other_service.save()

    with django_capture_on_commit_callbacks(execute=True):
        sent = listing_reminders_send_task.delay().get()

    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([vcse_editor.email, second_editor.email])
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Please check 2 directory listings"
    assert "Going stale soon" in body
    assert "Capacity unchecked" in body
    assert "All fine" not in body
    assert other_service.name not in body
    soon, unchecked = due_listings
    assert f"/directory/listings/{soon.id}/confirm/" in body
    assert f"/directory/listings/{unchecked.id}/confirm/" in body
    assert "Capacity not confirmed in the last 30 days" in body


def test_running_twice_sends_nothing_more(vcse_editor, due_listings,
                                          django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert listing_reminders_send_task.delay().get() == 1
        assert listing_reminders_send_task.delay().get() == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    assert ListingReminder.objects.get().service_count == 2


def test_nothing_due_sends_nothing(vcse_editor, own_service):
    assert listing_reminders_send_task.delay().get() == 0
    assert Notification.objects.count() == 0


def test_the_email_link_confirms_in_one_more_click(
    client, vcse_editor, due_listings, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        listing_reminders_send_task.delay()
    soon, _ = due_listings
    link = next(line for line in mail.outbox[0].body.splitlines() if str(soon.id) in line)
    path = link.split(settings.SITE_URL, 1)[-1].strip()
    client.force_login(vcse_editor)
    assert "Yes, it is still accurate" in client.get(path).content.decode()

    client.post(path)

    soon.refresh_from_db()
    assert not soon.is_stale()
    assert soon.assured_date == timezone.localdate()
