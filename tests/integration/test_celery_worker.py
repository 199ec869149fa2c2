"""Work enqueued by the web side is done by a real Celery worker, and beat catches up
on work nobody enqueued. Needs PostgreSQL and Redis; ``.ci/run`` provides both."""

import os
import signal
import socket
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from socialrx.core.models import Notification, NotificationStatus
from socialrx.core.services import notification_send, notifications_mark_interrupted
from socialrx.core.tasks import notification_send_task
from tests.factories import UserFactory
from tests.helpers.mail import SENT_TIMEOUT_SECONDS, sent_mail, wait_until_sent

pytestmark = pytest.mark.integration


def test_password_reset_email_is_sent_by_the_worker(
    client, celery_processes: Callable[..., object], tmp_path: Path
):
    # Given a running worker and a user who has forgotten their password
    celery_processes("worker")
    user = UserFactory(email="forgetful@test.example")

    # When they ask for a reset link
    response = client.post(reverse("password_reset"), {"email": user.email})

    # Then a notification is queued, and the worker (not this process) sends it
    assert response.status_code == 302
    notification = Notification.objects.get(recipient=user, kind="password_reset")
    wait_until_sent(notification)
    assert notification.attempts == 1
    assert notification.body_text == "", "the sent body, with its reset link, is cleared"
    mail = sent_mail(tmp_path)
    assert "To: forgetful@test.example" in mail
    assert "Subject: Reset your social prescribing password" in mail
    assert "/accounts/reset/" in mail, "the message carries the reset link"


def test_beat_sends_a_notification_that_no_worker_picked_up(
    celery_processes: Callable[..., object],
):
    # Given a queued notification that was never enqueued (as if the worker had been
    # down), last touched well before the retry period
    notification = Notification.objects.create(
        to_email="missed@test.example", kind="test", subject="Missed", body_text="Hello"
    )
    Notification.objects.filter(pk=notification.pk).update(
        updated_at=timezone.now() - timedelta(minutes=10)
    )

    # When a worker and beat run with a two-second retry period
    retry = {"NOTIFICATION_RETRY_SECONDS": "2"}
    celery_processes("worker", **retry)
    celery_processes("beat", **retry)

    # Then beat's notifications_send_pending_task has the worker send it
    wait_until_sent(notification)
    assert notification.sent_at is not None


def test_a_worker_killed_mid_send_leaves_the_email_visibly_sending_and_never_resends_it(
    celery_processes: Callable[..., object], settings
):
    # Given a mail server that takes the connection and then never answers
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        smtp = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(server.getsockname()[1]),
            "EMAIL_TIMEOUT": "60",
        }
        worker = celery_processes("worker", **smtp)
        notification = Notification.objects.create(
            to_email="waiting@test.example", kind="test", subject="Stuck", body_text="Hello"
        )

        # When the worker is sending it and is killed outright
        notification_send_task.delay(notification.pk)
        deadline = time.monotonic() + SENT_TIMEOUT_SECONDS
        while notification.status != NotificationStatus.SENDING:
            assert time.monotonic() < deadline, f"never claimed: {notification.status}"
            time.sleep(0.2)
            notification.refresh_from_db()
        os.killpg(worker.popen.pid, signal.SIGKILL)
        worker.popen.wait()

    # Then the row says so, committed before the send (no lock held it back)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENDING
    assert notification.claimed_at is not None
    assert notification.attempts == 1
    # And the task delivered again (acks late) does not send it a second time
    assert notification_send(notification_id=notification.pk) is False
    # And once past any task's time limit, the sweep marks it for review
    settings.CELERY_TASK_TIME_LIMIT = 0
    assert notifications_mark_interrupted() == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.UNKNOWN
