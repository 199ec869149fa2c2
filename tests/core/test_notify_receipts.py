"""Delivery receipts from GOV.UK Notify: its callbacks through the test client, and the
hourly check against the local server that answers as Notify's API does."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from socialrx.core.models import (
    AuditEvent,
    AuditSystemReason,
    DeliveryStatus,
    Notification,
    NotificationChannel,
    NotificationStatus,
)
from socialrx.core.notification_receipts import notifications_check_delivery
from socialrx.core.services import notification_queue_message, notification_send

TOKEN = "a-callback-token-of-some-length"
DELIVERY = "notify_delivery_receipt"
RETURNED = "notify_returned_letter"


@pytest.fixture
def callbacks(settings):
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN


def _sent(channel: str = NotificationChannel.SMS) -> Notification:
    """A message Notify (the local fake) accepted."""
    fields = {"name": "Ola", "reference": "SRX-1", "service": "Northshire", "interpreter": "no"}
    if channel == NotificationChannel.LETTER:
        fields |= {"address_line_1": "Ola", "address_line_2": "1 High St", "address_line_3": "NN1"}
    notification = notification_queue_message(
        kind="person_referral_received",
        template_key="referral_received",
        language="en",
        personalisation=fields,
        channel=channel,
        to_phone="07700 900123",
        to_email="ola@example.org",
    )
    assert notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    return notification


def _receipt(notification: Notification, status: str, **extra: object) -> dict[str, object]:
    """A receipt as Notify's callback posts it."""
    return {
        "id": notification.provider_reference,
        "reference": f"socialrx-{notification.pk}",
        "to": notification.to_phone,
        "status": status,
        "created_at": "2026-12-01T09:00:00.000000Z",
        "completed_at": "2026-12-01T09:05:00.000000Z",
        "sent_at": "2026-12-01T09:00:01.000000Z",
        "notification_type": notification.channel,
        "template_id": str(uuid.uuid4()),
        "template_version": 1,
    } | extra


def _post(client, body: object, *, route: str = DELIVERY, token: str | None = TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(reverse(route), data, content_type="application/json", headers=headers)


def _receipt_audits(notification: Notification) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.for_object("core.notification", notification.pk).filter(
            system_reason=AuditSystemReason.DELIVERY_RECEIPT
        )
    )


# --- the callbacks ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_delivery_receipt_is_recorded_with_its_time_and_audited(client, notify, callbacks):
    notification = _sent()

    response = _post(client, _receipt(notification, "delivered"))

    assert response.status_code == 200
    assert response.json() == {"recorded": True}
    notification.refresh_from_db()
    assert notification.delivery_status == DeliveryStatus.DELIVERED
    assert notification.delivery_status_at == datetime.datetime(
        2026, 12, 1, 9, 5, tzinfo=datetime.UTC
    )
    [audit] = _receipt_audits(notification)
    assert audit.actor is None
    assert audit.detail == {"delivery_status": "delivered", "was": "", "source": "callback"}


@pytest.mark.django_db
def test_callbacks_are_refused_when_no_token_is_configured(client, notify, settings):
    settings.NOTIFY_CALLBACK_TOKEN = ""
    notification = _sent()

    response = _post(client, _receipt(notification, "delivered"), token="")

    assert response.status_code == 403
    assert "not configured" in response.json()["error"]
    notification.refresh_from_db()
    assert notification.delivery_status == DeliveryStatus.NONE


@pytest.mark.django_db
@pytest.mark.parametrize("token", [None, "wrong-token-of-some-length", TOKEN[:-1], TOKEN + "x"])
def test_a_wrong_or_missing_token_is_401(client, notify, callbacks, token):
    notification = _sent()

    response = _post(client, _receipt(notification, "permanent-failure"), token=token)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    notification.refresh_from_db()
    assert notification.delivery_status == DeliveryStatus.NONE
    assert _receipt_audits(notification) == []


