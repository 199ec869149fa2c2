"""A worker killed with SIGKILL in the middle of its tasks loses nothing and does
nothing twice: the report it was making is made again, once, by a new worker; the email
it was handing to the mail server is never sent again and is marked for review."""

import datetime
import socket

import psycopg
import pytest

from outcomes.models import ReportFile, RunStatus
from outcomes.reports.base import ReportFilters
from outcomes.services.archive import report_run_request
from socialrx.core.models import Notification, NotificationStatus, OrganisationType, Role
from socialrx.core.services import notification_queue
from tests.factories import OrganisationFactory, user_with_role
from tests.faults.conftest import Stack, wait_for

pytestmark = pytest.mark.faults

FILTERS = ReportFilters(
    start=datetime.date(2024, 1, 1), end=datetime.date(2025, 6, 30), period="quarter"
)


def _status(model, pk: int) -> str:  # noqa: ANN001
    return model.objects.values_list("status", flat=True).get(pk=pk)


def test_a_worker_killed_mid_task_loses_nothing_and_does_nothing_twice(stack: Stack):
    commissioner = user_with_role(
        Role.COMMISSIONER, OrganisationFactory(org_type=OrganisationType.ICB)
    )
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
        run = report_run_request(user=commissioner, key="activity", filters=FILTERS, fmt="csv")
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
    sent = notification_queue(
        to_email="after@test.example", kind="test", subject="Hi", body_text=""
    )
    wait_for("a new email sent", lambda: _status(Notification, sent.pk) == NotificationStatus.SENT)
    assert stack.mail_recipients() == {"after@test.example": 1}
