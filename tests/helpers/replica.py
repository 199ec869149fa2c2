"""A read replica configured but not answering, as when its server has stopped: its
connection points at a PostgreSQL port nothing listens on (the router's fallback)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections
from django.db.utils import load_backend

from socialrx.db_routers import REPLICA, replica_restore
from tests.outages import unreachable_postgres


@contextmanager
def replica_not_answering(settings: Any) -> Iterator[None]:
    """``settings`` is pytest-django's fixture: the replica and the real router are
    configured for the block only, and the replica is back in use after it."""
    replica = unreachable_postgres()
    saved_settings = (settings.DATABASES, settings.DATABASE_ROUTERS)
    settings.DATABASES = {**settings.DATABASES, REPLICA: replica}
    settings.DATABASE_ROUTERS = ["socialrx.db_routers.ReportReplicaRouter"]
    settings.DATABASE_REPLICA_RETRY_SECONDS = 30
    wrapper = load_backend(replica["ENGINE"]).DatabaseWrapper(replica, REPLICA)
    # Not connections[REPLICA]: that would create a connection from the settings.
    saved = getattr(connections._connections, REPLICA, None)
    connections[REPLICA] = wrapper
    try:
        yield
    finally:
        wrapper.close()
        settings.DATABASES, settings.DATABASE_ROUTERS = saved_settings
        if saved is not None:
            connections[REPLICA] = saved
        else:
            del connections[REPLICA]
        replica_restore()
