"""The Celery app. Configuration comes from Django settings (``CELERY_*``)."""

import os
from pathlib import Path

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

FILESYSTEM_BROKER_FOLDERS = ("data_folder_in", "data_folder_out", "processed_folder")


@app.on_after_configure.connect
def make_filesystem_broker_folders(sender: Celery, **kwargs: object) -> None:
    """kombu's filesystem broker writes into folders it does not create.

    Made when a process first uses the Celery app (the web process enqueuing, a worker or
    beat starting), not when settings are imported.
    """
    if not str(sender.conf.broker_url).startswith("filesystem://"):
        return
    options = sender.conf.broker_transport_options or {}
    for key in FILESYSTEM_BROKER_FOLDERS:
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