@pytest.mark.django_db
def test_the_token_is_not_taken_from_another_scheme(client, notify, callbacks):
    notification = _sent()
    response = client.post(
        reverse(DELIVERY),
        json.dumps(_receipt(notification, "delivered")),
        content_type="application/json",
        headers={"Authorization": f"Basic {TOKEN}"},
    )
    assert response.status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("{not json", "must be JSON"),
        (b"\xff\xfe", "must be JSON"),
        ("[1, 2]", "JSON object"),
        ("[" * 50 + "]" * 50, "nested"),
        ({"status": "delivered"}, "id must be a string"),
        ({"id": "42", "status": "delivered"}, "UUID"),
        ({"id": str(uuid.uuid4()), "status": "lost-in-the-post"}, "not one of"),
        ({"id": str(uuid.uuid4()), "status": 3}, "status must be a string"),
        (
            {"id": str(uuid.uuid4()), "status": "delivered", "completed_at": "yesterday"},
            "completed_at must be a date",
        ),
        (
            {"id": str(uuid.uuid4()), "status": "delivered", "notification_type": "fax"},
            "notification_type",
        ),
    ],
)
def test_bad_input_is_a_400_with_a_message(client, callbacks, body, says):
    response = _post(client, body)

    assert response.status_code == 400
    assert says in response.json()["error"]


@pytest.mark.django_db
def test_a_receipt_for_no_message_of_ours_is_404(client, callbacks):
    response = _post(client, {"id": str(uuid.uuid4()), "status": "delivered", "reference": None})
    assert response.status_code == 404


@pytest.mark.django_db
def test_only_post_is_taken(client, callbacks):
    response = client.get(reverse(DELIVERY), headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 405


@pytest.mark.django_db
def test_the_same_receipt_twice_changes_nothing_the_second_time(client, notify, callbacks):
    notification = _sent()
    receipt = _receipt(notification, "permanent-failure")

    first = _post(client, receipt)
    second = _post(client, receipt)

    assert (first.json(), second.json()) == ({"recorded": True}, {"recorded": False})
    assert len(_receipt_audits(notification)) == 1


@pytest.mark.django_db
def test_a_late_delivered_never_overwrites_a_failure(client, notify, callbacks):
    notification = _sent()
    _post(client, _receipt(notification, "permanent-failure"))

    late = _post(client, _receipt(notification, "delivered", completed_at=None))

    assert late.json() == {"recorded": False}
    notification.refresh_from_db()
    assert notification.delivery_status == DeliveryStatus.PERMANENT_FAILURE


@pytest.mark.django_db
def test_a_failure_after_delivered_is_recorded(client, notify, callbacks):
    """An email delivered can still bounce: the failure is news someone must act on."""
    notification = _sent(NotificationChannel.EMAIL)
    _post(client, _receipt(notification, "delivered"))

    _post(client, _receipt(notification, "permanent-failure"))

    notification.refresh_from_db()
    assert notification.delivery_status == DeliveryStatus.PERMANENT_FAILURE


@pytest.mark.django_db
def test_a_still_sending_receipt_records_nothing(client, notify, callbacks):
    notification = _sent()
    assert _post(client, _receipt(notification, "sending")).json() == {"recorded": False}
    notification.refresh_from_db()
    assert notification.delivery_status == DeliveryStatus.NONE


@pytest.mark.django_db
def test_a_returned_letter(client, notify, callbacks):
    letter = _sent(NotificationChannel.LETTER)
    _post(client, _receipt(letter, "received"))
    letter.refresh_from_db()
    assert letter.delivery_status == DeliveryStatus.POSTED

    response = _post(
        client,
        {
            "notification_id": letter.provider_reference,
            "reference": f"socialrx-{letter.pk}",
            "date_sent": "2026-12-01T17:00:00.000000Z",
        },
        route=RETURNED,
    )

    assert response.json() == {"recorded": True}
    letter.refresh_from_db()
    assert letter.delivery_status == DeliveryStatus.RETURNED_LETTER
    assert letter.undeliverable


@pytest.mark.django_db
def test_a_returned_letter_callback_checks_its_body(client, callbacks):
    response = _post(client, {"notification_id": "nope"}, route=RETURNED)
    assert response.status_code == 400
    assert "UUID" in response.json()["error"]


@pytest.mark.django_db
def test_a_receipt_settles_a_message_left_unknown_by_a_dead_worker(client, notify, callbacks):
    """Notify took it but the worker died before recording its id: our reference finds it."""
    notification = _sent()
    notify_id = notification.provider_reference
    Notification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.UNKNOWN, sent_at=None, provider_reference=""
    )

    _post(client, _receipt(notification, "delivered", id=notify_id))

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.provider_reference == notify_id
    assert notification.delivery_status == DeliveryStatus.DELIVERED


