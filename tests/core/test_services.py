from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from socialrx.core.models import Notification, NotificationStatus
from socialrx.core.services import (
    notification_queue,
    notification_send,
    notifications_send_pending,
)


@pytest.mark.django_db
def test_queued_notification_is_sent_once_after_commit(
    referrer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_queue(
            to_email=referrer.email,
            kind="test",
            subject="Hello",
            body_text="Body",
            recipient=referrer,
        )
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert len(mail.outbox) == 1

    # Running the send again (a retried task) does not send a second email.
    assert notification_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_failed_send_is_recorded_and_retried_by_the_sweep(settings, referrer):
    notification = Notification.objects.create(
        to_email=referrer.email, kind="test", subject="Hi", body_text="Body"
    )
    # An SMTP server that is not there: a real connection failure, not a mock.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    assert notification_send(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert notification.attempts == 1
    assert notification.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=notification.pk).update(
        updated_at=timezone.now() - timedelta(minutes=10)
    )
    assert notifications_send_pending(older_than_seconds=60) == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert mail.outbox[0].subject == "Hi"


@pytest.mark.django_db
def test_sweep_gives_up_after_the_maximum_attempts(referrer):
    Notification.objects.create(
        to_email=referrer.email,
        kind="test",
        subject="Hi",
        status=NotificationStatus.FAILED,
        attempts=Notification.MAX_ATTEMPTS,
    )
    assert notifications_send_pending(older_than_seconds=0) == 0
    assert mail.outbox == []
