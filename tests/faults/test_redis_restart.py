"""Redis restarted under a running beat: with its append-only file (as compose runs it)
the queued tasks survive the restart; with its data gone the sweeps find the work again.
Either way every email is sent once and every report made once."""

import shutil

import pytest

from outcomes.models import ReportFile
from tests.faults.conftest import Stack, wait_for
from tests.faults.work import all_sent, commissioner, done, queue_emails, queue_report, queued_tasks

pytestmark = pytest.mark.faults


def test_a_redis_restart_loses_nothing_and_does_nothing_twice(stack: Stack):
    user = commissioner()
    worker = stack.start("worker")
    beat = stack.start("beat")

    # Given work queued while no worker runs
    worker.stop()
    emails = queue_emails("kept", 3)
    run = queue_report(user)
    expected = {f"notification_send_task({row.pk},)" for row in emails}
    expected.add(f"report_generate_task({run.pk},)")
    assert expected <= set(queued_tasks(stack.redis.url))

    # When Redis restarts as compose restarts it (SIGTERM, append-only file kept)
    stack.redis.stop()
    stack.redis.start()

    # Then the queued tasks are still there, and a worker does each once
    assert expected <= set(queued_tasks(stack.redis.url))
    stack.start("worker")
    wait_for("the kept emails sent", lambda: all_sent(emails))
    wait_for("the kept report made", lambda: done(run))

    # Given more work queued while no worker runs
    stack.processes[-1].stop()
    more_emails = queue_emails("lost", 2)
    another_run = queue_report(user)

    # When Redis crashes and comes back without its data
    stack.redis.kill()
    shutil.rmtree(stack.redis.directory / "appendonlydir")
    stack.redis.start()
    assert not queued_tasks(stack.redis.url)

    # Then the sweeps of the beat that ran through both restarts find the work again
    stack.start("worker")
    wait_for("the lost emails sent", lambda: all_sent(more_emails))
    wait_for("the lost report made", lambda: done(another_run))

    # And nothing was done twice, however many sweeps ran since
    beat.wait_for_log("Sending due task outcomes-reports-recover")
    assert beat.popen.poll() is None, "beat outlived both restarts"
    assert stack.mail_recipients() == {row.to_email: 1 for row in emails + more_emails}
    assert list(ReportFile.objects.order_by("pk").values_list("attempts", flat=True)) == [1, 1]
