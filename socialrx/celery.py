"""The Celery app. Configuration comes from Django settings (``CELERY_*``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialrx.settings")

app = Celery("socialrx")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The only place, with the root URLconf, where the project package names the apps.
app.autodiscover_tasks(
    [
        "socialrx.core",
        "directory",
        "referrals",
        "linkworkers",
        "linkworkers.connections",
        "outcomes",
        "interop",
    ]
)
