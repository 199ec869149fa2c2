"""A message to the person that did not reach them: whoever works with them is told (the
triage leads before assignment, the link worker after), and the pages about them say
what happened, in words."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from referrals import codes
from referrals.models import Referral
from referrals.notifications import person_told
from referrals.services import person_update_details
from socialrx.core.models import DeliveryStatus, Notification, Role
from tests.factories import user_with_role
from tests.referrals.factories import ReferralFactory

TOKEN = "a-callback-token-of-some-length"


@pytest.fixture
def told(notify, settings, link_worker_service, triage_lead, django_capture_on_commit_callbacks):
    """A referral whose person was sent a text through Notify (the local fake)."""
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN
    referral = ReferralFactory(
        source=codes.ReferralSource.SELF,
        triage_service=link_worker_service,
        contact_consent=True,
        person__given_name="Ola",
        person__phone="07700 900123",
        person__preferred_contact_method=codes.ContactMethod.TEXT,
    )
    with django_capture_on_commit_callbacks(execute=True):
        notification = person_told(referral=referral, message="referral_received")
    assert notification is not None
    notification.refresh_from_db()
    return notification


def _callback(client, notification: Notification, status: str, capture) -> None:  # noqa: ANN001
    body = {
        "id": notification.provider_reference,
        "reference": f"socialrx-{notification.pk}",
        "status": status,
        # (Notify's time: after the person's details were last changed)
        "completed_at": timezone.now().isoformat(),
        "notification_type": "sms",
    }
    with capture(execute=True):
        response = client.post(
            reverse("notify_delivery_receipt"),
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    assert response.status_code == 200


def _alerts() -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(kind="referral_alert_undelivered").values_list(
            "to_email", "subject"
        )
    )


@pytest.mark.django_db
def test_before_assignment_the_triage_leads_are_told_and_see_it(
    client, notify, told, triage_lead, link_worker_service, django_capture_on_commit_callbacks
):
    other_lead = user_with_role(Role.TRIAGE_LEAD, link_worker_service)

    _callback(client, told, "permanent-failure", django_capture_on_commit_callbacks)

    referral = told.about_id
    alerts = _alerts()
    assert sorted(to for to, _ in alerts) == sorted([triage_lead.email, other_lead.email])
    assert all("was not delivered" in subject for _, subject in alerts)
    # The email carries the reference and a link to the triage page, not who or the number
    emails = [s.personalisation for s in notify.sent if s.body.get("email_address")]
    assert len(emails) == 2
    reference = Referral.objects.get(pk=referral).reference
    for email in emails:
        assert reference in email["body"]
        assert reverse("referrals:triage_detail", args=[referral]) in email["body"]
        assert "07700" not in email["body"]
        assert "Ola" not in email["body"]

    # The lead's home page says a referral in their queue waits on it
    client.force_login(triage_lead)
    waiting = "1 referral in your queue where a message did not reach the person"
    assert waiting in client.get(reverse("home")).content.decode()

    # The triage page says it in words, with where to correct their details
    page = client.get(reverse("referrals:triage_detail", args=[referral])).content.decode()
    assert "A message did not reach Ola" in page
    assert "Not delivered: number not in use" in page
    assert "07700 900123" in page
    assert reverse("referrals:triage_person_details", args=[referral]) in page
    # and the person's details page shows the number failed, and when
    details = client.get(reverse("referrals:triage_person_details", args=[referral]))
    text = details.content.decode()
    today = dateformat.format(timezone.localdate(), "j F Y")
    assert f"Text message to 07700 900123 on {today}" in text
    assert "number not in use" in text

    # A new number settles it: nothing waits on the lead any more
    person_update_details(
        person=Referral.objects.get(pk=referral).person,
        actor=triage_lead,
        details={"phone": "07700 900456"},
        note="New number from the GP",
    )
    assert waiting not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_after_assignment_the_link_worker_is_told_not_the_leads(
    client, told, triage_lead, link_worker, django_capture_on_commit_callbacks
):
    Referral.objects.filter(pk=told.about_id).update(
        assigned_link_worker=link_worker, status=codes.Status.ASSIGNED
    )

    _callback(client, told, "permanent-failure", django_capture_on_commit_callbacks)
    # the same failure again, and a late "delivered": no second alert
    _callback(client, told, "permanent-failure", django_capture_on_commit_callbacks)
    _callback(client, told, "delivered", django_capture_on_commit_callbacks)

    assert [to for to, _ in _alerts()] == [link_worker.email]
    told.refresh_from_db()
    assert told.delivery_status == DeliveryStatus.PERMANENT_FAILURE
    # Their home page says it waits on them, until the person's details change
    client.force_login(link_worker)
    waiting = "1 of your people did not get a message"
    assert waiting in client.get(reverse("home")).content.decode()
    client.force_login(triage_lead)  # no longer the triage team's to act on
    assert "did not reach the person" not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_delivered_tells_no_one_and_reads_delivered(
    client, told, triage_lead, django_capture_on_commit_callbacks
):
    _callback(client, told, "delivered", django_capture_on_commit_callbacks)

    assert _alerts() == []
    client.force_login(triage_lead)
    page = client.get(reverse("referrals:triage_detail", args=[told.about_id])).content.decode()
    assert "A message did not reach" not in page
    assert "Messages to the person" in page
    assert "Referral received" in page
    assert ">Delivered<" in page.replace("\n", "").replace("  ", "")


@pytest.mark.django_db
def test_a_message_waiting_for_its_receipt_says_so(client, told, triage_lead):
    client.force_login(triage_lead)
    page = client.get(reverse("referrals:triage_detail", args=[told.about_id])).content.decode()
    assert "Sent: waiting for the delivery receipt" in page
