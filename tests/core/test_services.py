"""Sending email: at most once, with no database lock held while the mail server is
talked to, and a real mail-server failure retried by the one retry policy."""

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.utils import timezone

from socialrx.celery import app as celery_app
from socialrx.core.models import Notification, NotificationStatus
from socialrx.core.services import (
    notification_queue,
    notification_send,
    notifications_send_pending,
)
from socialrx.core.tasks import notification_send_task


def closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused, as a real SMTP
    server that is down would refuse."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_server_down(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2


def queued(email: str = "someone@test.example") -> Notification:
    return Notification.objects.create(to_email=email, kind="test", subject="Hi", body_text="Body")


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
    assert notification.body_text == "", "the sent body is cleared"
    assert len(mail.outbox) == 1

    # Running the send again (a retried task) does not send a second email.
    assert notification_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


class WatchingBackend(LocmemBackend):
    """The mail server's side of the hand-over: notes what the database said while the
    message was being handed over."""

    seen: list[tuple[bool, str]] = []

    def send_messages(self, messages):
        for message in messages:
            row = Notification.objects.get(subject=message.subject)
            WatchingBackend.seen.append((transaction.get_connection().in_atomic_block, row.status))
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_the_mail_server_is_talked_to(settings):
    settings.EMAIL_BACKEND = "tests.core.test_services.WatchingBackend"
    WatchingBackend.seen = []
    notification = queued()

    assert notification_send(notification_id=notification.pk) is True

    # While sending: no transaction (so no row lock), and the row committed as "sending".
    assert WatchingBackend.seen == [(False, NotificationStatus.SENDING)]
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.claimed_at is not None
    assert notification.sent_at is not None


@pytest.fixture
def eager_retries():
    """Eager tasks normally raise their error at once; as on a worker, let Celery's
    retry machinery take it instead (eagerly, each retry runs at once)."""
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = True


@pytest.mark.django_db
@pytest.mark.usefixtures("eager_retries")
def test_a_mail_server_that_is_down_is_retried_by_the_task_until_attempts_run_out(settings):
    # Given a real SMTP connection to a port nothing listens on
    smtp_server_down(settings)
    notification = queued()

    # When the task runs
    notification_send_task.delay(notification.pk)

    # Then the retry policy tried it again until the notification's attempts ran out
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert notification.attempts == Notification.MAX_ATTEMPTS
    assert notification.last_error.startswith("ConnectionRefusedError")
    assert mail.outbox == []


@pytest.mark.django_db
def test_failed_send_is_recorded_and_retried_by_the_sweep(settings, referrer):
    notification = queued(referrer.email)
    smtp_server_down(settings)

    with pytest.raises(OSError, match="Connection refused"):
        notification_send(notification_id=notification.pk)
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
def test_the_sweep_stops_at_a_mail_server_that_is_down(settings):
    for _ in range(3):
        Notification.objects.filter(pk=queued().pk).update(
            updated_at=timezone.now() - timedelta(minutes=10)
        )
    smtp_server_down(settings)

    assert notifications_send_pending(older_than_seconds=60) == 0

    # One timeout, not one per notification: the rest wait for the next sweep.
    attempts = sorted(Notification.objects.values_list("attempts", flat=True))
    assert attempts == [0, 0, 1]


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


@pytest.mark.django_db
def test_a_send_cut_off_by_a_dead_worker_is_shown_for_review_and_never_resent(settings):
    # Given a notification a worker claimed and then died sending (killed mid-send)
    notification = queued()
    claimed = timezone.now() - timedelta(seconds=30)
    Notification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.SENDING, claimed_at=claimed, attempts=1
    )

    # When the task is delivered again (acks_late) and the sweep runs, within the limit
    assert notification_send(notification_id=notification.pk) is False
    assert notifications_send_pending(older_than_seconds=0) == 0
    notification.refresh_from_db()
    # Then it still says "sending": a task may yet be running
    assert notification.status == NotificationStatus.SENDING

    # And once longer than any task may run, the sweep marks it for a person to check
    settings.CELERY_TASK_TIME_LIMIT = 10
    assert notifications_send_pending(older_than_seconds=0) == 0
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.UNKNOWN
    assert "may or may not have been delivered" in notification.last_error
    assert notification.body_text == "Body", "kept, for whoever checks it"
    assert mail.outbox == [], "at most once: never sent again automatically"
