"""A worker killed with SIGKILL in the middle of its tasks loses nothing and does
nothing twice: the report it was making is made again, once, by a new worker; the email
it was handing to the mail server is never sent again and is marked for review."""

import socket

import psycopg
import pytest

from outcomes.models import ReportFile, RunStatus
from socialrx.core.models import Notification, NotificationStatus
from socialrx.core.services import notification_queue
from tests.faults.conftest import Stack, wait_for
from tests.faults.work import all_sent, commissioner, queue_emails, queue_report

pytestmark = pytest.mark.faults


def _status(model, pk: int) -> str:  # noqa: ANN001
    return model.objects.values_list("status", flat=True).get(pk=pk)


def test_a_worker_killed_mid_task_loses_nothing_and_does_nothing_twice(stack: Stack):
    user = commissioner()
    with socket.socket() as mail_server, psycopg.connect(stack.postgres.url()) as blocker:
        # Given a mail server that takes connections and never answers, and the referral
        # table locked, so that the worker is stuck inside both tasks when it is killed
        mail_server.bind(("127.0.0.1", 0))
        mail_server.listen()
        blocker.execute("LOCK TABLE referrals_referral IN ACCESS EXCLUSIVE MODE")
        worker = stack.start(
            "worker",
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(mail_server.getsockname()[1]),
            EMAIL_TIMEOUT="120",
        )
        run = queue_report(user)
        notification = notification_queue(
            to_email="waiting@test.example", kind="test", subject="Stuck", body_text="Hello"
        )
        wait_for("the run claimed", lambda: _status(ReportFile, run.pk) == RunStatus.RUNNING)
        wait_for(
            "the email handed over",
            lambda: _status(Notification, notification.pk) == NotificationStatus.SENDING,
        )

        # When the worker is killed outright, and a new worker and beat start (with short
        # time limits, so the sweeps count the dead worker's tasks as interrupted soon)
        worker.kill()
        blocker.rollback()
        limits = {
            "CELERY_TASK_TIME_LIMIT": "6",
            "CELERY_TASK_SOFT_TIME_LIMIT": "5",
            "OUTCOMES_REPORT_TIME_LIMIT": "10",
        }
        stack.start("worker", **limits)
        stack.start("beat", **limits)

        # Then the report is made again by the second attempt, once
        wait_for("the report made again", lambda: _status(ReportFile, run.pk) == RunStatus.DONE)
        # And the email the dead worker may have sent is marked for review, not resent
        wait_for(
            "the email marked unknown",
            lambda: _status(Notification, notification.pk) == NotificationStatus.UNKNOWN,
        )
        mail_server.setblocking(False)
        connections = 0
        while True:
            try:
                mail_server.accept()[0].close()
            except BlockingIOError:
                break
            connections += 1

    run.refresh_from_db()
    assert run.attempts == 2
    assert bytes(run.content)
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert connections == 1, "the mail server was only ever reached by the killed worker"
    assert "waiting@test.example" not in stack.mail_recipients()
    # And the new worker sends new email as usual, once
    after = queue_emails("after", 1)
    wait_for("a new email sent", lambda: all_sent(after))
    assert stack.mail_recipients() == {after[0].to_email: 1}
