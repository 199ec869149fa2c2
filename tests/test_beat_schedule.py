"""Every periodic task in the one schedule names a task a worker can actually run."""

import pytest
from django.conf import settings

from socialrx.celery import app


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_scheduled_task_is_registered(entry):
    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] in app.tasks
