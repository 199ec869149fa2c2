"""Celery tasks of the linkworkers app: Celery's autodiscovery imports this module.

Connection tasks live in ``tasks_connections`` (the connections work) and are imported
here only so that the worker registers them; add the app's other tasks below.
"""

from linkworkers.tasks_connections import (
    connection_nudges_send_task,
    connections_no_response_mark_task,
)

__all__ = ["connection_nudges_send_task", "connections_no_response_mark_task"]
