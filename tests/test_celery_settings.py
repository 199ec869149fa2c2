"""Redis gives a task to another worker only once no worker could still be running it.

Computed from the tasks the worker registers, in a process configured for Redis (the
suite itself uses the filesystem broker, which has no visibility timeout).
"""

import json

from tests.helpers.manage_py import run_manage_py

LIMITS = """
import json
from django.conf import settings
from socialrx.celery import app
app.loader.import_default_modules()
ours = [task for name, task in app.tasks.items() if not name.startswith("celery.")]
print(json.dumps({
    "tasks": len(ours),
    "longest_time_limit": max(task.time_limit or app.conf.task_time_limit for task in ours),
    "longest_retry_wait": max(
        # Celery's own default for retry_backoff_max is 600 seconds.
        getattr(task, "retry_backoff_max", 600) if getattr(task, "retry_backoff", False)
        else task.default_retry_delay
        for task in ours
    ),
    "visibility_timeout": app.conf.broker_transport_options["visibility_timeout"],
}))
"""


def test_visibility_timeout_outlasts_every_task_and_retry_but_not_an_hour(tmp_path):
    result = run_manage_py(
        tmp_path, "shell", "-c", LIMITS, DJANGO_DEBUG="true", REDIS_URL="redis://127.0.0.1:6379/0"
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])

    assert found["tasks"] >= 10, "every app's tasks should be registered"
    # A task still running (or waiting to retry) is never handed to a second worker...
    assert found["visibility_timeout"] > found["longest_time_limit"]
    assert found["visibility_timeout"] > found["longest_retry_wait"]
    # ...and a killed worker's task is picked up again well before Redis's default hour.
    assert found["visibility_timeout"] <= 20 * 60
