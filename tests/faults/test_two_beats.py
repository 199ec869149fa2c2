"""Two beat processes at once (a second deployment, a rolling restart): every sweep is
sent twice, and still each lost email is sent once and each lost report made once."""

import pytest

from outcomes.models import ReportFile
from socialrx.core.models import Notification
from tests.faults.conftest import Stack, wait_for
from tests.faults.work import (
    all_sent,
    commissioner,
    done,
    due_subscription,
    lost_emails,
    lost_report,
)
from tests.outages import wait_until

pytestmark = pytest.mark.faults


def test_two_beats_find_lost_work_once(stack: Stack):
    # Given emails, a report run and a scheduled report whose messages the broker lost
    user = commissioner()
    emails = lost_emails("lost", 5)
    run = lost_report(user)
    subscription = due_subscription(user)

    # When a worker and two beats start together
    beats = [stack.start("beat"), stack.start("beat")]
    stack.start("worker")

    # Then the work is found and done
    wait_for("the lost emails sent", lambda: all_sent(emails))
    wait_for("the lost report made", lambda: done(run))
    wait_for(
        "the scheduled report emailed",
        lambda: all_sent(list(Notification.objects.filter(kind="outcomes_scheduled_report"))),
    )
    # And after both beats have swept a few more times, nothing was done twice
    for beat in beats:
        wait_until(
            f"{beat.role} sweeping again",
            lambda beat=beat: beat.log().count("Sending due task outcomes-reports-recover") >= 4,
        )
        assert beat.popen.poll() is None, f"{beat.role} is still running"
        assert beat.log().count("Sending due task notifications-send-pending") >= 2
    assert stack.mail_recipients() == {row.to_email: 1 for row in emails} | {user.email: 1}
    run.refresh_from_db()
    assert run.attempts == 1
    assert ReportFile.objects.filter(subscription=subscription).count() == 1