# --- the hourly check, when no callback comes ---------------------------------------------


def _age(notification: Notification, hours: float) -> None:
    Notification.objects.filter(pk=notification.pk).update(
        sent_at=timezone.now() - datetime.timedelta(hours=hours)
    )


@pytest.mark.django_db
def test_the_check_asks_notify_about_messages_hours_old_and_records_once(notify, settings):
    settings.NOTIFY_RECEIPT_CHECK_AFTER_HOURS = 6
    old_dead, old_fine, still_going, fresh, forgotten = (_sent() for _ in range(5))
    for n, hours in ((old_dead, 7), (old_fine, 8), (still_going, 9), (forgotten, 24 * 8)):
        _age(n, hours)
    notify.statuses[old_dead.provider_reference] = "permanent-failure"
    notify.statuses[old_fine.provider_reference] = "delivered"
    notify.statuses[fresh.provider_reference] = "delivered"

    assert notifications_check_delivery() == 2

    # Asked about the three hours old and within Notify's 7 days, not the fresh one
    assert sorted(notify.asked) == sorted(
        n.provider_reference for n in (old_dead, old_fine, still_going)
    )
    statuses = dict(Notification.objects.values_list("pk", "delivery_status"))
    assert statuses[old_dead.pk] == DeliveryStatus.PERMANENT_FAILURE
    assert statuses[old_fine.pk] == DeliveryStatus.DELIVERED
    assert statuses[still_going.pk] == statuses[fresh.pk] == DeliveryStatus.NONE
    [audit] = _receipt_audits(old_dead)
    assert audit.detail["source"] == "check"

    # Run again at once: nothing new, and the one still sending is not asked again yet
    notify.asked.clear()
    assert notifications_check_delivery() == 0
    assert notify.asked == []
    # Hours later it is asked again
    later = timezone.now() + datetime.timedelta(hours=7)
    notify.statuses[still_going.provider_reference] = "delivered"
    assert notifications_check_delivery(now=later) == 2  # it, and the fresh one now due
    assert notify.asked.count(still_going.provider_reference) == 1


@pytest.mark.django_db
def test_the_check_stops_when_notify_fails_and_passes_over_messages_it_forgot(notify):
    first, second = _sent(), _sent()
    _age(first, 10)
    _age(second, 9)
    notify.fail_with(500)  # Notify down: the run stops at the first

    assert notifications_check_delivery() == 0
    assert Notification.objects.filter(delivery_checked_at__isnull=False).count() == 0

    notify.accepted.pop(first.provider_reference)  # Notify no longer knows it: 404
    assert notifications_check_delivery() == 0

    assert notify.asked == [first.provider_reference, second.provider_reference]
    first.refresh_from_db()
    assert first.delivery_checked_at is not None  # passed over, asked last next time
    assert first.delivery_status == DeliveryStatus.NONE


@pytest.mark.django_db
def test_no_check_without_notify(settings):
    settings.NOTIFY_API_KEY = ""
    assert notifications_check_delivery() == 0
