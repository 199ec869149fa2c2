"""Every Celery task of ours retries by the one policy."""

from django.db import OperationalError

from socialrx.celery import app
from socialrx.core.retry import RETRY_POLICY, TRANSIENT_ERRORS

OUR_APPS = ("socialrx.", "directory.", "referrals.", "linkworkers.", "outcomes.")


def our_tasks():
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if name.startswith(OUR_APPS))


def test_every_task_uses_the_one_retry_policy():
    names = our_tasks()
    assert len(names) >= 10, names
    for name in names:
        task = app.tasks[name]
        for option, value in RETRY_POLICY.items():
            assert getattr(task, option) == value, (name, option)


def test_transient_faults_are_retried_and_bugs_are_not():
    assert issubclass(ConnectionRefusedError, TRANSIENT_ERRORS)
    assert issubclass(TimeoutError, TRANSIENT_ERRORS)
    assert issubclass(OperationalError, TRANSIENT_ERRORS)
    for bug in (KeyError, ValueError, TypeError):
        assert not issubclass(bug, TRANSIENT_ERRORS)
